/**
 * The fairness measurement of the `cf` protocol: each test user's interest
 * diversity is the entropy of the labels of their training items, labels
 * being the dataset's genres or categories where it has them (the field named
 * `genres`, else `categories`, else the first field by name) and otherwise item
 * clusters from a fixed k-means on a reference embedding; users are cut into
 * quantile bins of that entropy and each metric's bin means and spread are
 * reported (see `fairness.ts`), with the correlation between diversity and
 * activity (training items) and each bin's mean activity.
 *
 * Two measures: `weighting: "genre"` (default) is the entropy of the user's
 * category distribution over item-category pairs, every category of an item
 * counting 1: recbench's reading of the fairness paper (Zhao et al., WWW 2024),
 * which measures a user's interest diversity on the categories of the items
 * the user interacted with and groups users by it (the summary in
 * `shared/reference/papers/mifair.md` gives no formula for either, so the
 * weighting and the 5 equal-size quantile groups are recbench's choices).
 * `weighting: "item"` (recbench's former measure) splits an item's weight
 * evenly over its `m` categories. Both use the same bins.
 *
 * @module
 */
import { Rng } from "../data/rng.ts";
import type { TrainingData } from "../data/split.ts";
import { type ItemLabels, labelEntropy, type LabelWeighting } from "./diversity.ts";
import { pearson, spearman } from "./fairness_activity.ts";
import { type BinSpread, binSpread, quantileBins } from "./fairness.ts";
import { kmeans } from "./kmeans.ts";

/** Fairness across interest-diversity bins, as stored in a result. */
export interface FairnessSummary {
  /** What the entropy is over: `field:genres` or `clusters:20`. */
  basis: string;
  /** How a multi-label item counts (absent in older results: `item`). */
  weighting?: LabelWeighting;
  /**
   * Diversity against activity (distinct training items) over the evaluated
   * users, and the mean activity of each bin (absent in older results).
   */
  activity?: ActivitySummary;
  /** Number of bins (quantiles of the entropy). */
  bins: number;
  /** Users per bin. */
  users: number[];
  /** Largest entropy (nats) in each bin. */
  upperEntropy: number[];
  /** Per metric key (`recall@20`): bin means, std and gap. */
  metrics: Record<string, BinSpread>;
}

/** How interest diversity relates to activity among the evaluated users. */
export interface ActivitySummary {
  /** Pearson's r between entropy and the number of training items. */
  pearson: number;
  /** Spearman's rho between them. */
  spearman: number;
  /** Mean number of training items in each bin. */
  perBin: number[];
}

/** Options of {@linkcode diversityFairness}. */
export interface DiversityFairnessOptions {
  /** Quantile bins. @default {5} */
  bins?: number;
  /** Metric keys to bin (those present in `perUser`). @default {["recall@20", "ndcg@20", "recall@50", "ndcg@50"]} */
  metrics?: readonly string[];
  /** Clusters of the fallback labelling. @default {20} */
  clusters?: number;
  /** How a multi-label item counts in the entropy. @default {"genre"} */
  weighting?: LabelWeighting;
}

/**
 * Item labels for the entropy: a categorical side field when the data has
 * one, otherwise k-means clusters of a reference embedding: each item's
 * training users projected onto fixed Gaussian directions (32 of them, from a
 * constant seed, so the labelling is the same for every model and run) and
 * normalised to unit length.
 *
 * @param train Training data.
 * @param clusters Clusters of the fallback.
 * @returns The labels and a description.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../models/_testing.ts";
 * import { diversityLabels } from "./diversity_fairness.ts";
 * ok(diversityLabels(trainingDataFromRows([[0, 1], [1, 2]], 3), 2).basis === "clusters:2");
 * ```
 */
export function diversityLabels(
  train: TrainingData,
  clusters = 20,
): { labels: ItemLabels; basis: string } {
  const fields = train.itemFeatures?.fields ?? {};
  const names = Object.keys(fields).sort();
  const name = ["genres", "categories"].find((n) => n in fields) ?? names[0];
  if (name !== undefined) {
    const f = fields[name];
    return { labels: { ptr: f.ptr, codes: f.codes }, basis: `field:${name}` };
  }
  const dim = 32, n = train.numItems;
  const rng = new Rng(20240513);
  const userDir = Float32Array.from({ length: train.numUsers * dim }, () => rng.normal());
  const data = new Float32Array(n * dim);
  for (let u = 0; u < train.numUsers; u++) {
    for (let p = train.userPtr[u]; p < train.userPtr[u + 1]; p++) {
      const i = train.items[p];
      for (let j = 0; j < dim; j++) data[i * dim + j] += userDir[u * dim + j];
    }
  }
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < dim; j++) s += data[i * dim + j] ** 2;
    const inv = s > 0 ? 1 / Math.sqrt(s) : 0;
    for (let j = 0; j < dim; j++) data[i * dim + j] *= inv;
  }
  const k = Math.min(clusters, n);
  const codes = kmeans({ data, rows: n, dim }, k);
  return {
    labels: { ptr: Int32Array.from({ length: n + 1 }, (_, i) => i), codes },
    basis: `clusters:${k}`,
  };
}

/**
 * Bins the evaluated users by interest diversity and summarises each metric per bin.
 *
 * @param train Training data (histories and item features).
 * @param users Evaluated users (dense indices), aligned with `perUser`.
 * @param perUser Per-user metric values keyed like `recall@20`.
 * @param options Bins, metrics, clusters.
 * @returns The summary.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../models/_testing.ts";
 * import { diversityFairness } from "./diversity_fairness.ts";
 * const train = trainingDataFromRows([[0], [0, 1], [1, 2]], 3);
 * const f = diversityFairness(train, Int32Array.of(0, 1, 2),
 *   { "recall@20": Float64Array.of(1, 0, 0) }, { bins: 2, clusters: 3 });
 * ok(f.metrics["recall@20"].gap === 0.5); // bins {0, 1} (mean 0.5) and {2} (0)
 * ```
 */
export function diversityFairness(
  train: TrainingData,
  users: Int32Array,
  perUser: Record<string, ArrayLike<number>>,
  options: DiversityFairnessOptions = {},
): FairnessSummary {
  const bins = options.bins ?? 5;
  const { labels, basis } = diversityLabels(train, options.clusters ?? 20);
  const weighting = options.weighting ?? "genre";
  const all = labelEntropy(train.userPtr, train.items, labels, { weighting });
  const entropy = Float64Array.from(users, (u) => all[u]);
  const activity = Float64Array.from(users, (u) => train.userPtr[u + 1] - train.userPtr[u]);
  const binOf = quantileBins(entropy, bins);
  const count = new Array(bins).fill(0), upper = new Array(bins).fill(NaN);
  const activitySum = new Array(bins).fill(0);
  binOf.forEach((b, k) => {
    count[b]++;
    activitySum[b] += activity[k];
    if (!(upper[b] >= entropy[k])) upper[b] = entropy[k];
  });
  const metrics: Record<string, BinSpread> = {};
  for (const key of options.metrics ?? ["recall@20", "ndcg@20", "recall@50", "ndcg@50"]) {
    if (perUser[key]) metrics[key] = binSpread(perUser[key], binOf, bins);
  }
  return {
    basis,
    weighting,
    bins,
    users: count,
    upperEntropy: upper,
    activity: {
      pearson: pearson(entropy, activity),
      spearman: spearman(entropy, activity),
      perBin: activitySum.map((s, b) => count[b] > 0 ? s / count[b] : NaN),
    },
    metrics,
  };
}
