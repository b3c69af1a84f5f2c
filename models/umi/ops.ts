/**
 * UMI's own tape operations, each with a hand-written backward checked by
 * finite differences in `ops_test.ts`, and its routing coefficients (computed
 * on stopped gradients, outside the tape).
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * Repeats each row of `[B, w]` `times` times in a row: `[B * times, w]`.
 *
 * @param tape The tape.
 * @param x `[B, w]`.
 * @param times Copies of each row.
 * @returns `[B * times, w]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { repeatRows } from "./ops.ts";
 * const y = repeatRows(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(1, 2), [2, 1]), 2);
 * deepStrictEqual([...y.data], [1, 1, 2, 2]);
 * ```
 */
export function repeatRows(tape: Tape, x: Tensor, times: number): Tensor {
  const B = x.shape[0], w = x.size / B;
  const out = new Float32Array(B * times * w);
  for (let b = 0; b < B; b++) {
    const row = x.data.subarray(b * w, (b + 1) * w);
    for (let t = 0; t < times; t++) out.set(row, (b * times + t) * w);
  }
  const y = new Tensor(out, [B * times, w], x.requiresGrad);
  return tape.custom(y, (g) => {
    if (!x.requiresGrad) return;
    const gx = x.gradient();
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < times; t++) {
        const o = (b * times + t) * w;
        for (let j = 0; j < w; j++) gx[b * w + j] += g[o + j];
      }
    }
  });
}

/**
 * UMI's dual attention: the routing coefficient of position `l` to interest
 * `k` (a constant, from {@linkcode capsuleCoefficients}) times the
 * user-guided weight of position `l`: `A[b, k, l] = c[b, k, l] w[b, l]`.
 *
 * @param tape The tape.
 * @param c Coefficients `[B, K, L]` (no gradient).
 * @param w User-guided weights `[B, L]`.
 * @param batch B.
 * @returns `[B, K, L]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { dualAttention } from "./ops.ts";
 * // B 1, K 2, L 2.
 * const y = dualAttention(new Tape(new TypeScriptBackend()), Float32Array.of(0.5, 1, 0.5, 0),
 *   new Tensor(Float32Array.of(2, 4), [2, 1]), 1);
 * deepStrictEqual([...y.data], [1, 4, 1, 0]);
 * ```
 */
export function dualAttention(tape: Tape, c: Float32Array, w: Tensor, batch: number): Tensor {
  const L = w.size / batch, K = c.length / w.size;
  if (!Number.isInteger(L) || !Number.isInteger(K)) {
    throw new TypeError(`dualAttention(): c ${c.length} and w ${w.size} do not fit B = ${batch}`);
  }
  const out = new Float32Array(c.length);
  for (let b = 0; b < batch; b++) {
    for (let k = 0; k < K; k++) {
      const o = (b * K + k) * L;
      for (let l = 0; l < L; l++) out[o + l] = c[o + l] * w.data[b * L + l];
    }
  }
  const y = new Tensor(out, [batch, K, L], w.requiresGrad);
  return tape.custom(y, (g) => {
    if (!w.requiresGrad) return;
    const gw = w.gradient();
    for (let b = 0; b < batch; b++) {
      for (let k = 0; k < K; k++) {
        const o = (b * K + k) * L;
        for (let l = 0; l < L; l++) gw[b * L + l] += g[o + l] * c[o + l];
      }
    }
  });
}

/**
 * UMI's harder negatives: each candidate scored by the interest closest to
 * it, `y[b, n] = max_k s[b, k, n]` (the gradient goes to the chosen interest).
 *
 * @param tape The tape.
 * @param scores `[B, K, N]`.
 * @param batch B.
 * @param K Interests.
 * @returns `[B, N]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { maxOverInterests } from "./ops.ts";
 * const s = new Tensor(Float32Array.of(1, 5, 3, 2), [1, 2, 2]);
 * deepStrictEqual([...maxOverInterests(new Tape(new TypeScriptBackend()), s, 1, 2).data], [3, 5]);
 * ```
 */
export function maxOverInterests(tape: Tape, scores: Tensor, batch: number, K: number): Tensor {
  const N = scores.size / (batch * K);
  const out = new Float32Array(batch * N);
  const pick = new Int32Array(batch * N);
  for (let b = 0; b < batch; b++) {
    for (let n = 0; n < N; n++) {
      let best = 0, value = scores.data[b * K * N + n];
      for (let k = 1; k < K; k++) {
        const v = scores.data[(b * K + k) * N + n];
        if (v > value) {
          value = v;
          best = k;
        }
      }
      out[b * N + n] = value;
      pick[b * N + n] = best;
    }
  }
  const y = new Tensor(out, [batch, N], scores.requiresGrad);
  return tape.custom(y, (g) => {
    if (!scores.requiresGrad) return;
    const gs = scores.gradient();
    for (let b = 0; b < batch; b++) {
      for (let n = 0; n < N; n++) gs[(b * K + pick[b * N + n]) * N + n] += g[b * N + n];
    }
  });
}

/** Which profile rows each user reads: per user, (row, field slot, weight) triples in CSR form. */
export interface ProfileIndex {
  /** Fields F (each gets `width` columns of the profile). */
  fields: number;
  /** Row pointers over users, length numUsers + 1. */
  ptr: Int32Array;
  /** Rows of the profile table. */
  rows: Int32Array;
  /** The field of each entry, in `[0, fields)`. */
  slots: Int32Array;
  /** Weights (1 / values of that field for that user: a mean). */
  weights: Float32Array;
}

