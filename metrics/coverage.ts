/**
 * Catalog coverage at a cutoff.
 *
 * @module
 */

import { exposureCounts } from "./_exposure.ts";

/**
 * Catalog coverage@k: the number of distinct items appearing in any user's
 * first `k` ranked items, divided by `numItems`.
 *
 * @param lists One ranked list per user (best first); only the first `k` of each are used.
 * @param numItems Catalog size, a positive integer; items must be in `[0, numItems)`.
 * @param k The cutoff, a positive integer.
 * @returns Coverage in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { catalogCoverageAt } from "./coverage.ts";
 * // Top-2 lists reach items 0, 1 and 2 out of 4.
 * strictEqual(catalogCoverageAt([[0, 1, 3], [1, 2]], 4, 2), 0.75);
 * ```
 */
export function catalogCoverageAt(
  lists: readonly ArrayLike<number>[],
  numItems: number,
  k: number,
): number {
  const counts = exposureCounts(lists, numItems, k, "catalogCoverageAt");
  let distinct = 0;
  for (let i = 0; i < numItems; i++) {
    if (counts[i] > 0) distinct++;
  }
  return distinct / numItems;
}
