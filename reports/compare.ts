/**
 * What a paper table compares: the method in focus against the best of the
 * other models (the baselines), per dataset, protocol and metric, with paired
 * significance tests over per-user values and over seeds.
 *
 * @module
 */
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { pairedTTest, type TestResult, wilcoxonSignedRank } from "./significance.ts";
import { meanStd } from "./stats.ts";

/** Metric families where lower is better. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set(["gini"]);

/** Cutoffs shown in the paper tables. */
export const TABLE_CUTOFFS: readonly number[] = [20, 50];

/** Significance level for claiming an improvement. */
export const ALPHA = 0.05;

/** Per-user values of one cell: user index -> value, per metric key. */
export type PerUserLookup = (
  result: CompletedResult,
) => { users: readonly number[]; metrics: Record<string, readonly number[]> } | undefined;

/** Outcome of comparing the focus model with the best baseline on one metric. */
export interface Comparison {
  /** Metric key. */
  metric: string;
  /** The focus model. */
  focus: string;
  /** The best other model on this metric (by mean). */
  baseline: string;
  /** Relative improvement of the focus over the baseline (positive is better, lower-is-better aware). */
  improvement: number;
  /** Paired tests over (seed, user) pairs, when per-user values exist. */
  users?: { t: TestResult; wilcoxon: TestResult };
  /** Paired tests over seeds, when there are at least 3. */
  seeds?: { t: TestResult; wilcoxon: TestResult };
  /** True when the focus is better and both per-user tests give p < {@linkcode ALPHA}. */
  significant: boolean;
}

/**
 * Picks the model whose improvement the tables report: `requested` if given
 * (`"none"` for no Improv. column), else the last model of the run (list
 * baselines first and the new method last, as in a paper's table); none when
 * fewer than two models ran.
 *
 * @param file The results.
 * @param requested A model name, `"none"`, or `undefined` for the default.
 * @returns The model name, or `undefined`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { chooseFocus } from "./compare.ts";
 * const note = { title: "", reference: "", deviations: "" };
 * const file = { models: { mostpop: note, itemknn: note } };
 * ok(chooseFocus(file) === "itemknn");
 * ok(chooseFocus(file, "none") === undefined);
 * ```
 */
export function chooseFocus(
  file: Pick<ResultsFile, "models">,
  requested?: string,
): string | undefined {
  const models = Object.keys(file.models);
  if (requested === "none") return undefined;
  if (requested !== undefined) {
    if (!models.includes(requested)) {
      throw new RangeError(
        `--focus "${requested}" is not a model of these results (${models.join(", ")})`,
      );
    }
    return requested;
  }
  return models.length >= 2 ? models[models.length - 1] : undefined;
}

/**
 * The metric keys shown in a paper table: every key at the table cutoffs, @20
 * rows before @50 rows, in the results' key order within a cutoff.
 *
 * @param keys Metric keys of a result.
 * @returns The rows.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { tableRows } from "./compare.ts";
 * deepStrictEqual(tableRows(["recall@10", "recall@20", "recall@50", "ndcg@20"]), ["recall@20", "ndcg@20", "recall@50"]);
 * ```
 */
export function tableRows(keys: readonly string[]): string[] {
  return TABLE_CUTOFFS.flatMap((k) => keys.filter((key) => key.endsWith(`@${k}`)));
}

/**
 * Whether `a` beats `b` on a metric (lower-is-better aware).
 *
 * @param metric Metric key.
 * @param a A value.
 * @param b Another value.
 * @returns True when `a` is strictly better.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { better } from "./compare.ts";
 * ok(better("recall@20", 0.3, 0.2) && better("gini@20", 0.2, 0.3));
 * ```
 */
export function better(metric: string, a: number, b: number): boolean {
  return LOWER_IS_BETTER.has(metric.split("@")[0]) ? a < b : a > b;
}

/**
 * Compares the focus model with the best other model on one metric in one
 * dataset and protocol.
 *
 * @param cell Completed results of one dataset and protocol (all seeds, all models).
 * @param focus The focus model.
 * @param metric Metric key.
 * @param perUser Finds per-user values of a result.
 * @returns The comparison, or `undefined` when the focus or every baseline is missing.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { compareWithBestBaseline } from "./compare.ts";
 * import type { CompletedResult } from "../bench/results.ts";
 * const r = (model: string, v: number) => ({ model, seed: 1, metrics: { "recall@20": v } }) as unknown as CompletedResult;
 * const c = compareWithBestBaseline([r("a", 0.1), r("b", 0.2), r("c", 0.3)], "c", "recall@20", () => undefined);
 * ok(c?.baseline === "b" && Math.abs(c.improvement - 0.5) < 1e-12 && !c.significant);
 * ```
 */
export function compareWithBestBaseline(
  cell: readonly CompletedResult[],
  focus: string,
  metric: string,
  perUser: PerUserLookup,
): Comparison | undefined {
  const mean = (model: string) =>
    meanStd(cell.filter((r) => r.model === model).map((r) => r.metrics[metric])).mean;
  const focusMean = mean(focus);
  if (!Number.isFinite(focusMean)) return undefined;
  let baseline: string | undefined;
  let baseMean = NaN;
  for (const m of [...new Set(cell.map((r) => r.model))]) {
    if (m === focus) continue;
    const v = mean(m);
    if (Number.isFinite(v) && (baseline === undefined || better(metric, v, baseMean))) {
      baseline = m;
      baseMean = v;
    }
  }
  if (baseline === undefined) return undefined;
  const lower = LOWER_IS_BETTER.has(metric.split("@")[0]);
  const improvement = (lower ? baseMean - focusMean : focusMean - baseMean) / Math.abs(baseMean);
  const seeds = [...new Set(cell.map((r) => r.seed))].sort((a, b) => a - b);
  const pairs = { users: [[], []] as number[][], seeds: [[], []] as number[][] };
  let perUserComplete = true;
  for (const seed of seeds) {
    const f = cell.find((r) => r.model === focus && r.seed === seed);
    const b = cell.find((r) => r.model === baseline && r.seed === seed);
    if (!f || !b) continue;
    pairs.seeds[0].push(f.metrics[metric]);
    pairs.seeds[1].push(b.metrics[metric]);
    const fu = perUser(f);
    const bu = perUser(b);
    if (!fu?.metrics[metric] || !bu?.metrics[metric]) {
      perUserComplete = false;
      continue;
    }
    const byUser = new Map<number, number>();
    bu.users.forEach((u, i) => byUser.set(u, bu.metrics[metric][i]));
    fu.users.forEach((u, i) => {
      const other = byUser.get(u);
      if (other === undefined) return;
      pairs.users[0].push(fu.metrics[metric][i]);
      pairs.users[1].push(other);
    });
  }
  const test = (p: number[][]) => ({
    t: pairedTTest(p[0], p[1]),
    wilcoxon: wilcoxonSignedRank(p[0], p[1]),
  });
  const users = perUserComplete && pairs.users[0].length > 0 ? test(pairs.users) : undefined;
  const bySeed = pairs.seeds[0].length >= 3 ? test(pairs.seeds) : undefined;
  const significant = improvement > 0 && users !== undefined && users.t.p < ALPHA &&
    users.wilcoxon.p < ALPHA;
  return {
    metric,
    focus,
    baseline,
    improvement,
    ...(users ? { users } : {}),
    ...(bySeed ? { seeds: bySeed } : {}),
    significant,
  };
}