/**
 * User profiles: for each user, each field's mean embedding of its values,
 * fields side by side: `[users.length, F * width]` (zero for a field without
 * values).
 *
 * @param tape The tape.
 * @param table Profile embeddings `[rows, width]`.
 * @param users Users.
 * @param index Which rows each user reads.
 * @returns `[users.length, F * width]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { profileEmbed } from "./ops.ts";
 * // One user: field 0 has rows 0 and 1 (mean), field 1 row 2.
 * const index = { fields: 2, ptr: Int32Array.of(0, 3), rows: Int32Array.of(0, 1, 2),
 *   slots: Int32Array.of(0, 0, 1), weights: Float32Array.of(0.5, 0.5, 1) };
 * const t = new Tensor(Float32Array.of(1, 3, 7), [3, 1]);
 * deepStrictEqual([...profileEmbed(new Tape(new TypeScriptBackend()), t, Int32Array.of(0), index).data], [2, 7]);
 * ```
 */
export function profileEmbed(
  tape: Tape,
  table: Tensor,
  users: Int32Array,
  index: ProfileIndex,
): Tensor {
  const e = table.shape[1], F = index.fields, P = F * e;
  const out = new Float32Array(users.length * P);
  for (let r = 0; r < users.length; r++) {
    const u = users[r];
    for (let p = index.ptr[u]; p < index.ptr[u + 1]; p++) {
      const src = index.rows[p] * e, dst = r * P + index.slots[p] * e, w = index.weights[p];
      for (let j = 0; j < e; j++) out[dst + j] += w * table.data[src + j];
    }
  }
  const y = new Tensor(out, [users.length, P], table.requiresGrad);
  return tape.custom(y, (g) => {
    if (!table.requiresGrad) return;
    const gt = table.gradient();
    for (let r = 0; r < users.length; r++) {
      const u = users[r];
      for (let p = index.ptr[u]; p < index.ptr[u + 1]; p++) {
        const dst = index.rows[p] * e, src = r * P + index.slots[p] * e, w = index.weights[p];
        for (let j = 0; j < e; j++) gt[dst + j] += w * g[src + j];
      }
    }
  });
}

/**
 * UMI's random initial routing logits: truncated N(0, 1) draws (|b| <= 2,
 * redrawn beyond, as TensorFlow's `truncated_normal`), laid out `[B, K, L]`
 * (the ONNX graph's `routing_init`).
 *
 * @param rng The model's `routing` stream.
 * @param count `B * K * L`.
 * @returns The logits.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { routingStart } from "./ops.ts";
 * ok(routingStart(new Rng(1), 100).every((x) => Math.abs(x) <= 2));
 * ```
 */
export function routingStart(rng: Rng, count: number): Float32Array {
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let x = rng.normal();
    while (Math.abs(x) > 2) x = rng.normal();
    out[i] = x;
  }
  return out;
}

/**
 * UMI's dual-attentive capsule routing coefficients (the authors' code,
 * computed on stopped gradients): logits `b [B, K, L]` start at `start`
 * ({@linkcode routingStart}); each round `c = softmax over the interests of
 * b`, zero at padding; between rounds `s_k = sum_l c_kl w_l u_lk`,
 * `v_k = squash(s_k)` and the logits are replaced by `b_kl = u_lk . v_k`.
 *
 * @param u Predictions `[B, L, K, d]`.
 * @param w User-guided weights `[B, L]`.
 * @param mask `[B, L]` 0/1.
 * @param options Sizes, rounds and the initial logits `[B, K, L]`.
 * @returns `c` laid out `[B, K, L]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { capsuleCoefficients, routingStart } from "./ops.ts";
 * const c = capsuleCoefficients(new Float32Array(2 * 2 * 3), Float32Array.of(1, 1), Uint8Array.of(1, 0),
 *   { B: 1, L: 2, K: 2, d: 3, rounds: 3, start: routingStart(new Rng(1), 4) });
 * ok(Math.abs(c[0] + c[2] - 1) < 1e-6 && c[1] === 0 && c[3] === 0);
 * ```
 */
export function capsuleCoefficients(
  u: Float32Array,
  w: Float32Array,
  mask: Uint8Array,
  options: { B: number; L: number; K: number; d: number; rounds: number; start: Float32Array },
): Float32Array {
  const { B, L, K, d, rounds } = options;
  const logits = Float64Array.from(options.start); // [B, K, L]
  const c = new Float32Array(B * K * L);
  const v = new Float64Array(K * d);
  for (let round = 0; round < rounds; round++) {
    for (let b = 0; b < B; b++) {
      for (let l = 0; l < L; l++) {
        let max = -Infinity, sum = 0;
        for (let k = 0; k < K; k++) max = Math.max(max, logits[(b * K + k) * L + l]);
        for (let k = 0; k < K; k++) sum += Math.exp(logits[(b * K + k) * L + l] - max);
        for (let k = 0; k < K; k++) {
          const at = (b * K + k) * L + l;
          c[at] = mask[b * L + l] ? Math.exp(logits[at] - max) / sum : 0;
        }
      }
      if (round === rounds - 1) continue;
      v.fill(0);
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < L; l++) {
          const f = c[(b * K + k) * L + l] * w[b * L + l];
          if (f === 0) continue;
          const src = ((b * L + l) * K + k) * d;
          for (let j = 0; j < d; j++) v[k * d + j] += f * u[src + j];
        }
        let n = 0;
        for (let j = 0; j < d; j++) n += v[k * d + j] ** 2;
        const s = n / (1 + n) / Math.sqrt(n + 1e-9);
        for (let j = 0; j < d; j++) v[k * d + j] *= s;
        for (let l = 0; l < L; l++) {
          const src = ((b * L + l) * K + k) * d;
          let dot = 0;
          for (let j = 0; j < d; j++) dot += u[src + j] * v[k * d + j];
          logits[(b * K + k) * L + l] = dot;
        }
      }
    }
  }
  return c;
}
