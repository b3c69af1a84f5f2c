/**
 * Re4's re-contrast and re-construct terms (Zhang et al., "Re4: Learning to
 * Re-contrast, Re-attend, Re-construct for Multi-interest Recommendation",
 * WWW 2022, Section 3 "backward flows"), as the authors' public code
 * (github.com/DeerSheep0314/Re4-...-Recommendation, `src/model.py`) computes
 * them. The re-attend term is shared with the family
 * (`../_sequential/regularizers.ts`).
 *
 * Notation: z_k the K interests of a user before the output layer, x_i its
 * history's item vectors, a_{k,i} the forward attention. The positives of
 * interest k are the items with `a_{k,i} > gate` (the paper's threshold; the
 * authors run with 1 / history length).
 *
 * Every operation here has a finite-difference test in `backward_flows_test.ts`.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { BatchShape } from "../_sequential/regularizers.ts";

/**
 * The positive set of each interest: 1 where `a_{k,i}` exceeds the gate
 * (`threshold`, or 1 / the user's history length when `threshold` is 0).
 *
 * @param routing Attention `[B, K, L]` after the masked softmax.
 * @param mask `[B, L]`.
 * @param shape Sizes.
 * @param threshold The gate; 0 for 1 / history length.
 * @returns `[B, K, L]` 0/1.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { positiveItems } from "./backward_flows.ts";
 * const p = positiveItems(Float32Array.of(0.6, 0.3, 0.1), Uint8Array.of(1, 1, 1),
 *   { batch: 1, interests: 1, maxlen: 3, dim: 1 }, 0);
 * deepStrictEqual([...p], [1, 0, 0]);
 * ```
 */
export function positiveItems(
  routing: Float32Array,
  mask: Uint8Array,
  shape: BatchShape,
  threshold: number,
): Uint8Array {
  const { batch: B, interests: K, maxlen: L } = shape;
  const out = new Uint8Array(B * K * L);
  for (let b = 0; b < B; b++) {
    let len = 0;
    for (let i = 0; i < L; i++) len += mask[b * L + i];
    const gate = threshold > 0 ? threshold : 1 / Math.max(len, 1);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < L; i++) {
        const r = (b * K + k) * L + i;
        if (mask[b * L + i] && routing[r] > gate) out[r] = 1;
      }
    }
  }
  return out;
}

/**
 * Rows scaled to unit length, as PyTorch's `F.normalize` (divided by
 * max(norm, 1e-12)).
 *
 * @param tape The tape.
 * @param x `[rows, d]` (any shape whose last axis is d).
 * @param d Row length.
 * @returns Same shape.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { unitRows } from "./backward_flows.ts";
 * const y = unitRows(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(3, 4), [1, 2]), 2);
 * ok(Math.abs(y.data[0] - 0.6) < 1e-6);
 * ```
 */
export function unitRows(tape: Tape, x: Tensor, d: number): Tensor {
  const rows = x.size / d, out = new Float32Array(x.size), norm = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x.data[r * d + j] * x.data[r * d + j];
    norm[r] = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) out[r * d + j] = x.data[r * d + j] / norm[r];
  }
  const y = new Tensor(out, x.shape, x.requiresGrad);
  return tape.custom(y, (grad) => {
    if (!x.requiresGrad) return;
    const g = x.gradient();
    for (let r = 0; r < rows; r++) {
      // (g - (g . n) n) / |x|
      let dot = 0;
      for (let j = 0; j < d; j++) dot += grad[r * d + j] * out[r * d + j];
      for (let j = 0; j < d; j++) {
        g[r * d + j] += (grad[r * d + j] - dot * out[r * d + j]) / norm[r];
      }
    }
  });
}

/**
 * Moves each block of rows to the next batch position, cyclically: output
 * block b is input block b - 1 (PyTorch's `torch.roll(x, 1, 0)`).
 *
 * @param tape The tape.
 * @param x `[batch, ...]`.
 * @param batch Blocks.
 * @returns Same shape.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { rollBatch } from "./backward_flows.ts";
 * const y = rollBatch(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(1, 2, 3), [3]), 3);
 * deepStrictEqual([...y.data], [3, 1, 2]);
 * ```
 */
export function rollBatch(tape: Tape, x: Tensor, batch: number): Tensor {
  const n = x.size / batch, out = new Float32Array(x.size);
  for (let b = 0; b < batch; b++) {
    out.set(
      x.data.subarray(((b - 1 + batch) % batch) * n, ((b - 1 + batch) % batch + 1) * n),
      b * n,
    );
  }
  const y = new Tensor(out, x.shape, x.requiresGrad);
  return tape.custom(y, (grad) => {
    if (!x.requiresGrad) return;
    const g = x.gradient();
    for (let b = 0; b < batch; b++) {
      const src = ((b - 1 + batch) % batch) * n;
      for (let j = 0; j < n; j++) g[src + j] += grad[b * n + j];
    }
  });
}

