/**
 * LATTICE's item-item propagation (Zhang et al., MM 2021) as one tape
 * operation, `h = S^L x` with
 *
 *     S = (1 - lambda) N(sum_m w_m A_m) + lambda sum_m w_m O_m
 *
 * - `A_m` (paper Eq. 2-3): per modality m, each item's neighbour list (its
 *   k nearest items by cosine of the projected features `z_m`, chosen
 *   outside this operation) holding the cosines `cos(z_m[i], z_m[j])`,
 *   clamped at 0;
 * - `w = softmax(logits)` (Eq. 5, the learned modality weights);
 * - `N(A) = D^-1/2 A D^-1/2` with `D` the row sums (Eq. 4);
 * - `O_m` the modality's fixed graph from the raw features, already
 *   normalised (Eq. 6: the skip connection to the initial structure, weight
 *   `lambda`).
 *
 * The gradient reaches `x`, the projected features `z_m` (through the
 * cosines of the kept entries) and the logits (through both parts).
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { SparseMatrix } from "../_graph/graph.ts";
import { sparseProduct } from "../_graph/propagate.ts";

/** The fixed inputs of {@linkcode latticeItemGraph}. */
export interface ItemGraphInputs {
  /** Per modality, `[N * k]` neighbour lists (-1 pads). */
  neighbours: readonly Int32Array[];
  /** Neighbours per item. */
  k: number;
  /** Per modality, the normalised graph of the raw features. */
  original: readonly SparseMatrix[];
  /** Weight of the original graphs. */
  lambda: number;
  /** Propagations L. */
  layers: number;
}

/**
 * `S^L x` (see the module doc).
 *
 * @param tape The tape.
 * @param z Per modality, projected features `[N, f]`.
 * @param logits `[M]` modality weight logits.
 * @param x Item vectors `[N, d]`.
 * @param inputs Neighbour lists, original graphs, lambda, L.
 * @returns `[N, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { latticeItemGraph } from "./ops.ts";
 * const z = new Tensor(Float32Array.of(1, 0, 1, 0.1), [2, 2]);
 * const eye = { rows: 2, ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(0, 1), weights: Float32Array.of(1, 1) };
 * const h = latticeItemGraph(new Tape(new TypeScriptBackend()), [z], new Tensor(new Float32Array(1), [1]),
 *   new Tensor(Float32Array.of(1, 1), [2, 1]),
 *   { neighbours: [Int32Array.of(0, 1, 1, 0)], k: 2, original: [eye], lambda: 0, layers: 1 });
 * ok(Math.abs(h.data[0] - 1) < 1e-6);
 * ```
 */
