/**
 * Hit rate at a cutoff.
 *
 * @module
 */

import { assertCutoff, countHits } from "./_ranking.ts";

/**
 * HitRate@k for one user: 1 if any of the first `k` ranked items is relevant,
 * else 0. Averaged over users it is the share of users with at least one hit.
 *
 * @param ranked Item indices, best first; only the first `k` are used.
 * @param relevant The user's relevant (held-out) items.
 * @param k The cutoff, a positive integer.
 * @returns 1 or 0.
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { hitRateAt } from "./hit_rate.ts";
 * strictEqual(hitRateAt([3, 1, 4], new Set([4]), 3), 1);
 * strictEqual(hitRateAt([3, 1, 4], new Set([4]), 2), 0);
 * ```
 */
export function hitRateAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "hitRateAt");
  return countHits(ranked, relevant, k) > 0 ? 1 : 0;
}
