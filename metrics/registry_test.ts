import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { hitRateAt } from "./hit_rate.ts";
import { mrrAt } from "./mrr.ts";
import { ndcgAt } from "./ndcg.ts";
import { precisionAt } from "./precision.ts";
import { recallAt } from "./recall.ts";
import { METRIC_NAMES, RANKING_METRICS } from "./registry.ts";

Deno.test("METRIC_NAMES lists the five ranking metrics in output order", () => {
  deepStrictEqual([...METRIC_NAMES], ["recall", "hit_rate", "ndcg", "precision", "mrr"]);
});

Deno.test("RANKING_METRICS maps each name to its metric, in the same order", () => {
  deepStrictEqual(Object.keys(RANKING_METRICS), [...METRIC_NAMES]);
  strictEqual(RANKING_METRICS.recall, recallAt);
  strictEqual(RANKING_METRICS.hit_rate, hitRateAt);
  strictEqual(RANKING_METRICS.ndcg, ndcgAt);
  strictEqual(RANKING_METRICS.precision, precisionAt);
  strictEqual(RANKING_METRICS.mrr, mrrAt);
});
