/**
 * The two operations of the multi-interest fairness model's representation
 * layer (Zhao et al., WWW 2024, sections 4.1 and 4.2.1):
 *
 * - {@linkcode interestPool}, the interest embedding generator: node `v`'s
 *   k-th virtual interest embedding is an attention-weighted mean of its
 *   neighbours' centers, `m[v, k] = sum_n alpha[v, n, k] c[n]` with
 *   `alpha[v, ., k] = softmax over v's neighbours n of c[n] . w[k]`: a
 *   neighbour (for a user: an item it interacted with) related to interest
 *   `k` weighs more in interest `k`. The interests `w [K, d]` are shared by
 *   all nodes. Hand-written backward, finite-difference tested.
 * - {@linkcode closestInterest}, the argmax of the center embedding
 *   aggregator: which of a node's K virtual embeddings is closest (inner
 *   product) to its own center; that one becomes the node's next center, so
 *   one center per node carries the propagation to the next hop. The choice
 *   carries no gradient.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { SparseMatrix } from "../_graph/graph.ts";

/** Options of {@linkcode interestPool}. */
export interface InterestPoolOptions {
  /** Only these nodes' interests (rows of the output, in this order); default every node. */
  rows?: Int32Array;
  /**
   * Use the graph's weights as a prior of the attention (`weight x
   * exp(logit)`, i.e. `log weight` added to each logit); default: ignored.
   * Constant, so the backward is unchanged.
   */
  weighted?: boolean;
}

/**
 * The interest embedding generator: `[R, K, d]` virtual interests, R = the
 * graph's rows or `options.rows`. Only the graph's structure is used unless
 * `options.weighted` (its weights are ignored: the attention normalises over
 * a node's neighbours). A
 * node without neighbours gets zero interests.
 *
 * @param tape The tape.
 * @param a Adjacency (CSR; row `v` lists `v`'s neighbours).
 * @param c Centers `[N, d]`, N = `a.rows`.
 * @param w Global interest parameters `[K, d]`.
 * @param options Which rows to compute.
 * @returns `[R, K, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { interestPool } from "./ops.ts";
 * // Node 0 reads nodes 1 (center 1) and 2 (center -1); interest 0 (w = 0) weighs both equally.
 * const a = { rows: 3, ptr: Int32Array.of(0, 2, 2, 2), index: Int32Array.of(1, 2), weights: Float32Array.of(1, 1) };
 * const m = interestPool(new Tape(new TypeScriptBackend()), a,
 *   new Tensor(Float32Array.of(5, 1, -1), [3, 1]), new Tensor(Float32Array.of(0), [1, 1]));
 * ok(m.data.join() === "0,0,0");
 * ```
 */
