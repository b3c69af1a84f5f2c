/**
 * Counting item exposure across users' top-k lists, shared by the catalog
 * metrics.
 *
 * @module
 */

/**
 * Counts how often each item appears in the first `k` entries of the lists.
 *
 * @param lists One ranked list per user.
 * @param numItems Catalog size; every listed item must be in `[0, numItems)`.
 * @param k The cutoff, a positive integer.
 * @param metric Name used in error messages.
 * @returns Exposure count per item.
 */
export function exposureCounts(
  lists: readonly ArrayLike<number>[],
  numItems: number,
  k: number,
  metric: string,
): Float64Array {
  if (!Number.isInteger(numItems) || numItems < 1) {
    throw new RangeError(
      `Cannot compute ${metric}(): numItems must be a positive integer, found ${numItems}`,
    );
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`Cannot compute ${metric}(): k must be a positive integer, found ${k}`);
  }
  const counts = new Float64Array(numItems);
  for (let u = 0; u < lists.length; u++) {
    const list = lists[u];
    const n = Math.min(k, list.length);
    for (let r = 0; r < n; r++) {
      const item = list[r];
      if (!Number.isInteger(item) || item < 0 || item >= numItems) {
        throw new RangeError(
          `Cannot compute ${metric}(): list ${u} rank ${r} holds item ${item}, ` +
            `expected an integer in [0, ${numItems})`,
        );
      }
      counts[item]++;
    }
  }
  return counts;
}
