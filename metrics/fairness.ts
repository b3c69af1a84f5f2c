/**
 * User-diversity fairness (Zhao et al., WWW 2024): users are binned by the
 * diversity of their interests (quantiles of a diversity score such as
 * {@linkcode labelEntropy}), a per-user metric is averaged in each bin, and
 * the spread across bins is reported: the standard deviation of the bin means
 * (population form, dividing by the number of bins) and the max-min gap.
 *
 * @module
 */

/** A metric's values per diversity bin and their spread. */
export interface BinSpread {
  /** Mean of the metric in each bin, lowest diversity first (NaN for an empty bin). */
  perBin: number[];
  /** Population standard deviation of the non-empty bins' means. */
  std: number;
  /** Largest minus smallest non-empty bin mean. */
  gap: number;
}

/**
 * Quantile bins of a score: users sorted by score (ties: lower position
 * first) and cut into `bins` groups of (nearly) equal size; position `r` of
 * the sorted order goes to bin `floor(r * bins / n)`.
 *
 * @param values Score per user.
 * @param bins Number of bins (positive integer).
 * @returns Bin of each user, `0` = least diverse.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { quantileBins } from "./fairness.ts";
 * deepStrictEqual([...quantileBins(Float64Array.of(0.9, 0.1, 0.5, 0.3), 2)], [1, 0, 1, 0]);
 * ```
 */
export function quantileBins(values: ArrayLike<number>, bins: number): Int32Array {
  if (!Number.isInteger(bins) || bins < 1) {
    throw new RangeError(`quantileBins(): bins must be a positive integer, got ${bins}`);
  }
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i)
    .sort((a, b) => values[a] - values[b] || a - b);
  const out = new Int32Array(n);
  order.forEach((u, r) => out[u] = Math.floor(r * bins / n));
  return out;
}

/**
 * Mean of a per-user metric in each bin, with the spread across bins.
 *
 * @param perUser Metric value per user.
 * @param binOf Bin of each user (aligned with `perUser`).
 * @param bins Number of bins.
 * @returns Bin means, std and gap.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { binSpread } from "./fairness.ts";
 * const s = binSpread(Float64Array.of(1, 0, 0.5, 0.5), Int32Array.of(0, 0, 1, 1), 2);
 * ok(s.perBin[0] === 0.5 && s.std === 0 && s.gap === 0);
 * ```
 */
export function binSpread(
  perUser: ArrayLike<number>,
  binOf: ArrayLike<number>,
  bins: number,
): BinSpread {
  if (perUser.length !== binOf.length) {
    throw new TypeError(`binSpread(): ${perUser.length} values but ${binOf.length} bin labels`);
  }
  const sum = new Float64Array(bins), count = new Float64Array(bins);
  for (let u = 0; u < perUser.length; u++) {
    sum[binOf[u]] += perUser[u];
    count[binOf[u]]++;
  }
  const perBin = Array.from(sum, (s, b) => count[b] > 0 ? s / count[b] : NaN);
  const filled = perBin.filter((v) => !Number.isNaN(v));
  if (filled.length === 0) return { perBin, std: NaN, gap: NaN };
  const mean = filled.reduce((a, b) => a + b, 0) / filled.length;
  const variance = filled.reduce((a, v) => a + (v - mean) ** 2, 0) / filled.length;
  return { perBin, std: Math.sqrt(variance), gap: Math.max(...filled) - Math.min(...filled) };
}
