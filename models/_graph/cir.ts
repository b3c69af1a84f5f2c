/**
 * Collaboration-aware edge weights of CAGCN (Wang et al., "Collaboration-Aware
 * Graph Convolutional Network for Recommender Systems", WWW 2023).
 *
 * The Common Interacting Ratio of a neighbour `j` of a center node `i`
 * (the paper's phi_i(j), Eq. 7 with one hop, as its experiments use) is the
 * mean topological similarity between `j` and every neighbour `k` of `i`
 * (`j` itself included):
 *
 *     phi_i(j) = 1 / |N(i)| * sum_{k in N(i)} f(N(j), N(k))
 *
 * with `f` one of Jaccard (`jc`, |A ∩ B| / |A ∪ B|), Salton cosine (`sc`,
 * |A ∩ B| / sqrt(|A| |B|)), Leicht-Holme-Newman (`lhn`, |A ∩ B| / (|A| |B|))
 * or common neighbours (`co`, |A ∩ B|). For a user center the neighbours are
 * items and their sets are user sets, and the other way round.
 *
 * The propagation weight of the message `j -> i` (row `i`, column `j` of the
 * returned matrix) is then the paper's Eq. 8 with its `g` of the authors' two
 * variants:
 *
 * - CAGCN: `coeff * phi_i(j) / sum_j' phi_i(j') * sum_j' 1/sqrt(d_i d_j')`
 *   (the collaboration ratios rescaled to the mass LightGCN gives node `i`);
 * - CAGCN* (`fusion`): `coeff * phi_i(j) / sum_j' phi_i(j') + 1/sqrt(d_i d_j)`
 *   (LightGCN's weight plus the normalised ratios).
 *
 * The weights are not symmetric (`phi_i(j) != phi_j(i)`), so the matrix is not.
 *
 * Cost: for each node `j`, its row of co-occurrence counts `|N(j) ∩ N(k)|`
 * over the nodes of its side is built once (sum over `m` in N(j) of deg(m))
 * and read by every center `i` in N(j) (deg(i) each): O(sum of squared
 * degrees) time and O(nodes) memory in all.
 *
 * @module
 */
import type { TrainingData } from "../types.ts";
import { normalizedAdjacency, type SparseMatrix } from "./graph.ts";

/** The topological similarity `f` of the Common Interacting Ratio. */
export type CirSimilarity = "jc" | "sc" | "lhn" | "co";

/** Every accepted {@linkcode CirSimilarity}. */
export const CIR_SIMILARITIES: readonly CirSimilarity[] = ["jc", "sc", "lhn", "co"];

/**
 * `f(A, B)` from the intersection size and the two set sizes.
 *
 * @param type Which similarity.
 * @param common `|A ∩ B|`.
 * @param a `|A|`.
 * @param b `|B|`.
 * @returns The similarity.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { similarity } from "./cir.ts";
 * ok(similarity("jc", 1, 2, 3) === 0.25 && similarity("co", 1, 2, 3) === 1);
 * ```
 */
export function similarity(type: CirSimilarity, common: number, a: number, b: number): number {
  switch (type) {
    case "jc":
      return common / (a + b - common);
    case "sc":
      return common / Math.sqrt(a * b);
    case "lhn":
      return common / (a * b);
    case "co":
      return common;
  }
}

/**
 * phi_i(j) for every stored entry of the LightGCN adjacency `a` (row `i`,
 * column `j`), in `a`'s order.
 *
 * @param a The bipartite adjacency (only its structure is read).
 * @param type The similarity `f`.
 * @returns One ratio per stored entry.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { normalizedAdjacency } from "./graph.ts";
 * import { collaborationRatios } from "./cir.ts";
 * // One user, one item: each is the other's only neighbour, Jaccard of a set with itself is 1.
 * const phi = collaborationRatios(normalizedAdjacency(trainingDataFromRows([[0]], 1)), "jc");
 * ok(phi.join() === "1,1");
 * ```
 */
