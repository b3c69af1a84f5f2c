/**
 * A fixed, deterministic k-means for labelling items when a dataset has no
 * categories: farthest-point initialisation from row 0 (no random draws),
 * then Lloyd iterations; ties go to the lower cluster index.
 *
 * @module
 */

/** Options of {@linkcode kmeans}. */
export interface KMeansOptions {
  /** Lloyd iterations at most (stops earlier when no label changes). @default {25} */
  iterations?: number;
}

/**
 * Clusters `rows` vectors of width `dim` into `k` groups.
 *
 * @param vectors Row-major `[rows, dim]`.
 * @param k Clusters (at most the number of rows).
 * @param options Iterations.
 * @returns The cluster of each row.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { kmeans } from "./kmeans.ts";
 * const labels = kmeans({ data: Float32Array.of(0, 0.1, 10, 10.2), rows: 4, dim: 1 }, 2);
 * deepStrictEqual([...labels], [0, 0, 1, 1]);
 * ```
 */
export function kmeans(
  vectors: { data: Float32Array; rows: number; dim: number },
  k: number,
  options: KMeansOptions = {},
): Int32Array {
  const { data, rows, dim } = vectors;
  if (!Number.isInteger(k) || k < 1 || k > rows) {
    throw new RangeError(`kmeans(): k must be an integer in [1, ${rows}], got ${k}`);
  }
  const dist = (r: number, c: Float64Array, ci: number) => {
    let s = 0;
    for (let j = 0; j < dim; j++) {
      const v = data[r * dim + j] - c[ci * dim + j];
      s += v * v;
    }
    return s;
  };
  const centers = new Float64Array(k * dim);
  const nearest = new Float64Array(rows).fill(Infinity);
  let next = 0;
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < dim; j++) centers[c * dim + j] = data[next * dim + j];
    let far = -1;
    for (let r = 0; r < rows; r++) {
      nearest[r] = Math.min(nearest[r], dist(r, centers, c));
      if (nearest[r] > far) {
        far = nearest[r];
        next = r;
      }
    }
  }
  const labels = new Int32Array(rows).fill(-1);
  const counts = new Float64Array(k);
  for (let it = 0; it < (options.iterations ?? 25); it++) {
    let changed = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0, bestD = Infinity;
      for (let c = 0; c < k; c++) {
        const d = dist(r, centers, c);
        if (d < bestD) {
          bestD = d;
          best = c;
        }
      }
      if (labels[r] !== best) changed++;
      labels[r] = best;
    }
    if (changed === 0) break;
    const sums = new Float64Array(k * dim);
    counts.fill(0);
    for (let r = 0; r < rows; r++) {
      counts[labels[r]]++;
      for (let j = 0; j < dim; j++) sums[labels[r] * dim + j] += data[r * dim + j];
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue; // an empty cluster keeps its centre
      for (let j = 0; j < dim; j++) centers[c * dim + j] = sums[c * dim + j] / counts[c];
    }
  }
  return labels;
}
