/**
 * The user-item graph of the `cf` family as a sparse matrix: nodes are users
 * `0..numUsers-1` then items `numUsers..numUsers+numItems-1`, one undirected
 * edge per distinct training pair, weighted `1 / sqrt(deg(u) deg(i))`
 * (LightGCN's symmetric normalisation, no self-loops).
 *
 * @module
 */
import type { TrainingData } from "../types.ts";

/** A sparse matrix in CSR form. */
export interface SparseMatrix {
  /** Rows (and columns: the graph matrices here are square). */
  readonly rows: number;
  /** Row pointers, length `rows + 1`. */
  readonly ptr: Int32Array;
  /** Column of each stored value. */
  readonly index: Int32Array;
  /** Stored values. */
  readonly weights: Float32Array;
  /** True when the matrix equals its transpose (lets the backward reuse the forward product). */
  readonly symmetric?: boolean;
}

/**
 * Each user's distinct training items, ascending (duplicates removed), as CSR.
 *
 * @param data Training data.
 * @returns `ptr` over users and sorted `items`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { distinctUserItems } from "./graph.ts";
 * const { items } = distinctUserItems(trainingDataFromRows([[2, 0, 2]], 3));
 * ok(items.join() === "0,2");
 * ```
 */
export function distinctUserItems(data: TrainingData): { ptr: Int32Array; items: Int32Array } {
  const ptr = new Int32Array(data.numUsers + 1);
  const out: number[] = [];
  for (let u = 0; u < data.numUsers; u++) {
    const row = data.items.slice(data.userPtr[u], data.userPtr[u + 1]).sort();
    for (let p = 0; p < row.length; p++) if (p === 0 || row[p] !== row[p - 1]) out.push(row[p]);
    ptr[u + 1] = out.length;
  }
  return { ptr, items: Int32Array.from(out) };
}

/**
 * The symmetrically normalised adjacency of the bipartite user-item graph.
 *
 * @param data Training data.
 * @param options `keep(user, item)` drops edges it returns false for (per-modality graphs).
 * @returns A `(numUsers + numItems)`-square symmetric matrix.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { normalizedAdjacency } from "./graph.ts";
 * const a = normalizedAdjacency(trainingDataFromRows([[0, 1], [1]], 2));
 * ok(a.rows === 4 && a.index.length === 6);
 * ```
 */
export function normalizedAdjacency(
  data: TrainingData,
  options: { keep?: (user: number, item: number) => boolean } = {},
): SparseMatrix {
  const U = data.numUsers, N = U + data.numItems;
  const { ptr: up, items } = distinctUserItems(data);
  const keep = options.keep;
  const userOf = new Int32Array(items.length);
  const kept = new Uint8Array(items.length);
  const deg = new Float64Array(N);
  for (let u = 0; u < U; u++) {
    for (let p = up[u]; p < up[u + 1]; p++) {
      userOf[p] = u;
      if (keep && !keep(u, items[p])) continue;
      kept[p] = 1;
      deg[u]++;
      deg[U + items[p]]++;
    }
  }
  const ptr = new Int32Array(N + 1);
  for (let n = 0; n < N; n++) ptr[n + 1] = ptr[n] + deg[n];
  const index = new Int32Array(ptr[N]);
  const weights = new Float32Array(ptr[N]);
  const fill = ptr.slice(0, N);
  // Users' rows first (items ascending), then items' rows (users ascending).
  for (let p = 0; p < items.length; p++) {
    if (!kept[p]) continue;
    const u = userOf[p], i = U + items[p];
    const w = 1 / Math.sqrt(deg[u] * deg[i]);
    index[fill[u]] = i;
    weights[fill[u]++] = w;
    index[fill[i]] = u;
    weights[fill[i]++] = w;
  }
  return { rows: N, ptr, index, weights, symmetric: true };
}
