/**
 * The regularisers REMI's Table 4 compares with its routing regularisation
 * (RR, `Tape.routingRegularizer`), as options of every attention-routed model
 * of the family:
 *
 * - `covariance`: the representation regulariser of SINE (Tan et al., WSDM
 *   2021, "Rep. Reg." in REMI's Table 4): SINE's covariance regulariser
 *   `L_c = 1/2 (||M||_F^2 - ||diag(M)||_2^2)`, `M = (C - C̄)(C - C̄)^T / D`
 *   (its model-optimisation section; RecBole's `SINE.calculate_reg_loss`),
 *   which SINE puts on its prototype table C; here C is each user's K
 *   interest vectors (the family has no prototype pool), averaged over the
 *   batch.
 * - `reattend`: Re4's re-attend term (Zhang et al., WWW 2022, Section
 *   "Re-attend", L_ATT): the cross-entropy from the attention a_{k,i} of the
 *   forward flow to the softmax over the history of the interest-item scores
 *   z_k . x_i, averaged over the B x K rows; gradient flows into both sides,
 *   as in the authors' code. Re4 (`models/re4/`) uses the same function.
 *
 * Every function here has a finite-difference test in `regularizers_test.ts`.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/** What the backward-flow terms read from an attention-routed encoder. */
export interface AttentionParts {
  /** Routing logits before the masked softmax, `[B, K, L]` (padded positions: anything). */
  logits: Tensor;
  /** The history vectors the interests read, `[B * L, d]` (padded rows zero). */
  sequence: Tensor;
  /** The interest vectors the terms are computed on, `[B, K, d]` (before any output layer). */
  interests: Tensor;
}

/** Sizes of one batch. */
export interface BatchShape {
  /** B. */
  batch: number;
  /** K. */
  interests: number;
  /** L. */
  maxlen: number;
  /** d. */
  dim: number;
}

/**
 * SINE's covariance regulariser on each user's interests: with `Z_b` the
 * `[K, d]` interests of user b, each row centred over its d values,
 * `M_b = Z_b Z_b^T / d`, returns `mean_b 1/2 sum_{k != k'} M_b[k, k']^2`.
 *
 * @param tape The tape.
 * @param z Interests `[B, K, d]`.
 * @param shape Sizes (L unused).
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { interestCovariance } from "./regularizers.ts";
 * // Two identical interests (1, -1): centred rows (1, -1), M = [[1, 1], [1, 1]], loss 1.
 * const z = new Tensor(Float32Array.of(1, -1, 1, -1), [1, 2, 2]);
 * const loss = interestCovariance(new Tape(new TypeScriptBackend()), z,
 *   { batch: 1, interests: 2, maxlen: 1, dim: 2 });
 * ok(Math.abs(loss.data[0] - 1) < 1e-6);
 * ```
 */
export function interestCovariance(tape: Tape, z: Tensor, shape: BatchShape): Tensor {
  const { batch: B, interests: K, dim: d } = shape;
  const centred = new Float64Array(B * K * d);
  const m = new Float64Array(B * K * K);
  let total = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      const base = (b * K + k) * d;
      let mean = 0;
      for (let j = 0; j < d; j++) mean += z.data[base + j];
      mean /= d;
      for (let j = 0; j < d; j++) centred[base + j] = z.data[base + j] - mean;
    }
    for (let k = 0; k < K; k++) {
      for (let q = 0; q < K; q++) {
        let s = 0;
        const u = (b * K + k) * d, v = (b * K + q) * d;
        for (let j = 0; j < d; j++) s += centred[u + j] * centred[v + j];
        m[(b * K + k) * K + q] = s / d;
        if (k !== q) total += 0.5 * (s / d) * (s / d);
      }
    }
  }
  const y = new Tensor(Float32Array.of(total / B), [1], z.requiresGrad);
  return tape.custom(y, (grad) => {
    if (!z.requiresGrad) return;
    const g = z.gradient();
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        // dL/dZc_k = (2 / d) sum_{q != k} M_kq Zc_q; the centring's backward subtracts the row mean.
        const row = new Float64Array(d);
        for (let q = 0; q < K; q++) {
          if (q === k) continue;
          const f = 2 * m[(b * K + k) * K + q] / d;
          const v = (b * K + q) * d;
          for (let j = 0; j < d; j++) row[j] += f * centred[v + j];
        }
        let mean = 0;
        for (let j = 0; j < d; j++) mean += row[j];
        mean /= d;
        const base = (b * K + k) * d, s = grad[0] / B;
        for (let j = 0; j < d; j++) g[base + j] += s * (row[j] - mean);
      }
    }
  });
}

