/**
 * Precision at a cutoff.
 *
 * @module
 */

import { assertCutoff, countHits } from "./_ranking.ts";

/**
 * Precision@k: `hits / k`. The divisor is `k`, not the list length, so a list
 * shorter than `k` (for example after exclusion) is not rewarded for being
 * short. `ranked` is assumed to hold no repeats, as `topK`
 * guarantees.
 *
 * @param ranked Item indices, best first; only the first `k` are used.
 * @param relevant The user's relevant (held-out) items.
 * @param k The cutoff, a positive integer.
 * @returns Precision in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { precisionAt } from "./precision.ts";
 * strictEqual(precisionAt([3, 1, 4, 5], new Set([1, 5]), 4), 0.5);
 * strictEqual(precisionAt([1], new Set([1]), 4), 0.25); // divides by k
 * ```
 */
export function precisionAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "precisionAt");
  return countHits(ranked, relevant, k) / k;
}
