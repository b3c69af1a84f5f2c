/**
 * The per-user ranking metrics by name: the one table that
 * `scoreRankings` and reports iterate, in output order.
 *
 * @module
 */

import { hitRateAt } from "./hit_rate.ts";
import { mrrAt } from "./mrr.ts";
import { ndcgAt } from "./ndcg.ts";
import { precisionAt } from "./precision.ts";
import { recallAt } from "./recall.ts";

/**
 * The per-user ranking metric names, in output order.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { METRIC_NAMES, type MetricName, RANKING_METRICS, type RankingMetric } from "./registry.ts";
 * const first: MetricName = METRIC_NAMES[0];
 * const recall: RankingMetric = RANKING_METRICS[first];
 * strictEqual(first, "recall");
 * strictEqual(recall([4, 2], new Set([2, 8]), 2), 0.5);
 * ```
 */
export const METRIC_NAMES: readonly ["recall", "hit_rate", "ndcg", "precision", "mrr"] = Object
  .freeze(["recall", "hit_rate", "ndcg", "precision", "mrr"] as const);

/**
 * A per-user ranking metric name, one of {@linkcode METRIC_NAMES}.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { METRIC_NAMES, type MetricName, RANKING_METRICS, type RankingMetric } from "./registry.ts";
 * const name: MetricName = "mrr";
 * const mrr: RankingMetric = RANKING_METRICS[name];
 * strictEqual(METRIC_NAMES.includes(name), true);
 * strictEqual(mrr([4, 2], new Set([2]), 2), 0.5);
 * ```
 */
export type MetricName = typeof METRIC_NAMES[number];

/**
 * The shape of every per-user ranking metric: one user's ranked list (only the
 * first `k` entries are used) scored against their relevant items.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { METRIC_NAMES, type MetricName, RANKING_METRICS, type RankingMetric } from "./registry.ts";
 * const atLeastOne: RankingMetric = (ranked, relevant, k) =>
 *   Array.from(ranked).slice(0, k).some((item) => relevant.has(item)) ? 1 : 0;
 * const name: MetricName = METRIC_NAMES[1]; // "hit_rate"
 * strictEqual(atLeastOne([4, 2], new Set([2]), 2), RANKING_METRICS[name]([4, 2], new Set([2]), 2));
 * ```
 */
export type RankingMetric = (
  ranked: ArrayLike<number>,
  relevant: ReadonlySet<number>,
  k: number,
) => number;

/**
 * Each metric of {@linkcode METRIC_NAMES} by name.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { METRIC_NAMES, type MetricName, RANKING_METRICS, type RankingMetric } from "./registry.ts";
 * const names: readonly MetricName[] = METRIC_NAMES;
 * const metrics: RankingMetric[] = names.map((name) => RANKING_METRICS[name]);
 * // A perfect one-item ranking scores 1 on recall, hit rate, NDCG, precision and MRR.
 * strictEqual(metrics.every((metric) => metric([5], new Set([5]), 1) === 1), true);
 * ```
 */
export const RANKING_METRICS: Readonly<Record<MetricName, RankingMetric>> = Object.freeze({
  recall: recallAt,
  hit_rate: hitRateAt,
  ndcg: ndcgAt,
  precision: precisionAt,
  mrr: mrrAt,
});
