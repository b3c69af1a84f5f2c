/**
 * Gini coefficient of item exposure at a cutoff.
 *
 * @module
 */

import { exposureCounts } from "./_exposure.ts";

/**
 * Exposure Gini@k: the Gini coefficient of how often each of the `numItems`
 * items appears in users' first `k` ranked items, items never shown counting
 * as 0. With the counts sorted ascending as `x_1 .. x_n`,
 * `G = sum_i (2i - n - 1) x_i / (n * sum x)`. It is 0 for uniform exposure,
 * `(n - 1) / n` when one item takes all of it, and 0 when nothing is shown.
 *
 * @param lists One ranked list per user (best first); only the first `k` of each are used.
 * @param numItems Catalog size, a positive integer; items must be in `[0, numItems)`.
 * @param k The cutoff, a positive integer.
 * @returns The Gini coefficient in [0, (n - 1) / n].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { exposureGiniAt } from "./gini.ts";
 * strictEqual(exposureGiniAt([[0, 1], [1, 0]], 2, 2), 0); // uniform
 * strictEqual(exposureGiniAt([[0], [0]], 4, 1), 0.75); // one item: (4 - 1) / 4
 * ```
 */
export function exposureGiniAt(
  lists: readonly ArrayLike<number>[],
  numItems: number,
  k: number,
): number {
  const counts = exposureCounts(lists, numItems, k, "exposureGiniAt").sort();
  const n = numItems;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += counts[i];
    weighted += (2 * (i + 1) - n - 1) * counts[i];
  }
  return total === 0 ? 0 : weighted / (n * total);
}
