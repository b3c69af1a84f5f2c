/**
 * Dynamic routing for the capsule models (ComiRec-DR, MIND), as the
 * reference code runs it: routing logits `b [B, K, L]` start at zero (DR) or
 * at N(0, 1) draws (MIND); for each of `iterations` rounds, `c = softmax of
 * b` over the history positions (REMI's code: over all `L` positions, then
 * padded positions set to 0) or over the interests (ComiRec's TensorFlow
 * code), `z_k = sum_l c_kl u_kl`,
 * `v_k = squash(z_k)`, and between rounds `b_kl += u_kl . v_k`. The logits are
 * updated on a stopped gradient, so only the last round's `z = c u` is
 * differentiated: this function computes `c` outside the tape.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";

/** The axis routing logits are normalised over. */
export type RoutingSoftmax = "positions" | "interests";

/**
 * Routing coefficients.
 *
 * @param u Predictions `[B, K, L, d]`.
 * @param mask `[B, L]` 0/1.
 * @param shape `B`, `K`, `L`, `d`.
 * @param options Rounds, the softmax axis (`"positions"` by default) and, for
 *   MIND, the stream for random initial logits.
 * @returns `c [B, K, L]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { routingCoefficients } from "./capsule.ts";
 * const c = routingCoefficients(new Float32Array(2 * 3 * 4), Uint8Array.of(1, 1, 1),
 *   { B: 1, K: 2, L: 3, d: 4 }, { iterations: 3, softmax: "interests" });
 * ok(Math.abs(c[0] - 0.5) < 1e-6);
 * ```
 */
export function routingCoefficients(
  u: Float32Array,
  mask: Uint8Array,
  shape: { B: number; K: number; L: number; d: number },
  options: { iterations: number; randomInit?: Rng; softmax?: RoutingSoftmax },
): Float32Array {
  const { B, K, L, d } = shape;
  const overPositions = (options.softmax ?? "positions") === "positions";
  const b = new Float64Array(B * K * L);
  if (options.randomInit) { for (let i = 0; i < b.length; i++) b[i] = options.randomInit.normal(); }
  const c = new Float32Array(B * K * L);
  const v = new Float64Array(K * d);
  for (let it = 0; it < options.iterations; it++) {
    for (let s = 0; s < B; s++) {
      if (overPositions) {
        for (let k = 0; k < K; k++) {
          const row = (s * K + k) * L;
          let max = -Infinity;
          for (let l = 0; l < L; l++) max = Math.max(max, b[row + l]);
          let sum = 0;
          for (let l = 0; l < L; l++) sum += Math.exp(b[row + l] - max);
          for (let l = 0; l < L; l++) {
            c[row + l] = mask[s * L + l] ? Math.exp(b[row + l] - max) / sum : 0;
          }
        }
      }
      for (let l = 0; l < L && !overPositions; l++) {
        if (!mask[s * L + l]) {
          for (let k = 0; k < K; k++) c[(s * K + k) * L + l] = 0;
          continue;
        }
        let max = -Infinity;
        for (let k = 0; k < K; k++) max = Math.max(max, b[(s * K + k) * L + l]);
        let sum = 0;
        for (let k = 0; k < K; k++) sum += Math.exp(b[(s * K + k) * L + l] - max);
        for (let k = 0; k < K; k++) {
          c[(s * K + k) * L + l] = Math.exp(b[(s * K + k) * L + l] - max) / sum;
        }
      }
      if (it === options.iterations - 1) continue;
      v.fill(0);
      for (let k = 0; k < K; k++) {
        for (let l = 0; l < L; l++) {
          const w = c[(s * K + k) * L + l];
          if (w === 0) continue;
          const base = ((s * K + k) * L + l) * d;
          for (let j = 0; j < d; j++) v[k * d + j] += w * u[base + j];
        }
        let n = 0;
        for (let j = 0; j < d; j++) n += v[k * d + j] ** 2;
        const f = n / (1 + n) / Math.sqrt(n + 1e-9);
        for (let j = 0; j < d; j++) v[k * d + j] *= f;
        for (let l = 0; l < L; l++) {
          const base = ((s * K + k) * L + l) * d;
          let dot = 0;
          for (let j = 0; j < d; j++) dot += u[base + j] * v[k * d + j];
          b[(s * K + k) * L + l] += dot;
        }
      }
    }
  }
  return c;
}
