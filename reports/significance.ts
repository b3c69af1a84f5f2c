/**
 * Paired significance tests for "is the new method better": the paired
 * Student t-test and the Wilcoxon signed-rank test, both two-sided. The test
 * statistics are computed here; the distributions (Student t, normal, exact
 * signed-rank) come from the stdlib-js packages.
 *
 * @module
 */
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import signrankCdf from "@stdlib/stats-base-dists-signrank-cdf";
import tCdf from "@stdlib/stats-base-dists-t-cdf";

/** The outcome of a paired test. */
export interface TestResult {
  /** Pairs used (for Wilcoxon: pairs with a non-zero difference). */
  n: number;
  /** The test statistic: t, or W+ (sum of the ranks of positive differences). */
  statistic: number;
  /** Two-sided p-value; NaN when the test is undefined (see `note`). */
  p: number;
  /** Why `p` is NaN (too few pairs, differences without variance). */
  note?: string;
  /** How a Wilcoxon p-value was computed. */
  method?: "exact" | "permutation" | "normal";
}

function differences(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) {
    throw new RangeError(`Paired samples must have equal lengths, got ${x.length} and ${y.length}`);
  }
  return Float64Array.from({ length: x.length }, (_, i) => x[i] - y[i]);
}

/**
 * Paired two-sided Student t-test of `x - y` against 0 (as `scipy.stats.ttest_rel`).
 * Differences without variance leave t undefined: all zero, or constant up to
 * rounding (every difference within 1e-14 of their mean, relatively: where
 * scipy warns of catastrophic cancellation and prints p-values like 3.5e-32
 * from rounding noise). Then `p` is NaN and `note` says why.
 *
 * @param x First sample (e.g. the new method's per-user Recall@20).
 * @param y Second sample, paired with `x`.
 * @returns `n`, the t statistic and the p-value (NaN, with a note, when undefined).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { pairedTTest } from "./significance.ts";
 * const r = pairedTTest([0.5, 0.2, 0.9, 0.4, 0.7, 0.1, 0.3, 0.8], [0.3, 0.25, 0.6, 0.1, 0.65, 0, 0.35, 0.5]);
 * ok(Math.abs(r.p - 0.0319478) < 1e-6);
 * ok(Number.isNaN(pairedTTest([0.31, 0.52, 0.73], [0.21, 0.42, 0.63]).p));
 * ```
 */
export function pairedTTest(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  const d = differences(x, y);
  const n = d.length;
  if (n < 2) return { n, statistic: NaN, p: NaN, note: "fewer than 2 pairs" };
  let sum = 0;
  for (const v of d) sum += v;
  const mean = sum / n;
  let ss = 0, spread = 0;
  for (const v of d) {
    ss += (v - mean) ** 2;
    spread = Math.max(spread, Math.abs(v - mean));
  }
  if (spread === 0 && mean === 0) {
    return { n, statistic: NaN, p: NaN, note: "every difference is zero" };
  }
  if (spread <= CANCELLATION * Math.abs(mean)) {
    return {
      n,
      statistic: NaN,
      p: NaN,
      note: "the differences are constant up to rounding (no variance)",
    };
  }
  const sd = Math.sqrt(ss / (n - 1));
  const t = mean / (sd / Math.sqrt(n));
  return { n, statistic: t, p: Math.min(1, 2 * tCdf(-Math.abs(t), n - 1)) };
}

/** Relative spread below which differences count as constant (scipy's 10 x float64 resolution). */
const CANCELLATION = 1e-14;

/** Most pairs for the permutation test over all sign flips (scipy: 2^13 < 9,999 resamples). */
const MAX_PERMUTATION_PAIRS = 13;

/**
 * Two-sided Wilcoxon signed-rank test of `x - y`, as `scipy.stats.wilcoxon`
 * with its defaults (`zero_method="wilcox"`, `correction=False`,
 * `method="auto"`) in scipy 1.15 and later: zero differences are dropped and
 * tied absolute differences get their average rank. The p-value is
 *
 * - exact (signed-rank distribution) for at most 50 pairs without a zero or a tie;
 * - a permutation test over all 2^n sign flips for at most 13 pairs with a zero or a tie;
 * - otherwise the normal approximation with the tie correction and no continuity correction.
 *
 * The pair counts include zero differences, as scipy's do. scipy 1.10 to 1.14
 * differ for 14 to 50 pairs with ties (an exact test on a truncated statistic)
 * and for at most 13 pairs with ties or zeros (the normal approximation);
 * `reports/testdata/significance_scipy.py` records which call gives each
 * expected value of the tests.
 *
 * @param x First sample.
 * @param y Second sample, paired with `x`.
 * @returns Non-zero pairs, W+, the p-value and how it was computed; p is 1 when every
 * difference is zero among at most 13 pairs, NaN (with a note) among more, as scipy.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { wilcoxonSignedRank } from "./significance.ts";
 * const r = wilcoxonSignedRank([1.1, 2.3, 3.2, 0.4, 5.9, 1.7, 2.8, 4.05], [1, 2, 3, 1, 5, 1, 3.2, 4]);
 * ok(Math.abs(r.p - 0.3828125) < 1e-12 && r.method === "exact");
 * ```
 */
export function wilcoxonSignedRank(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  const all = differences(x, y);
  const pairs = all.length;
  if (pairs === 0) return { n: 0, statistic: NaN, p: NaN, note: "no pairs" };
  const d = [...all].filter((v) => v !== 0);
  const n = d.length;
  const zeros = pairs - n;
  const order = d.map((_, i) => i).sort((a, b) => Math.abs(d[a]) - Math.abs(d[b]) || a - b);
  const ranks = new Float64Array(n);
  let tieTerm = 0;
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && Math.abs(d[order[j + 1]]) === Math.abs(d[order[i]])) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]] = rank;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (d[i] > 0) wPlus += ranks[i];
  if (pairs <= 50 && zeros === 0 && tieTerm === 0) {
    const total = n * (n + 1) / 2;
    const lower = signrankCdf(Math.min(wPlus, total - wPlus), n);
    return { n, statistic: wPlus, p: Math.min(1, 2 * lower), method: "exact" };
  }
  if (pairs <= MAX_PERMUTATION_PAIRS) {
    return { n, statistic: wPlus, p: signFlipP(d, ranks, wPlus), method: "permutation" };
  }
  const mean = n * (n + 1) / 4;
  const variance = n * (n + 1) * (2 * n + 1) / 24 - tieTerm / 48;
  if (variance <= 0) {
    return { n, statistic: wPlus, p: NaN, method: "normal", note: "every difference is zero" };
  }
  const z = (wPlus - mean) / Math.sqrt(variance);
  return {
    n,
    statistic: wPlus,
    p: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)),
    method: "normal",
  };
}

/**
 * Two-sided p-value of W+ over every sign assignment of the non-zero
 * differences (each equally likely under the null; flipping a zero changes
 * nothing, so zeros only scale the counts), with scipy's relative tolerance
 * for W+ values equal up to rounding.
 */
function signFlipP(d: readonly number[], ranks: Float64Array, observed: number): number {
  const n = d.length;
  const gamma = Math.max(1e-14, Math.abs(1e-14 * observed));
  let less = 0, greater = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let w = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) w += ranks[i];
    if (w <= observed + gamma) less++;
    if (w >= observed - gamma) greater++;
  }
  return Math.min(1, 2 * Math.min(less, greater) / 2 ** n);
}
