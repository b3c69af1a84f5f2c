/**
 * Scores a batch of users' rankings with every ranking metric at every cutoff,
 * keeping per-user values so that spread, fairness bins and significance tests
 * can be computed later.
 *
 * Key order is fixed so JSON output is stable: metric-major in
 * {@linkcode METRIC_NAMES} order, then cutoffs ascending (`recall@10`,
 * `recall@20`, ..., `mrr@50`); catalog keys are `coverage@k` for every cutoff,
 * then `gini@k` for every cutoff.
 *
 * @module
 */

import { catalogCoverageAt } from "./coverage.ts";
import { exposureGiniAt } from "./gini.ts";
import { METRIC_NAMES, RANKING_METRICS } from "./registry.ts";

/**
 * The cutoffs used when none are given.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import {
 *   DEFAULT_CUTOFFS,
 *   type RankingScores,
 *   scoreRankings,
 *   type ScoreRankingsOptions,
 * } from "./evaluate.ts";
 * const options: ScoreRankingsOptions = { cutoffs: DEFAULT_CUTOFFS, numItems: 100 };
 * const scores: RankingScores = scoreRankings([Int32Array.of(7)], [new Set([7])], options);
 * strictEqual(Object.keys(scores.mean)[0], "recall@10");
 * ```
 */
export const DEFAULT_CUTOFFS: readonly number[] = Object.freeze([10, 20, 50]);

/**
 * Options for {@linkcode scoreRankings}.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import {
 *   DEFAULT_CUTOFFS,
 *   type RankingScores,
 *   scoreRankings,
 *   type ScoreRankingsOptions,
 * } from "./evaluate.ts";
 * const options: ScoreRankingsOptions = { cutoffs: [50, 10], numItems: 100 };
 * const scores: RankingScores = scoreRankings([Int32Array.of(7)], [new Set([7])], options);
 * // Cutoffs are reported ascending, like the defaults.
 * strictEqual(Object.keys(scores.catalog).join(), "coverage@10,coverage@50,gini@10,gini@50");
 * strictEqual(DEFAULT_CUTOFFS.length, 3);
 * ```
 */
export interface ScoreRankingsOptions {
  /**
   * Cutoffs k, positive integers without repeats, in any order (they are
   * reported ascending).
   * @default {DEFAULT_CUTOFFS}
   */
  cutoffs?: readonly number[];
  /** Catalog size, for coverage and Gini. */
  numItems: number;
}

/**
 * The output of {@linkcode scoreRankings}. Keys are in a fixed order, see the
 * module doc.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import {
 *   DEFAULT_CUTOFFS,
 *   type RankingScores,
 *   scoreRankings,
 *   type ScoreRankingsOptions,
 * } from "./evaluate.ts";
 * const options: ScoreRankingsOptions = { numItems: 100 };
 * const scores: RankingScores = scoreRankings(
 *   [Int32Array.of(7, 3), Int32Array.of(1, 2)],
 *   [new Set([7]), new Set([5])],
 *   options,
 * );
 * strictEqual(scores.perUser[`hit_rate@${DEFAULT_CUTOFFS[0]}`].join(), "1,0");
 * strictEqual(scores.mean["hit_rate@10"], 0.5);
 * ```
 */
export interface RankingScores {
  /** `"<metric>@<k>"` to one value per user, in user order. */
  perUser: Record<string, Float64Array>;
  /** `"<metric>@<k>"` to the arithmetic mean over users. */
  mean: Record<string, number>;
  /** `"coverage@<k>"` and `"gini@<k>"` over all users' lists. */
  catalog: Record<string, number>;
}

/**
 * Scores every user's ranked list against their relevant items with each of
 * {@linkcode METRIC_NAMES} at each cutoff, plus catalog coverage and exposure
 * Gini. The mean is the plain arithmetic mean over users, summed in user order.
 * Key order is described in the module doc.
 *
 * @param lists One ranked list per user, best first (for example from `topK`).
 * @param relevant The relevant items of each user, aligned with `lists`; none may be empty.
 * @param options Cutoffs and catalog size.
 * @returns Per-user values, means and catalog metrics.
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import {
 *   DEFAULT_CUTOFFS,
 *   type RankingScores,
 *   scoreRankings,
 *   type ScoreRankingsOptions,
 * } from "./evaluate.ts";
 * const options: ScoreRankingsOptions = { cutoffs: [2], numItems: 4 };
 * const scores: RankingScores = scoreRankings(
 *   [Int32Array.of(0, 1), Int32Array.of(2, 3)],
 *   [new Set([1]), new Set([0])],
 *   options,
 * );
 * strictEqual(scores.mean["recall@2"], 0.5); // (1 + 0) / 2
 * strictEqual(scores.catalog["coverage@2"], 1);
 * strictEqual(scoreRankings([Int32Array.of(0)], [new Set([0])], { numItems: 4 })
 *   .perUser[`ndcg@${DEFAULT_CUTOFFS[2]}`][0], 1);
 * ```
 */
export function scoreRankings(
  lists: readonly Int32Array[],
  relevant: readonly ReadonlySet<number>[],
  options: ScoreRankingsOptions,
): RankingScores {
  if (lists.length !== relevant.length) {
    throw new TypeError(
      `Cannot score rankings: ${lists.length} ranked lists but ${relevant.length} relevant sets`,
    );
  }
  if (lists.length === 0) {
    throw new RangeError("Cannot score rankings: there are no users");
  }
  for (let u = 0; u < relevant.length; u++) {
    if (relevant[u].size === 0) {
      throw new RangeError(`Cannot score rankings: user ${u} has no relevant items`);
    }
  }
  const cutoffs = sortedCutoffs(options.cutoffs ?? DEFAULT_CUTOFFS);
  const users = lists.length;

  const perUser: Record<string, Float64Array> = {};
  const mean: Record<string, number> = {};
  for (const name of METRIC_NAMES) {
    const metric = RANKING_METRICS[name];
    for (const k of cutoffs) {
      const values = new Float64Array(users);
      let sum = 0;
      for (let u = 0; u < users; u++) {
        values[u] = metric(lists[u], relevant[u], k);
        sum += values[u];
      }
      perUser[`${name}@${k}`] = values;
      mean[`${name}@${k}`] = sum / users;
    }
  }

  const catalog: Record<string, number> = {};
  for (const k of cutoffs) catalog[`coverage@${k}`] = catalogCoverageAt(lists, options.numItems, k);
  for (const k of cutoffs) catalog[`gini@${k}`] = exposureGiniAt(lists, options.numItems, k);
  return { perUser, mean, catalog };
}

function sortedCutoffs(cutoffs: readonly number[]): number[] {
  if (cutoffs.length === 0) throw new RangeError("Cannot score rankings: no cutoffs given");
  const sorted = [...cutoffs].sort((a, b) => a - b);
  for (let i = 0; i < sorted.length; i++) {
    const k = sorted[i];
    if (!Number.isInteger(k) || k < 1) {
      throw new RangeError(`Cannot score rankings: cutoff ${k} is not a positive integer`);
    }
    if (i > 0 && sorted[i - 1] === k) {
      throw new RangeError(`Cannot score rankings: cutoff ${k} is given twice`);
    }
  }
  return sorted;
}