/**
 * Re-contrast (the paper's InfoNCE term L_CT): for user b, interest k and each
 * positive item i,
 * `-log(exp(c(z_k, x_i) / tau) / N_k)`, c the cosine similarity and
 * `N_k = sum_{i' in history} exp(c(z_k, x_i') / tau) + sum_{k' != k} exp(c(z_k, z_k') / tau)
 *      + sum_{i' in the previous user's history} exp(c(z_k, x'_i') / tau)`
 * (the negatives of the authors' code: the user's whole history, its other
 * interests, and the history of the batch row before it, cyclically).
 * Summed over the positives and divided by B K L, as the authors' mean over
 * every (b, k, i) entry with the others at zero. The cosines are batched
 * products of unit rows; {@linkcode infoNce} does the rest.
 *
 * @param tape The tape.
 * @param z Interests `[B, K, d]`.
 * @param x History vectors `[B * L, d]`.
 * @param positive `[B, K, L]` from {@linkcode positiveItems} (no gradient).
 * @param mask `[B, L]`.
 * @param options Sizes and the temperature tau.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { recontrastLoss } from "./backward_flows.ts";
 * // One user, one interest equal to its only item: N = exp(1/tau) twice (item, rolled item), loss log 2.
 * const loss = recontrastLoss(new Tape(new TypeScriptBackend()),
 *   new Tensor(Float32Array.of(1, 0), [1, 1, 2]), new Tensor(Float32Array.of(2, 0), [1, 2]),
 *   Uint8Array.of(1), Uint8Array.of(1), { batch: 1, interests: 1, maxlen: 1, dim: 2, temperature: 0.5 });
 * ok(Math.abs(loss.data[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function recontrastLoss(
  tape: Tape,
  z: Tensor,
  x: Tensor,
  positive: Uint8Array,
  mask: Uint8Array,
  options: BatchShape & { temperature: number },
): Tensor {
  const { batch: B, interests: K, maxlen: L, dim: d } = options;
  const nz = unitRows(tape, z, d), nx = unitRows(tape, x, d);
  const items = tape.bmm(nz, nx, B, K, d, L, { transB: true });
  const others = tape.bmm(nz, nz, B, K, d, K, { transB: true });
  const rolled = tape.bmm(nz, rollBatch(tape, nx, B), B, K, d, L, { transB: true });
  return infoNce(tape, { items, others, rolled }, positive, mask, options);
}

/** Cosine similarities of each interest, the inputs of {@linkcode infoNce}. */
export interface ContrastSimilarities {
  /** With the user's history items `[B, K, L]`. */
  items: Tensor;
  /** With the user's interests `[B, K, K]` (the diagonal is left out). */
  others: Tensor;
  /** With the previous batch row's history items `[B, K, L]`. */
  rolled: Tensor;
}

