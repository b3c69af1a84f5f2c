/**
 * Recall at a cutoff.
 *
 * @module
 */

import { assertCutoff, countHits } from "./_ranking.ts";

/**
 * Recall@k: the share of the relevant items found in the first `k` ranked
 * items, `hits / |relevant|`. Returns 0 when `relevant` is empty (callers
 * should not evaluate such users). `ranked` is assumed to hold no repeats, as
 * `topK` guarantees.
 *
 * @param ranked Item indices, best first; only the first `k` are used.
 * @param relevant The user's relevant (held-out) items.
 * @param k The cutoff, a positive integer.
 * @returns Recall in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { recallAt } from "./recall.ts";
 * strictEqual(recallAt([3, 1, 4], new Set([1, 9]), 3), 0.5);
 * ```
 */
export function recallAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "recallAt");
  if (relevant.size === 0) return 0;
  return countHits(ranked, relevant, k) / relevant.size;
}
