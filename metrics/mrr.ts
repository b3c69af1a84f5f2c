/**
 * Reciprocal rank at a cutoff.
 *
 * @module
 */

import { assertCutoff } from "./_ranking.ts";

/**
 * Reciprocal rank of the first hit within the first `k` ranked items,
 * `1 / rank` with `rank` 1-based, or 0 when there is no hit. Averaged over
 * users it is MRR@k.
 *
 * @param ranked Item indices, best first; only the first `k` are used.
 * @param relevant The user's relevant (held-out) items.
 * @param k The cutoff, a positive integer.
 * @returns The reciprocal rank in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { mrrAt } from "./mrr.ts";
 * strictEqual(mrrAt([3, 1, 4], new Set([4, 9]), 3), 1 / 3);
 * strictEqual(mrrAt([3, 1, 4], new Set([4, 9]), 2), 0);
 * ```
 */
export function mrrAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "mrrAt");
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) return 1 / (r + 1);
  }
  return 0;
}
