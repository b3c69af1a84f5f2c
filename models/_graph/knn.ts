/**
 * Item-item k-nearest-neighbour graphs from item vectors (LATTICE's and
 * FREEDOM's modality graphs): cosine similarity of every pair, each item's
 * `k` most similar items kept (itself included, as a top-k over the full
 * similarity matrix keeps it), and the normalisation both papers use,
 * `D^-1/2 A D^-1/2` with `D` the row sums of the kept (non-symmetric) matrix.
 *
 * @module
 */
import type { Backend } from "../engine/backend.ts";
import type { FeatureMatrix } from "./features.ts";
import type { SparseMatrix } from "./graph.ts";

/** Each item's `k` nearest items by cosine, best first. */
export interface KnnLists {
  /** Neighbours per row. */
  k: number;
  /** `[numItems * k]` item ids; -1 pads a row with fewer candidates. */
  neighbours: Int32Array;
  /** `[numItems * k]` cosine similarities (0 where padded). */
  similarity: Float32Array;
}

/** Rows of similarities computed per backend product. */
const BLOCK = 256;

/**
 * Each row's `k` most similar rows by cosine. A row that is all zeros or not
 * `present` has only itself as neighbour and is nobody else's. Ties go to the
 * lower item index.
 *
 * @param values `[n, width]` item vectors.
 * @param width Columns.
 * @param options `k`, `backend` (for the block products), `present`.
 * @returns The lists.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { cosineKnn } from "./knn.ts";
 * const v = Float32Array.of(1, 0, 0.9, 0.1, 0, 1);
 * const knn = cosineKnn(v, 2, { k: 2, backend: new TypeScriptBackend() });
 * ok(knn.neighbours.join() === "0,1,1,0,2,1");
 * ```
 */
export function cosineKnn(
  values: Float32Array,
  width: number,
  options: { k: number; backend: Backend; present?: Uint8Array },
): KnnLists {
  const n = values.length / width, k = options.k;
  const unit = new Float32Array(values.length);
  const usable = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (options.present && !options.present[i]) continue;
    let s = 0;
    for (let c = 0; c < width; c++) s += values[i * width + c] ** 2;
    if (!(s > 0)) continue;
    usable[i] = 1;
    const inv = 1 / Math.sqrt(s);
    for (let c = 0; c < width; c++) unit[i * width + c] = values[i * width + c] * inv;
  }
  const neighbours = new Int32Array(n * k).fill(-1);
  const similarity = new Float32Array(n * k);
  for (let start = 0; start < n; start += BLOCK) {
    const rows = Math.min(BLOCK, n - start);
    const sims = options.backend.gemm(
      unit.subarray(start * width, (start + rows) * width),
      unit,
      rows,
      width,
      n,
      { transB: true },
    );
    for (let r = 0; r < rows; r++) {
      const i = start + r, o = i * k;
      if (!usable[i]) {
        neighbours[o] = i;
        similarity[o] = 1;
        continue;
      }
      let filled = 0;
      for (let j = 0; j < n; j++) {
        if (!usable[j]) continue;
        // The item itself has cosine 1 up to rounding: pin it to exactly 1.
        const s = j === i ? 1 : sims[r * n + j];
        if (filled === k && s <= similarity[o + k - 1]) continue;
        let p = filled < k ? filled++ : k - 1;
        while (p > 0 && similarity[o + p - 1] < s) {
          similarity[o + p] = similarity[o + p - 1];
          neighbours[o + p] = neighbours[o + p - 1];
          p--;
        }
        similarity[o + p] = s;
        neighbours[o + p] = j;
      }
    }
  }
  return { k, neighbours, similarity };
}