/**
 * Re4's re-attend term: for each user b and interest k, the target
 * `t = softmax_i(z_k . x_i)` and the forward attention
 * `log a = log_softmax_i(logits_k)`, both over the unpadded positions;
 * returns `-(1 / (B K)) sum_{b,k,i} t_i log a_i`.
 *
 * @param tape The tape.
 * @param parts Logits, history vectors and interests.
 * @param mask `[B, L]`, 1 where the history holds an item.
 * @param shape Sizes.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { reattendLoss } from "./regularizers.ts";
 * // Equal scores and equal logits over two items: cross-entropy log 2.
 * const loss = reattendLoss(new Tape(new TypeScriptBackend()), {
 *   logits: new Tensor(Float32Array.of(0, 0), [1, 1, 2]),
 *   sequence: new Tensor(Float32Array.of(1, 0, 0, 1), [2, 2]),
 *   interests: new Tensor(Float32Array.of(1, 1), [1, 1, 2]),
 * }, Uint8Array.of(1, 1), { batch: 1, interests: 1, maxlen: 2, dim: 2 });
 * ok(Math.abs(loss.data[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function reattendLoss(
  tape: Tape,
  parts: AttentionParts,
  mask: Uint8Array,
  shape: BatchShape,
): Tensor {
  const { batch: B, interests: K, maxlen: L, dim: d } = shape;
  const scores = tape.bmm(parts.interests, parts.sequence, B, K, d, L, { transB: true });
  const target = tape.softmax(scores, B * K, L, mask, K);
  return softCrossEntropy(tape, target, parts.logits, mask, shape);
}

/**
 * `-(1 / (B K)) sum_{b,k,i} t_{b,k,i} log_softmax_i(logits_{b,k})` over the
 * unpadded positions, with gradient into both the target distribution and
 * the logits.
 *
 * @param tape The tape.
 * @param target `[B, K, L]` probabilities (zero where padded).
 * @param logits `[B, K, L]` logits (padded positions: anything).
 * @param mask `[B, L]`.
 * @param shape Sizes (d unused).
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { softCrossEntropy } from "./regularizers.ts";
 * const loss = softCrossEntropy(new Tape(new TypeScriptBackend()),
 *   new Tensor(Float32Array.of(1, 0), [1, 1, 2]), new Tensor(Float32Array.of(0, 0), [1, 1, 2]),
 *   Uint8Array.of(1, 1), { batch: 1, interests: 1, maxlen: 2, dim: 1 });
 * ok(Math.abs(loss.data[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function softCrossEntropy(
  tape: Tape,
  target: Tensor,
  logits: Tensor,
  mask: Uint8Array,
  shape: BatchShape,
): Tensor {
  const { batch: B, interests: K, maxlen: L } = shape;
  const logA = new Float64Array(B * K * L);
  let total = 0;
  for (let r = 0; r < B * K; r++) {
    const mb = Math.floor(r / K) * L, base = r * L;
    let max = -Infinity;
    for (let i = 0; i < L; i++) {
      if (mask[mb + i] && logits.data[base + i] > max) max = logits.data[base + i];
    }
    if (max === -Infinity) continue;
    let sum = 0;
    for (let i = 0; i < L; i++) if (mask[mb + i]) sum += Math.exp(logits.data[base + i] - max);
    const logSum = max + Math.log(sum);
    for (let i = 0; i < L; i++) {
      if (!mask[mb + i]) continue;
      logA[base + i] = logits.data[base + i] - logSum;
      total -= target.data[base + i] * logA[base + i];
    }
  }
  const y = new Tensor(
    Float32Array.of(total / (B * K)),
    [1],
    target.requiresGrad || logits.requiresGrad,
  );
  return tape.custom(y, (grad) => {
    const s = grad[0] / (B * K);
    const gt = target.requiresGrad ? target.gradient() : undefined;
    const gl = logits.requiresGrad ? logits.gradient() : undefined;
    for (let r = 0; r < B * K; r++) {
      const mb = Math.floor(r / K) * L, base = r * L;
      let mass = 0;
      for (let i = 0; i < L; i++) if (mask[mb + i]) mass += target.data[base + i];
      for (let i = 0; i < L; i++) {
        if (!mask[mb + i]) continue;
        // d/dt_i = -log a_i; d/dlogits_i = a_i sum_j t_j - t_i.
        if (gt) gt[base + i] -= s * logA[base + i];
        if (gl) gl[base + i] += s * (Math.exp(logA[base + i]) * mass - target.data[base + i]);
      }
    }
  });
}

/** Weights of the optional terms (0 = off). */
export interface RegularizerWeights {
  /** SINE's covariance regulariser. */
  covariance: number;
  /** Re4's re-attend term. */
  reattend: number;
}

/**
 * The weighted optional terms a training step adds to its loss.
 *
 * @param tape The tape.
 * @param encoded The encoder's interests and, for attention-routed models, its attention parts.
 * @param mask `[B, L]` history mask.
 * @param shape Sizes.
 * @param weights Weights (a term with weight 0 is not computed).
 * @returns The weighted scalars (none when every weight is 0).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { familyRegularizers } from "./regularizers.ts";
 * const z = new Tensor(new Float32Array(4), [1, 2, 2]);
 * ok(familyRegularizers(new Tape(new TypeScriptBackend()), { interests: z }, Uint8Array.of(1),
 *   { batch: 1, interests: 2, maxlen: 1, dim: 2 }, { covariance: 0, reattend: 0 }).length === 0);
 * ```
 */
export function familyRegularizers(
  tape: Tape,
  encoded: { interests: Tensor; attention?: AttentionParts },
  mask: Uint8Array,
  shape: BatchShape,
  weights: RegularizerWeights,
): Tensor[] {
  const terms: Tensor[] = [];
  if (weights.covariance > 0) {
    const z = encoded.attention?.interests ?? encoded.interests;
    terms.push(tape.scale(interestCovariance(tape, z, shape), weights.covariance));
  }
  if (weights.reattend > 0) {
    if (!encoded.attention) {
      throw new RangeError(
        "reattend > 0 needs an attention-routed encoder (ComiRec-SA, REMI, Re4): this model's encode() returns no attention parts",
      );
    }
    terms.push(tape.scale(reattendLoss(tape, encoded.attention, mask, shape), weights.reattend));
  }
  return terms;
}
