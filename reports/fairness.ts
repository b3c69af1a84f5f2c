/**
 * The report's fairness section for the `cf` protocol: each model's Recall@20
 * and NDCG@20 per interest-diversity bin, with the spread across bins (std and
 * max-min gap, mean over seeds) next to the utility, and a metric-by-bin chart.
 *
 * @module
 */
import type { TopLevelSpec } from "vega-lite";
import type { CompletedResult } from "../bench/results.ts";
import type { FairnessSummary } from "../metrics/diversity_fairness.ts";
import { meanStd } from "./stats.ts";

/** Metrics shown in the fairness table and chart. */
export const FAIRNESS_METRICS: readonly string[] = ["recall@20", "ndcg@20"];

function fmt(x: number): string {
  return typeof x === "number" && Number.isFinite(x) ? x.toFixed(4) : "n/a";
}

function binMean(rs: readonly CompletedResult[], metric: string, bin: number): number {
  return meanStd(rs.map((r) => r.fairness!.metrics[metric]?.perBin[bin] ?? NaN)).mean;
}

/**
 * Markdown lines of the fairness section of one dataset and protocol (none
 * when its results carry no `fairness`).
 *
 * @param cell Completed results of one dataset and protocol.
 * @param models Model names in report order.
 * @param title Display name of a model.
 * @returns Lines, ending with a blank line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fairnessLines } from "./fairness.ts";
 * ok(fairnessLines([], [], (m) => m).length === 0);
 * ```
 */
export function fairnessLines(
  cell: readonly CompletedResult[],
  models: readonly string[],
  title: (model: string) => string,
): string[] {
  const withF = cell.filter((r) => r.fairness);
  if (withF.length === 0) return [];
  const first = withF[0].fairness!;
  const bins = first.bins;
  const basis = first.basis.startsWith("field:")
    ? `the ${first.basis.slice(6)} of their training items`
    : `${first.basis.slice(9)} item clusters (fixed k-means on a reference embedding)`;
  const lines = [
    "### Fairness across interest diversity",
    "",
    `Test users cut into ${bins} equal-size quantile bins of the entropy of ${basis} ` +
    `(bin 1 least diverse; upper entropy of each bin, seed ${withF[0].seed}: ${
      first.upperEntropy.map((v) => fmt(v)).join(", ")
    }). ${
      weightingNote(first)
    } Bin means over seeds; std (population, across bins) and gap (max - min) are means over seeds; lower is fairer.`,
    "",
    ...activityLines(first, withF[0].seed),
  ];
  for (const metric of FAIRNESS_METRICS) {
    const binHead = Array.from({ length: bins }, (_, b) => `bin ${b + 1}`);
    lines.push(
      `| model | ${metric} | ${binHead.join(" | ")} | std across bins | gap |`,
      `|---|---:|${binHead.map(() => "---:").join("|")}|---:|---:|`,
    );
    for (const m of models) {
      const rs = withF.filter((r) => r.model === m && r.fairness!.metrics[metric]);
      if (rs.length === 0) continue;
      const utility = meanStd(rs.map((r) => r.metrics[metric])).mean;
      const perBin = Array.from({ length: bins }, (_, b) => fmt(binMean(rs, metric, b)));
      const std = meanStd(rs.map((r) => r.fairness!.metrics[metric].std)).mean;
      const gap = meanStd(rs.map((r) => r.fairness!.metrics[metric].gap)).mean;
      lines.push(
        `| ${title(m)} | ${fmt(utility)} | ${perBin.join(" | ")} | ${fmt(std)} | ${fmt(gap)} |`,
      );
    }
    lines.push("");
  }
  return lines;
}

/** Which genre weighting the entropy used, in words. */
function weightingNote(f: FairnessSummary): string {
  if (!f.basis.startsWith("field:")) {
    return "Each item has one cluster label, so no genre weighting applies.";
  }
  return (f.weighting ?? "item") === "genre"
    ? "Genre weighting: each genre of an item counts 1 (the user's distribution over item-genre pairs, recbench's reading of the fairness paper; `--fairness-weighting genre`)."
    : "Genre weighting: an item's m genres weigh 1/m each (`--fairness-weighting item`, recbench's former measure).";
}

/** Diversity against activity, so a spread across bins can be told from one across activity. */
function activityLines(f: FairnessSummary, seed: number): string[] {
  if (!f.activity) return [];
  const a = f.activity;
  return [
    `Interest diversity against activity (training items per test user), seed ${seed}: ` +
    `Pearson r ${fmt(a.pearson)}, Spearman rho ${fmt(a.spearman)}; mean training items per bin: ${
      a.perBin.map((v) => Number.isFinite(v) ? v.toFixed(1) : "n/a").join(", ")
    }. Unnormalised entropy grows with the number of items: the more these correlate, ` +
    "the less a spread across bins can be told from a spread across activity levels.",
    "",
  ];
}

/**
 * A Vega-Lite line chart of Recall@20 per diversity bin and model (mean over
 * seeds), or nothing when the results carry no `fairness`.
 *
 * @param cell Completed results of one dataset and protocol.
 * @param title Display name of a model.
 * @param heading Chart title.
 * @returns The specification, or undefined.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fairnessChart } from "./fairness.ts";
 * ok(fairnessChart([], (m) => m, "t") === undefined);
 * ```
 */
export function fairnessChart(
  cell: readonly CompletedResult[],
  title: (model: string) => string,
  heading: string,
): TopLevelSpec | undefined {
  const withF = cell.filter((r) => r.fairness);
  if (withF.length === 0) return undefined;
  const models = [...new Set(withF.map((r) => r.model))];
  const titles = models.map(title);
  const bins = withF[0].fairness!.bins;
  const metric = FAIRNESS_METRICS[0];
  const values = models.flatMap((m) =>
    Array.from({ length: bins }, (_, b) => ({
      model: title(m),
      bin: b + 1,
      value: binMean(withF.filter((r) => r.model === m), metric, b),
    }))
  ).filter((v) => Number.isFinite(v.value));
  return {
    width: 420,
    height: 240,
    title: heading,
    data: { values },
    mark: { type: "line", point: true },
    encoding: {
      x: { field: "bin", type: "ordinal", title: "interest-diversity bin (1 = least diverse)" },
      y: { field: "value", type: "quantitative", title: `${metric} (mean over seeds)` },
      color: { field: "model", type: "nominal", sort: titles, title: "model" },
    },
  };
}