/**
 * The kNN lists as a normalised sparse matrix `D^-1/2 A D^-1/2`: `A` holds
 * each kept similarity clamped at 0 (`weighted`, LATTICE's original graph)
 * or 1 (FREEDOM's), `D` its row sums (a zero row sum gives a zero row).
 *
 * @param knn The lists.
 * @param options `weighted`: keep the similarities rather than ones.
 * @returns An `n`-square matrix, each row's columns in neighbour order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { knnAdjacency } from "./knn.ts";
 * const knn = { k: 2, neighbours: Int32Array.of(0, 1, 1, 0), similarity: Float32Array.of(1, 1, 1, 1) };
 * ok(knnAdjacency(knn).weights.every((w) => w === 0.5));
 * ```
 */
export function knnAdjacency(knn: KnnLists, options: { weighted?: boolean } = {}): SparseMatrix {
  const { k, neighbours, similarity } = knn, n = neighbours.length / k;
  const ptr = new Int32Array(n + 1), index: number[] = [], raw: number[] = [];
  const rowSum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = neighbours[i * k + t];
      if (j < 0) continue;
      const a = options.weighted ? Math.max(similarity[i * k + t], 0) : 1;
      index.push(j);
      raw.push(a);
      rowSum[i] += a;
    }
    ptr[i + 1] = index.length;
  }
  const inv = Float64Array.from(rowSum, (s) => s > 0 ? 1 / Math.sqrt(s) : 0);
  const weights = new Float32Array(index.length);
  for (let i = 0; i < n; i++) {
    for (let p = ptr[i]; p < ptr[i + 1]; p++) weights[p] = raw[p] * inv[i] * inv[index[p]];
  }
  return { rows: n, ptr, index: Int32Array.from(index), weights };
}

/**
 * `sum_m coefficients[m] * matrices[m]` as one CSR matrix (entries of equal
 * position summed, columns ascending in each row).
 *
 * @param matrices Matrices of equal size.
 * @param coefficients One per matrix.
 * @returns The sum.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { weightedSum } from "./knn.ts";
 * const a = { rows: 1, ptr: Int32Array.of(0, 1), index: Int32Array.of(0), weights: Float32Array.of(2) };
 * ok(weightedSum([a, a], [0.25, 0.5]).weights[0] === 1.5);
 * ```
 */
export function weightedSum(
  matrices: readonly SparseMatrix[],
  coefficients: readonly number[],
): SparseMatrix {
  const n = matrices[0].rows;
  const ptr = new Int32Array(n + 1), index: number[] = [], weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = new Map<number, number>();
    matrices.forEach((m, c) => {
      if (m.rows !== n) throw new TypeError(`weightedSum(): ${m.rows} rows, want ${n}`);
      for (let p = m.ptr[i]; p < m.ptr[i + 1]; p++) {
        row.set(m.index[p], (row.get(m.index[p]) ?? 0) + coefficients[c] * m.weights[p]);
      }
    });
    for (const j of [...row.keys()].sort((a, b) => a - b)) {
      index.push(j);
      weights.push(row.get(j)!);
    }
    ptr[i + 1] = index.length;
  }
  return { rows: n, ptr, index: Int32Array.from(index), weights: Float32Array.from(weights) };
}

/**
 * Each modality's normalised kNN graph of its raw rows (FREEDOM's frozen
 * graphs unweighted, LATTICE's initial graphs weighted).
 *
 * @param matrices The modalities.
 * @param options `k`, `backend`, `weighted`.
 * @returns One matrix per modality.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { rawKnnGraphs } from "./knn.ts";
 * const v = Float32Array.of(1, 0, 0, 1);
 * const m = { name: "a", width: 2, values: v, raw: v, present: Uint8Array.of(1, 1), kind: "dense" as const };
 * ok(rawKnnGraphs([m], { k: 1, backend: new TypeScriptBackend() })[0].index.join() === "0,1");
 * ```
 */
export function rawKnnGraphs(
  matrices: readonly FeatureMatrix[],
  options: { k: number; backend: Backend; weighted?: boolean },
): SparseMatrix[] {
  return matrices.map((m) =>
    knnAdjacency(cosineKnn(m.raw, m.width, { ...options, present: m.present }), options)
  );
}
