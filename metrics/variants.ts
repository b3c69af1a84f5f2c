/**
 * Metric variants that ComiRec's and REMI's evaluation code compute, kept
 * apart from the standard metrics (they are reported under their own names,
 * never as `recall` or `ndcg`) so that a number can be compared with the
 * papers' code without being mistaken for the standard one.
 *
 * - `recall_repeats@k`: hits over the number of target *events*. The
 *   reference code keeps a held-out user's last 20% as a list, so an item
 *   watched twice counts twice in the denominator but can be hit only once;
 *   the standard recall divides by the number of distinct target items.
 * - `ndcg_comirec@k`: ComiRec's NDCG (its current code): DCG over the ranked
 *   list, but the ideal DCG is over as many positions as there are *hits*
 *   (not `min(|targets|, k)`), so a user whose hits all sit at the top scores
 *   1 however many targets were missed. Users without a hit score 0.
 *   REMI's code computes the same formula over a Python set of the retrieved
 *   ids, whose iteration order is not the ranking, so its NDCG is not
 *   reproduced here.
 *
 * @module
 */

import { assertCutoff, countHits } from "./_ranking.ts";

/**
 * Recall as the reference code computes it: hits among the first `k` ranked
 * items over the number of target events, repeats counted.
 *
 * @param ranked Item indices, best first (no repeats); only the first `k` are used.
 * @param relevant The distinct target items.
 * @param targetEvents Number of target events, repeats counted (at least `relevant.size`).
 * @param k The cutoff, a positive integer.
 * @returns The variant recall in [0, 1]; 0 when there are no targets.
 * @throws {RangeError} If `targetEvents` is smaller than the number of distinct targets.
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { recallWithRepeatsAt } from "./variants.ts";
 * // Targets [5, 5, 9]: item 5 found, 9 missed -> 1 / 3 (standard recall: 1 / 2).
 * strictEqual(recallWithRepeatsAt([5, 1], new Set([5, 9]), 3, 2), 1 / 3);
 * ```
 */
export function recallWithRepeatsAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  targetEvents: number,
  k: number,
): number {
  assertCutoff(k, "recallWithRepeatsAt");
  if (!(targetEvents >= relevant.size)) {
    throw new RangeError(
      `Cannot compute recallWithRepeatsAt(): ${targetEvents} target events for ${relevant.size} distinct targets`,
    );
  }
  if (relevant.size === 0) return 0;
  return countHits(ranked, relevant, k) / targetEvents;
}

/**
 * ComiRec's NDCG: `DCG = sum over ranks r < k (0-based) holding a target of
 * 1 / log2(r + 2)`, divided by the ideal DCG of as many hits as were found,
 * `sum over r < hits of 1 / log2(r + 2)`; 0 without a hit.
 *
 * @param ranked Item indices, best first (no repeats); only the first `k` are used.
 * @param relevant The distinct target items.
 * @param k The cutoff, a positive integer.
 * @returns The variant NDCG in [0, 1].
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { ndcgComiRecAt } from "./variants.ts";
 * // One hit at rank 1 of 3 targets: 1 here (standard NDCG@2: 1 / (1 + 1 / log2(3))).
 * strictEqual(ndcgComiRecAt([4, 8], new Set([4, 6, 7]), 2), 1);
 * ```
 */
export function ndcgComiRecAt(
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
): number {
  assertCutoff(k, "ndcgComiRecAt");
  const n = Math.min(k, ranked.length);
  let dcg = 0, hits = 0;
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) {
      dcg += 1 / Math.log2(r + 2);
      hits++;
    }
  }
  if (hits === 0) return 0;
  let idcg = 0;
  for (let r = 0; r < hits; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

/**
 * Means of the reference-code variants over users, keys
 * `recall_repeats@k` then `ndcg_comirec@k`, cutoffs ascending.
 *
 * @param lists Each user's ranked items.
 * @param targets Each user's distinct targets.
 * @param targetEvents Each user's number of target events, repeats counted.
 * @param cutoffs Cutoffs k.
 * @returns The means (0 for no users).
 * @throws {RangeError} If the three arrays differ in length.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { scoreReferenceVariants } from "./variants.ts";
 * const v = scoreReferenceVariants([Int32Array.of(3, 1)], [new Set([1])], [2], [2]);
 * deepStrictEqual(v, { "recall_repeats@2": 0.5, "ndcg_comirec@2": 1 / Math.log2(3) });
 * ```
 */
export function scoreReferenceVariants(
  lists: readonly ArrayLike<number>[],
  targets: readonly ReadonlySet<number>[],
  targetEvents: readonly number[],
  cutoffs: readonly number[],
): Record<string, number> {
  if (lists.length !== targets.length || lists.length !== targetEvents.length) {
    throw new RangeError(
      `Cannot score variants: ${lists.length} lists, ${targets.length} target sets, ${targetEvents.length} event counts`,
    );
  }
  const ks = [...cutoffs].sort((a, b) => a - b);
  const out: Record<string, number> = {};
  const n = Math.max(1, lists.length);
  for (const k of ks) {
    let s = 0;
    for (let u = 0; u < lists.length; u++) {
      s += recallWithRepeatsAt(lists[u], targets[u], targetEvents[u], k);
    }
    out[`recall_repeats@${k}`] = s / n;
  }
  for (const k of ks) {
    let s = 0;
    for (let u = 0; u < lists.length; u++) s += ndcgComiRecAt(lists[u], targets[u], k);
    out[`ndcg_comirec@${k}`] = s / n;
  }
  return out;
}
