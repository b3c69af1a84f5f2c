/**
 * SimEmb's co-occurrence weights: for each item, the items seen within `window`
 * steps of it in the training sequences, counted (all of them, sparse, or the
 * `neighbors` most frequent, ties: lower item id), plus the item itself with
 * count 1, and normalised to sum to 1 per item.
 *
 * @module
 */
import type { TrainingData } from "../types.ts";

/** Row-normalised sparse co-occurrence weights (CSR over items). */
export interface CooccurrenceWeights {
  /** Row pointers, length numItems + 1. */
  ptr: Int32Array;
  /** Neighbour items (the item itself first). */
  index: Int32Array;
  /** Weights, summing to 1 per row. */
  weights: Float32Array;
}

/**
 * Counts co-occurrences within a step window over the training users' sequences.
 *
 * @param data Training data.
 * @param options `window` (T, steps either side) and `neighbors` kept per item (0: all).
 * @returns The weights.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { cooccurrenceWeights } from "./cooccurrence.ts";
 * const data = { numItems: 3, numUsers: 1, userPtr: Int32Array.of(0, 3), items: Int32Array.of(0, 1, 2),
 *   trainUsers: Int32Array.of(0) };
 * const w = cooccurrenceWeights(data, { window: 1, neighbors: 5 });
 * deepStrictEqual([...w.index.subarray(w.ptr[1], w.ptr[2])], [1, 0, 2]);
 * ```
 */
export function cooccurrenceWeights(
  data: Pick<TrainingData, "numItems" | "numUsers" | "userPtr" | "items" | "trainUsers">,
  options: { window: number; neighbors: number },
): CooccurrenceWeights {
  const n = data.numItems, T = options.window;
  const rows: Map<number, number>[] = Array.from({ length: n }, () => new Map());
  for (const u of data.trainUsers) {
    const s = data.userPtr[u], e = data.userPtr[u + 1];
    for (let p = s; p < e; p++) {
      const i = data.items[p];
      for (let q = Math.max(s, p - T); q < Math.min(e, p + T + 1); q++) {
        const j = data.items[q];
        if (q === p || j === i) continue;
        rows[i].set(j, (rows[i].get(j) ?? 0) + 1);
      }
    }
  }
  const ptr = new Int32Array(n + 1);
  const index: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const sorted = [...rows[i]].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const top = options.neighbors > 0 ? sorted.slice(0, options.neighbors) : sorted;
    const total = 1 + top.reduce((s, [, c]) => s + c, 0);
    index.push(i);
    weights.push(1 / total);
    for (const [j, c] of top) {
      index.push(j);
      weights.push(c / total);
    }
    ptr[i + 1] = index.length;
  }
  return { ptr, index: Int32Array.from(index), weights: Float32Array.from(weights) };
}
