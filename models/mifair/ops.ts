/**
 * The two hand-written operations of the multi-interest fairness model, each
 * with a finite-difference test in `ops_test.ts`:
 *
 * - {@linkcode interestMix}: virtual interest embeddings
 *   `m[n, k] = c[n] + att[n, k] * w[k]` from centers `c [N, d]`, attention
 *   `att [N, K]` and the globally shared interest parameters `w [K, d]`.
 * - {@linkcode centerAggregate}: the center-embedding aggregator: node `v`'s
 *   next center is `sum_n A[v, n] m[n, k*]` with `k* = argmax_k c[v] . m[n, k]`,
 *   the neighbour's interest closest to `v`'s own center (the choice carries
 *   no gradient, as an argmax).
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { SparseMatrix } from "../_graph/graph.ts";

/**
 * `m[n, k] = c[n] + att[n, k] * w[k]`.
 *
 * @param tape The tape.
 * @param c Centers `[N, d]`.
 * @param att Attention `[N, K]` (softmax over K).
 * @param w Interest parameters `[K, d]`.
 * @returns `[N, K, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { interestMix } from "./ops.ts";
 * const m = interestMix(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(1), [1, 1]),
 *   new Tensor(Float32Array.of(0.5, 0.5), [1, 2]), new Tensor(Float32Array.of(2, 4), [2, 1]));
 * ok(m.data.join() === "2,3");
 * ```
 */
export function interestMix(tape: Tape, c: Tensor, att: Tensor, w: Tensor): Tensor {
  const K = w.shape[0], d = w.shape[1], N = c.size / d;
  if (att.size !== N * K) {
    throw new TypeError(`interestMix(): att has ${att.size} values, want ${N * K}`);
  }
  const out = new Float32Array(N * K * d);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const a = att.data[n * K + k], o = (n * K + k) * d;
      for (let j = 0; j < d; j++) out[o + j] = c.data[n * d + j] + a * w.data[k * d + j];
    }
  }
  const y = new Tensor(out, [N, K, d], c.requiresGrad || att.requiresGrad || w.requiresGrad);
  return tape.custom(y, (g) => {
    const gc = c.requiresGrad ? c.gradient() : null;
    const ga = att.requiresGrad ? att.gradient() : null;
    const gw = w.requiresGrad ? w.gradient() : null;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const a = att.data[n * K + k], o = (n * K + k) * d;
        let dot = 0;
        for (let j = 0; j < d; j++) {
          const gv = g[o + j];
          if (gc) gc[n * d + j] += gv;
          if (gw) gw[k * d + j] += a * gv;
          dot += gv * w.data[k * d + j];
        }
        if (ga) ga[n * K + k] += dot;
      }
    }
  });
}

/**
 * The center-embedding aggregator over a sparse (normalised) adjacency.
 *
 * @param tape The tape.
 * @param a Adjacency, `N` rows.
 * @param c Centers `[N, d]` (only choose the interest; no gradient).
 * @param m Interest embeddings `[N, K, d]`.
 * @param choice When `m` was made by {@linkcode interestMix} from `c`, its
 *   attention and `w`: the argmax is then computed in `d + K` work per edge
 *   (the same choice, the shared `c[v] . c[n]` term dropped).
 * @returns Next centers `[N, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { centerAggregate } from "./ops.ts";
 * // Node 0 (center 1) reads node 1, whose interests are -3 and 2: it takes 2.
 * const a = { rows: 2, ptr: Int32Array.of(0, 1, 1), index: Int32Array.of(1), weights: Float32Array.of(1) };
 * const y = centerAggregate(new Tape(new TypeScriptBackend()), a,
 *   new Tensor(Float32Array.of(1, 0), [2, 1]), new Tensor(Float32Array.of(0, 0, -3, 2), [2, 2, 1]));
 * ok(y.data[0] === 2);
 * ```
 */
export function centerAggregate(
  tape: Tape,
  a: SparseMatrix,
  c: Tensor,
  m: Tensor,
  choice?: { att: Tensor; w: Tensor },
): Tensor {
  const N = a.rows, d = c.size / N, K = m.size / (N * d);
  const { ptr, index, weights } = a;
  const pick = new Uint8Array(index.length);
  const out = new Float32Array(N * d);
  // With m = c + att w, c[v] . m[n, k] = c[v] . c[n] + att[n, k] (c[v] . w[k]): d + K work
  // per edge instead of K d.
  const cw = new Float64Array(choice ? N * K : 0);
  if (choice) {
    for (let v = 0; v < N; v++) {
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += c.data[v * d + j] * choice.w.data[k * d + j];
        cw[v * K + k] = s;
      }
    }
  }
  for (let v = 0; v < N; v++) {
    const cv = v * d, o = v * d;
    for (let p = ptr[v]; p < ptr[v + 1]; p++) {
      const n = index[p];
      let best = 0, bestScore = -Infinity;
      if (choice) {
        for (let k = 0; k < K; k++) {
          const s = choice.att.data[n * K + k] * cw[v * K + k];
          if (s > bestScore) {
            bestScore = s;
            best = k;
          }
        }
      } else {
        for (let k = 0; k < K; k++) {
          const base = (n * K + k) * d;
          let s = 0;
          for (let j = 0; j < d; j++) s += c.data[cv + j] * m.data[base + j];
          if (s > bestScore) {
            bestScore = s;
            best = k;
          }
        }
      }
      pick[p] = best;
      const base = (n * K + best) * d, wp = weights[p];
      for (let j = 0; j < d; j++) out[o + j] += wp * m.data[base + j];
    }
  }
  const y = new Tensor(out, [N, d], m.requiresGrad);
  return tape.custom(y, (g) => {
    if (!m.requiresGrad) return;
    const gm = m.gradient();
    for (let v = 0; v < N; v++) {
      for (let p = ptr[v]; p < ptr[v + 1]; p++) {
        const base = (index[p] * K + pick[p]) * d, wp = weights[p];
        for (let j = 0; j < d; j++) gm[base + j] += wp * g[v * d + j];
      }
    }
  });
}
