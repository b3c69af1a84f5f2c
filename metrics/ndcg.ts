/**
 * Normalised discounted cumulative gain at a cutoff, standard binary-gain form.
 *
 * This iterates the ranked list, as the standard definition does. ComiRec's
 * original code iterated the ground truth and REMI's iterates a hash set, so
 * their NDCG numbers are not comparable with this one.
 *
 * @module
 */

import { assertCutoff } from "./_ranking.ts";

/**
 * NDCG@k with binary gains:
 * `DCG = sum over ranks r < k (0-based) holding a relevant item of 1 / log2(r + 2)`,
 * `IDCG = sum over r < min(|relevant|, k) of 1 / log2(r + 2)`, result
 * `DCG / IDCG`. Returns 0 when `relevant` is empty. `ranked` is assumed to hold
 * no repeats, as `topK` guarantees.
 *
 * @param ranked Item indices, best first; only the first `k` are used.
 * @param relevant The user's relevant (held-out) items.
 * @param k The cutoff, a positive integer.
 * @returns NDCG in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { ndcgAt } from "./ndcg.ts";
 * strictEqual(ndcgAt([7, 2], new Set([7, 2]), 2), 1);
 * strictEqual(ndcgAt([3, 7], new Set([7]), 2), 1 / Math.log2(3));
 * ```
 */
export function ndcgAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "ndcgAt");
  if (relevant.size === 0) return 0;
  const n = Math.min(k, ranked.length);
  let dcg = 0;
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  }
  if (dcg === 0) return 0;
  const ideal = Math.min(relevant.size, k);
  let idcg = 0;
  for (let r = 0; r < ideal; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}