export function latticeItemGraph(
  tape: Tape,
  z: readonly Tensor[],
  logits: Tensor,
  x: Tensor,
  inputs: ItemGraphInputs,
): Tensor {
  const { neighbours, k, original, lambda, layers } = inputs;
  const M = z.length, N = x.shape[0], d = x.size / N;
  const mx = Math.max(...logits.data);
  const ex = Array.from(logits.data, (v) => Math.exp(v - mx));
  const total = ex.reduce((s, v) => s + v, 0);
  const w = ex.map((v) => v / total);
  // Unit rows and norms of each modality's features.
  const units = z.map((t) => {
    const f = t.size / N, unit = new Float32Array(t.size), norm = new Float64Array(N);
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let c = 0; c < f; c++) s += t.data[i * f + c] ** 2;
      norm[i] = Math.max(Math.sqrt(s), 1e-12);
      for (let c = 0; c < f; c++) unit[i * f + c] = t.data[i * f + c] / norm[i];
    }
    return { f, unit, norm };
  });
  // Entries e = (m, i, slot): cosine c, kept value a = w_m max(c, 0).
  const E = M * N * k;
  const cos = new Float32Array(E), a = new Float64Array(E), rowSum = new Float64Array(N);
  for (let m = 0; m < M; m++) {
    const { f, unit } = units[m];
    for (let i = 0; i < N; i++) {
      for (let t = 0; t < k; t++) {
        const e = (m * N + i) * k + t, j = neighbours[m][i * k + t];
        if (j < 0) continue;
        let c = 0;
        if (j === i) c = 1;
        else for (let q = 0; q < f; q++) c += unit[i * f + q] * unit[j * f + q];
        cos[e] = c;
        a[e] = w[m] * Math.max(c, 0);
        rowSum[i] += a[e];
      }
    }
  }
  const inv = Float64Array.from(rowSum, (r) => r > 0 ? 1 / Math.sqrt(r) : 0);
  const learned = (e: number, i: number, j: number) => (1 - lambda) * a[e] * inv[i] * inv[j];
  // One application of S to `v`.
  const apply = (v: Float32Array) => {
    const out = new Float32Array(N * d);
    for (let m = 0; m < M; m++) {
      const o = sparseProduct(original[m], v, d);
      for (let p = 0; p < out.length; p++) out[p] += lambda * w[m] * o[p];
      for (let i = 0; i < N; i++) {
        for (let t = 0; t < k; t++) {
          const e = (m * N + i) * k + t, j = neighbours[m][i * k + t];
          if (j < 0 || a[e] === 0) continue;
          const s = learned(e, i, j);
          for (let c = 0; c < d; c++) out[i * d + c] += s * v[j * d + c];
        }
      }
    }
    return out;
  };
  const xs = [x.data];
  for (let l = 0; l < layers; l++) xs.push(apply(xs[l]));
  const needs = x.requiresGrad || logits.requiresGrad || z.some((t) => t.requiresGrad);
  const y = new Tensor(xs[layers], [N, d], needs);
  return tape.custom(y, (grad) => {
    const gLearned = new Float64Array(E), gw = new Float64Array(M);
    let g = Float32Array.from(grad);
    for (let l = layers - 1; l >= 0; l--) {
      const v = xs[l], back = new Float32Array(N * d);
      for (let m = 0; m < M; m++) {
        const o = sparseProduct(original[m], v, d);
        for (let p = 0; p < o.length; p++) gw[m] += lambda * g[p] * o[p];
        // O_m^T g, scattered.
        const om = original[m];
        for (let i = 0; i < N; i++) {
          for (let p = om.ptr[i]; p < om.ptr[i + 1]; p++) {
            const s = lambda * w[m] * om.weights[p], j = om.index[p];
            for (let c = 0; c < d; c++) back[j * d + c] += s * g[i * d + c];
          }
        }
        for (let i = 0; i < N; i++) {
          for (let t = 0; t < k; t++) {
            const e = (m * N + i) * k + t, j = neighbours[m][i * k + t];
            if (j < 0 || a[e] === 0) continue;
            const s = learned(e, i, j);
            let dot = 0;
            for (let c = 0; c < d; c++) {
              dot += g[i * d + c] * v[j * d + c];
              back[j * d + c] += s * g[i * d + c];
            }
            gLearned[e] += (1 - lambda) * dot;
          }
        }
      }
      g = back;
    }
    if (x.requiresGrad) {
      const gx = x.gradient();
      for (let p = 0; p < g.length; p++) gx[p] += g[p];
    }
    // Through N(.): L_e = a_e inv_i inv_j, inv = r^-1/2, r_i = sum of row i's a.
    const gInv = new Float64Array(N), ga = new Float64Array(E);
    for (let m = 0; m < M; m++) {
      for (let i = 0; i < N; i++) {
        for (let t = 0; t < k; t++) {
          const e = (m * N + i) * k + t, j = neighbours[m][i * k + t];
          if (j < 0 || gLearned[e] === 0) continue;
          ga[e] += gLearned[e] * inv[i] * inv[j];
          gInv[i] += gLearned[e] * a[e] * inv[j];
          gInv[j] += gLearned[e] * a[e] * inv[i];
        }
      }
    }
    const gRow = Float64Array.from(gInv, (gi, i) => rowSum[i] > 0 ? -0.5 * gi * inv[i] ** 3 : 0);
    for (let m = 0; m < M; m++) {
      const { f, unit, norm } = units[m];
      const gz = z[m].requiresGrad ? z[m].gradient() : undefined;
      for (let i = 0; i < N; i++) {
        for (let t = 0; t < k; t++) {
          const e = (m * N + i) * k + t, j = neighbours[m][i * k + t];
          if (j < 0) continue;
          const gae = ga[e] + gRow[i], c = cos[e];
          gw[m] += gae * Math.max(c, 0);
          // The self entry's cosine is 1 whatever z is; a clamped one is flat.
          if (!gz || j === i || c <= 0) continue;
          const gc = gae * w[m];
          for (let q = 0; q < f; q++) {
            const ui = unit[i * f + q], uj = unit[j * f + q];
            gz[i * f + q] += gc * (uj - c * ui) / norm[i];
            gz[j * f + q] += gc * (ui - c * uj) / norm[j];
          }
        }
      }
    }
    if (logits.requiresGrad) {
      const gl = logits.gradient();
      const mean = gw.reduce((s, v, m) => s + v * w[m], 0);
      for (let m = 0; m < M; m++) gl[m] += w[m] * (gw[m] - mean);
    }
  });
}