export function collaborationRatios(a: SparseMatrix, type: CirSimilarity): Float64Array {
  const { ptr, index } = a, N = a.rows;
  const degree = (v: number) => ptr[v + 1] - ptr[v];
  // Position of each entry (i, j) among row i's entries, found from j's side:
  // for every j and every center i in N(j), where (i, j) is stored.
  const phi = new Float64Array(index.length);
  const common = new Int32Array(N);
  const touched: number[] = [];
  for (let j = 0; j < N; j++) {
    const dj = degree(j);
    if (dj === 0) continue;
    // common[k] = |N(j) ∩ N(k)| for every k on j's side sharing a neighbour with j.
    for (let p = ptr[j]; p < ptr[j + 1]; p++) {
      const m = index[p];
      for (let q = ptr[m]; q < ptr[m + 1]; q++) {
        const k = index[q];
        if (common[k] === 0) touched.push(k);
        common[k]++;
      }
    }
    // Every center i in N(j): the mean of f(N(j), N(k)) over k in N(i).
    for (let p = ptr[j]; p < ptr[j + 1]; p++) {
      const i = index[p];
      let s = 0;
      for (let q = ptr[i]; q < ptr[i + 1]; q++) {
        const k = index[q];
        s += similarity(type, common[k], dj, degree(k));
      }
      phi[entryOf(a, i, j)] = s / degree(i);
    }
    for (const k of touched) common[k] = 0;
    touched.length = 0;
  }
  return phi;
}

/** Index of the stored entry (row, column) of a CSR matrix with sorted rows. */
function entryOf(a: SparseMatrix, row: number, column: number): number {
  let lo = a.ptr[row], hi = a.ptr[row + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1, c = a.index[mid];
    if (c === column) return mid;
    if (c < column) lo = mid + 1;
    else hi = mid - 1;
  }
  throw new RangeError(`collaborationRatios(): no edge (${row}, ${column}) in the graph`);
}

/** Options of {@linkcode collaborationAdjacency}. */
export interface CollaborationOptions {
  /** The similarity `f`. */
  type: CirSimilarity;
  /** The ratios' coefficient (the authors' `trend_coeff`). */
  coeff: number;
  /** CAGCN* (LightGCN's weight plus the ratios) instead of CAGCN (ratios rescaled to LightGCN's mass). */
  fusion: boolean;
}

/**
 * CAGCN's propagation matrix: row `i` holds the weights of the messages
 * `j -> i`.
 *
 * @param data Training data (distinct user-item pairs make the graph).
 * @param o Similarity, coefficient and variant.
 * @returns A `(numUsers + numItems)`-square matrix, not symmetric.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { collaborationAdjacency } from "./cir.ts";
 * const a = collaborationAdjacency(trainingDataFromRows([[0, 1], [1]], 2), { type: "jc", coeff: 1, fusion: true });
 * ok(a.rows === 4 && a.index.length === 6 && !a.symmetric);
 * ```
 */
export function collaborationAdjacency(data: TrainingData, o: CollaborationOptions): SparseMatrix {
  const a = normalizedAdjacency(data);
  const phi = collaborationRatios(a, o.type);
  const weights = new Float32Array(a.weights.length);
  for (let i = 0; i < a.rows; i++) {
    let phiSum = 0, lightSum = 0;
    for (let p = a.ptr[i]; p < a.ptr[i + 1]; p++) {
      phiSum += phi[p];
      lightSum += a.weights[p];
    }
    for (let p = a.ptr[i]; p < a.ptr[i + 1]; p++) {
      const ratio = phiSum > 0 ? o.coeff * phi[p] / phiSum : 0;
      weights[p] = o.fusion ? ratio + a.weights[p] : ratio * lightSum;
    }
  }
  return { rows: a.rows, ptr: a.ptr, index: a.index, weights, symmetric: false };
}
