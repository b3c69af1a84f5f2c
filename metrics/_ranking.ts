/**
 * Helpers shared by the per-user ranking metrics.
 *
 * @module
 */

/**
 * Throws unless `k` is a positive integer.
 *
 * @param k The cutoff to check.
 * @param metric Name used in the message, e.g. `"ndcgAt"`.
 */
export function assertCutoff(k: number, metric: string): void {
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`Cannot compute ${metric}(): k must be a positive integer, found ${k}`);
  }
}

/**
 * Counts how many of the first `k` ranked items are relevant.
 *
 * @param ranked Item indices, best first.
 * @param relevant The relevant items.
 * @param k The cutoff.
 * @returns The number of hits.
 */
export function countHits(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  const n = Math.min(k, ranked.length);
  let hits = 0;
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) hits++;
  }
  return hits;
}
