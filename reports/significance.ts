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
  /** Two-sided p-value; NaN when there are too few pairs to test. */
  p: number;
}

function differences(x: ArrayLike<number>, y: ArrayLike<number>): Float64Array {
  if (x.length !== y.length) {
    throw new RangeError(`Paired samples must have equal lengths, got ${x.length} and ${y.length}`);
  }
  return Float64Array.from({ length: x.length }, (_, i) => x[i] - y[i]);
}

/**
 * Paired two-sided Student t-test of `x - y` against 0 (as `scipy.stats.ttest_rel`).
 * All-zero differences give p = 1; constant non-zero differences give p = 0.
 *
 * @param x First sample (e.g. the new method's per-user Recall@20).
 * @param y Second sample, paired with `x`.
 * @returns `n`, the t statistic and the p-value (NaN for fewer than 2 pairs).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { pairedTTest } from "./significance.ts";
 * const r = pairedTTest([0.5, 0.2, 0.9, 0.4, 0.7, 0.1, 0.3, 0.8], [0.3, 0.25, 0.6, 0.1, 0.65, 0, 0.35, 0.5]);
 * ok(Math.abs(r.p - 0.0319478) < 1e-6);
 * ```
 */
export function pairedTTest(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  const d = differences(x, y);
  const n = d.length;
  if (n < 2) return { n, statistic: NaN, p: NaN };
  let sum = 0;
  for (const v of d) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of d) ss += (v - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (sd === 0) {
    return mean === 0
      ? { n, statistic: 0, p: 1 }
      : { n, statistic: Math.sign(mean) * Infinity, p: 0 };
  }
  const t = mean / (sd / Math.sqrt(n));
  return { n, statistic: t, p: Math.min(1, 2 * tCdf(-Math.abs(t), n - 1)) };
}

/**
 * Two-sided Wilcoxon signed-rank test of `x - y` (as `scipy.stats.wilcoxon`
 * with its default zero handling): zero differences are dropped, tied absolute
 * differences get their average rank. Exact distribution for at most 50 pairs
 * without ties, otherwise the normal approximation with the tie correction and
 * no continuity correction.
 *
 * @param x First sample.
 * @param y Second sample, paired with `x`.
 * @returns Non-zero pairs, W+ and the p-value (1 when every difference is zero).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { wilcoxonSignedRank } from "./significance.ts";
 * const r = wilcoxonSignedRank([1.1, 2.3, 3.2, 0.4, 5.9, 1.7, 2.8, 4.05], [1, 2, 3, 1, 5, 1, 3.2, 4]);
 * ok(Math.abs(r.p - 0.3828125) < 1e-12); // exact, as scipy.stats.wilcoxon
 * ```
 */
export function wilcoxonSignedRank(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  const d = [...differences(x, y)].filter((v) => v !== 0);
  const n = d.length;
  if (n === 0) return { n, statistic: 0, p: 1 };
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
  if (n <= 50 && tieTerm === 0) {
    const total = n * (n + 1) / 2;
    const lower = signrankCdf(Math.min(wPlus, total - wPlus), n);
    return { n, statistic: wPlus, p: Math.min(1, 2 * lower) };
  }
  const mean = n * (n + 1) / 4;
  const variance = n * (n + 1) * (2 * n + 1) / 24 - tieTerm / 48;
  if (variance <= 0) return { n, statistic: wPlus, p: 1 };
  const z = (wPlus - mean) / Math.sqrt(variance);
  return { n, statistic: wPlus, p: Math.min(1, 2 * normalCdf(-Math.abs(z), 0, 1)) };
}