export function interestPool(
  tape: Tape,
  a: SparseMatrix,
  c: Tensor,
  w: Tensor,
  options: InterestPoolOptions = {},
): Tensor {
  const K = w.shape[0], d = w.shape[1], N = a.rows;
  if (c.size !== N * d) {
    throw new TypeError(`interestPool(): centers have ${c.size} values, want ${N} x ${d}`);
  }
  const rows = options.rows ?? Int32Array.from({ length: N }, (_, v) => v);
  const { ptr, index } = a;
  const cd = c.data, wd = w.data;
  const weights = a.weights;
  const prior = options.weighted ? (p: number) => Math.log(weights[p]) : () => 0;
  // Logits per node and interest: s[n, k] = c[n] . w[k].
  const s = new Float64Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      let acc = 0;
      for (let j = 0; j < d; j++) acc += cd[n * d + j] * wd[k * d + j];
      s[n * K + k] = acc;
    }
  }
  // Attention per (output row, neighbour slot, interest), kept for the backward.
  const start = new Int32Array(rows.length + 1);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r];
    if (v < 0 || v >= N) throw new RangeError(`interestPool(): row ${v} is not in 0..${N - 1}`);
    start[r + 1] = start[r] + ptr[v + 1] - ptr[v];
  }
  const alpha = new Float32Array(start[rows.length] * K);
  const out = new Float32Array(rows.length * K * d);
  const mx = new Float64Array(K), z = new Float64Array(K);
  for (let r = 0; r < rows.length; r++) {
    const v = rows[r], p0 = ptr[v], p1 = ptr[v + 1], e0 = start[r];
    if (p0 === p1) continue;
    mx.fill(-Infinity);
    z.fill(0);
    for (let p = p0; p < p1; p++) {
      for (let k = 0; k < K; k++) mx[k] = Math.max(mx[k], s[index[p] * K + k] + prior(p));
    }
    for (let p = p0; p < p1; p++) {
      for (let k = 0; k < K; k++) z[k] += Math.exp(s[index[p] * K + k] + prior(p) - mx[k]);
    }
    for (let p = p0; p < p1; p++) {
      const n = index[p], e = (e0 + p - p0) * K;
      for (let k = 0; k < K; k++) {
        const al = Math.exp(s[n * K + k] + prior(p) - mx[k]) / z[k];
        alpha[e + k] = al;
        const o = (r * K + k) * d;
        for (let j = 0; j < d; j++) out[o + j] += al * cd[n * d + j];
      }
    }
  }
  const y = new Tensor(out, [rows.length, K, d], c.requiresGrad || w.requiresGrad);
  return tape.custom(y, (g) => {
    // gs[n, k]: gradient of the logit s[n, k], summed over every row that reads n.
    const gs = new Float64Array(N * K);
    const gc = c.requiresGrad ? c.gradient() : null;
    const ga = new Float64Array(K);
    let maxDegree = 0;
    for (let r = 0; r < rows.length; r++) {
      maxDegree = Math.max(maxDegree, ptr[rows[r] + 1] - ptr[rows[r]]);
    }
    const dots = new Float64Array(maxDegree * K);
    for (let r = 0; r < rows.length; r++) {
      const v = rows[r], p0 = ptr[v], p1 = ptr[v + 1], e0 = start[r];
      if (p0 === p1) continue;
      // d loss / d alpha[p, k] = g[r, k] . c[n]; softmax backward needs its alpha-weighted mean.
      ga.fill(0);
      for (let p = p0; p < p1; p++) {
        const n = index[p], e = (e0 + p - p0) * K;
        for (let k = 0; k < K; k++) {
          const o = (r * K + k) * d, al = alpha[e + k];
          let dot = 0;
          for (let j = 0; j < d; j++) dot += g[o + j] * cd[n * d + j];
          if (gc) { for (let j = 0; j < d; j++) gc[n * d + j] += al * g[o + j]; }
          dots[(p - p0) * K + k] = dot;
          ga[k] += al * dot;
        }
      }
      for (let p = p0; p < p1; p++) {
        const n = index[p], e = (e0 + p - p0) * K;
        for (let k = 0; k < K; k++) {
          gs[n * K + k] += alpha[e + k] * (dots[(p - p0) * K + k] - ga[k]);
        }
      }
    }
    const gw = w.requiresGrad ? w.gradient() : null;
    for (let n = 0; n < N; n++) {
      for (let k = 0; k < K; k++) {
        const gnk = gs[n * K + k];
        if (gnk === 0) continue;
        for (let j = 0; j < d; j++) {
          if (gc) gc[n * d + j] += gnk * wd[k * d + j];
          if (gw) gw[k * d + j] += gnk * cd[n * d + j];
        }
      }
    }
  });
}

/**
 * For each node, the interest whose virtual embedding has the largest inner
 * product with the node's center (ties: the lowest k).
 *
 * @param c Centers `[N, d]`.
 * @param m Virtual interests `[N, K, d]`.
 * @returns `[N]` interest indices.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Tensor } from "../engine/tensor.ts";
 * import { closestInterest } from "./ops.ts";
 * const k = closestInterest(new Tensor(Float32Array.of(1), [1, 1]), new Tensor(Float32Array.of(-3, 2), [1, 2, 1]));
 * ok(k[0] === 1);
 * ```
 */
export function closestInterest(c: Tensor, m: Tensor): Int32Array {
  const N = c.shape[0], d = c.size / N, K = m.size / (N * d);
  if (!Number.isInteger(K) || K < 1) {
    throw new TypeError(
      `closestInterest(): interests have ${m.size} values for ${N} x ${d} centers`,
    );
  }
  const pick = new Int32Array(N);
  for (let v = 0; v < N; v++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      const o = (v * K + k) * d;
      let s = 0;
      for (let j = 0; j < d; j++) s += c.data[v * d + j] * m.data[o + j];
      if (s > best) {
        best = s;
        pick[v] = k;
      }
    }
  }
  return pick;
}