/**
 * The InfoNCE sum of {@linkcode recontrastLoss} from its cosine similarities.
 *
 * @param tape The tape.
 * @param sim Similarities.
 * @param positive `[B, K, L]` 0/1.
 * @param mask `[B, L]`.
 * @param options Sizes and the temperature.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { infoNce } from "./backward_flows.ts";
 * const t = (v: number) => new Tensor(Float32Array.of(v), [1, 1, 1]);
 * const loss = infoNce(new Tape(new TypeScriptBackend()), { items: t(1), others: t(9), rolled: t(1) },
 *   Uint8Array.of(1), Uint8Array.of(1), { batch: 1, interests: 1, maxlen: 1, dim: 1, temperature: 1 });
 * ok(Math.abs(loss.data[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function infoNce(
  tape: Tape,
  sim: ContrastSimilarities,
  positive: Uint8Array,
  mask: Uint8Array,
  options: BatchShape & { temperature: number },
): Tensor {
  const { batch: B, interests: K, maxlen: L, temperature: tau } = options;
  const { items, others, rolled } = sim;
  const logN = new Float64Array(B * K), count = new Int32Array(B * K);
  let total = 0;
  for (let b = 0; b < B; b++) {
    const prev = (b - 1 + B) % B;
    for (let k = 0; k < K; k++) {
      const r = b * K + k;
      let max = -Infinity;
      for (let i = 0; i < L; i++) {
        if (mask[b * L + i]) max = Math.max(max, items.data[r * L + i] / tau);
        if (mask[prev * L + i]) max = Math.max(max, rolled.data[r * L + i] / tau);
      }
      for (let q = 0; q < K; q++) if (q !== k) max = Math.max(max, others.data[r * K + q] / tau);
      let sum = 0;
      for (let i = 0; i < L; i++) {
        if (mask[b * L + i]) sum += Math.exp(items.data[r * L + i] / tau - max);
        if (mask[prev * L + i]) sum += Math.exp(rolled.data[r * L + i] / tau - max);
      }
      for (let q = 0; q < K; q++) if (q !== k) sum += Math.exp(others.data[r * K + q] / tau - max);
      logN[r] = max + Math.log(sum);
      for (let i = 0; i < L; i++) {
        if (!positive[r * L + i]) continue;
        count[r]++;
        total += logN[r] - items.data[r * L + i] / tau;
      }
    }
  }
  const needs = items.requiresGrad || others.requiresGrad || rolled.requiresGrad;
  const y = new Tensor(Float32Array.of(total / (B * K * L)), [1], needs);
  return tape.custom(y, (grad) => {
    const s = grad[0] / (B * K * L);
    const gi = items.requiresGrad ? items.gradient() : undefined;
    const go = others.requiresGrad ? others.gradient() : undefined;
    const gr = rolled.requiresGrad ? rolled.gradient() : undefined;
    for (let b = 0; b < B; b++) {
      const prev = (b - 1 + B) % B;
      for (let k = 0; k < K; k++) {
        const r = b * K + k;
        if (count[r] === 0) continue;
        // d(count * logN) / d(similarity) = count * softmax weight / tau.
        const f = s * count[r] / tau;
        for (let i = 0; i < L; i++) {
          if (gi && mask[b * L + i]) {
            gi[r * L + i] += f * Math.exp(items.data[r * L + i] / tau - logN[r]);
            if (positive[r * L + i]) gi[r * L + i] -= s / tau;
          }
          if (gr && mask[prev * L + i]) {
            gr[r * L + i] += f * Math.exp(rolled.data[r * L + i] / tau - logN[r]);
          }
        }
        if (go) {
          for (let q = 0; q < K; q++) {
            if (q !== k) go[r * K + q] += f * Math.exp(others.data[r * K + q] / tau - logN[r]);
          }
        }
      }
    }
  });
}

/**
 * The re-construct error (the paper's L_CST): the squared error between each
 * interest's reconstruction of its history `[B, K, L, d]` and the history
 * vectors `[B, L, d]`, counted at the interest's positive items only, summed
 * and divided by B K L d (the authors' mean over every entry with the others
 * at zero). Gradient flows into both.
 *
 * @param tape The tape.
 * @param reconstruction `[B, K, L, d]`.
 * @param x History vectors `[B * L, d]`.
 * @param positive `[B, K, L]` 0/1.
 * @param shape Sizes.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { reconstructionError } from "./backward_flows.ts";
 * const e = reconstructionError(new Tape(new TypeScriptBackend()),
 *   new Tensor(Float32Array.of(1, 1), [1, 1, 1, 2]), new Tensor(Float32Array.of(0, 3), [1, 2]),
 *   Uint8Array.of(1), { batch: 1, interests: 1, maxlen: 1, dim: 2 });
 * ok(Math.abs(e.data[0] - 2.5) < 1e-6); // (1 + 4) / 2
 * ```
 */
export function reconstructionError(
  tape: Tape,
  reconstruction: Tensor,
  x: Tensor,
  positive: Uint8Array,
  shape: BatchShape,
): Tensor {
  const { batch: B, interests: K, maxlen: L, dim: d } = shape;
  let total = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < L; i++) {
        if (!positive[(b * K + k) * L + i]) continue;
        const ro = ((b * K + k) * L + i) * d, xo = (b * L + i) * d;
        for (let j = 0; j < d; j++) {
          const e = reconstruction.data[ro + j] - x.data[xo + j];
          total += e * e;
        }
      }
    }
  }
  const n = B * K * L * d;
  const y = new Tensor(
    Float32Array.of(total / n),
    [1],
    reconstruction.requiresGrad || x.requiresGrad,
  );
  return tape.custom(y, (grad) => {
    const s = 2 * grad[0] / n;
    const gr = reconstruction.requiresGrad ? reconstruction.gradient() : undefined;
    const gx = x.requiresGrad ? x.gradient() : undefined;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < L; i++) {
          if (!positive[(b * K + k) * L + i]) continue;
          const ro = ((b * K + k) * L + i) * d, xo = (b * L + i) * d;
          for (let j = 0; j < d; j++) {
            const e = s * (reconstruction.data[ro + j] - x.data[xo + j]);
            if (gr) gr[ro + j] += e;
            if (gx) gx[xo + j] -= e;
          }
        }
      }
    }
  });
}
