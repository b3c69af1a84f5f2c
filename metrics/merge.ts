/**
 * Multi-interest retrieval as evaluated by ComiRec and REMI: each interest
 * retrieves its own top-k, the candidate lists are merged by score (an item
 * keeps its highest score), de-duplicated, and the best k kept. Ranking follows
 * {@linkcode topK}: score descending, ties by lower item index, `NaN` as
 * `-Infinity`.
 *
 * The result equals `topK` over the per-item maximum across interests (an
 * item's best interest always retrieves it when it belongs in the top k), but
 * this path does not need the n-sized maximum row.
 *
 * @module
 */

import { topK } from "./topk.ts";

/**
 * Options for {@linkcode topKMultiInterest}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { type MultiInterestOptions, topKMultiInterest } from "./merge.ts";
 * // The row starts after one padding score; item 0 is excluded.
 * const options: MultiInterestOptions = { offset: 1, exclude: [0] };
 * const scores = Float32Array.of(-1, 0.9, 0.1, 0.2, 0.3, 0.8, 0.9);
 * deepStrictEqual([...topKMultiInterest(scores, 2, 3, 2, options)], [2, 1]);
 * ```
 */
export interface MultiInterestOptions {
  /**
   * Item indices in `[0, numItems)` that must never be returned.
   * @default {[]}
   */
  exclude?: ArrayLike<number>;
  /**
   * Index in `scores` where the row (all interest blocks) starts.
   * @default {0}
   */
  offset?: number;
}

/**
 * Returns the merged top-k items of a multi-interest row. The row is
 * `interests` consecutive blocks of `numItems` scores starting at `offset`:
 * block `j` holds interest `j`'s score for every item.
 *
 * @param scores Scores; the row is a slice of it.
 * @param interests Number of interest blocks (a positive integer).
 * @param numItems Items per block (a non-negative integer).
 * @param k How many items to return; fewer if fewer remain after exclusion.
 * @param options Row start and excluded items.
 * @returns Up to `k` distinct item indices in `[0, numItems)`, best first.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { type MultiInterestOptions, topKMultiInterest } from "./merge.ts";
 * // Two interests over three items: item maxima are 0.9, 0.8, 0.9.
 * const scores = Float32Array.of(
 *   0.9, 0.1, 0.2,
 *   0.3, 0.8, 0.9,
 * );
 * deepStrictEqual([...topKMultiInterest(scores, 2, 3, 2)], [0, 2]); // tie: lower index first
 * const options: MultiInterestOptions = { exclude: [0] };
 * deepStrictEqual([...topKMultiInterest(scores, 2, 3, 2, options)], [2, 1]);
 * ```
 */
export function topKMultiInterest(
  scores: Float32Array,
  interests: number,
  numItems: number,
  k: number,
  options: MultiInterestOptions = {},
): Int32Array {
  const offset = options.offset ?? 0;
  if (!Number.isInteger(interests) || interests < 1) {
    throw new RangeError(
      `Cannot merge interests: interests must be a positive integer, found ${interests}`,
    );
  }
  if (!Number.isInteger(numItems) || numItems < 0) {
    throw new RangeError(
      `Cannot merge interests: numItems must be a non-negative integer, found ${numItems}`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0 || offset + interests * numItems > scores.length) {
    throw new RangeError(
      `Cannot merge interests: row of ${interests} x ${numItems} scores at offset ${offset} ` +
        `does not fit in ${scores.length} scores`,
    );
  }

  const candidateItems: number[] = [];
  const candidateScores: number[] = []; // NaN already mapped to -Infinity
  for (let j = 0; j < interests; j++) {
    const start = offset + j * numItems;
    const items = topK(scores, k, { exclude: options.exclude, offset: start, length: numItems });
    for (const item of items) {
      candidateItems.push(item);
      const s = scores[start + item];
      candidateScores.push(s !== s ? -Infinity : s);
    }
  }

  // Best first (score descending, then lower item index), so an item's first
  // appearance carries its highest score.
  const order = Array.from(candidateItems, (_, i) => i);
  order.sort((a, b) => {
    const sa = candidateScores[a];
    const sb = candidateScores[b];
    if (sa !== sb) return sa > sb ? -1 : 1;
    return candidateItems[a] - candidateItems[b];
  });
  const taken = new Set<number>();
  const result = new Int32Array(Math.min(k, order.length));
  let size = 0;
  for (const i of order) {
    if (size === result.length) break;
    const item = candidateItems[i];
    if (taken.has(item)) continue;
    taken.add(item);
    result[size++] = item;
  }
  return size === result.length ? result : result.slice(0, size);
}
