/**
 * Small summary statistics for reports.
 *
 * @module
 */

/**
 * Mean and sample standard deviation (n - 1; 0 for one value).
 *
 * @param values The values.
 * @returns `{ mean, std, n }`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { meanStd } from "./stats.ts";
 * const s = meanStd([1, 2, 3]);
 * ok(s.mean === 2 && s.std === 1);
 * ```
 */
export function meanStd(values: readonly number[]): { mean: number; std: number; n: number } {
  const n = values.length;
  if (n === 0) return { mean: NaN, std: NaN, n };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, std: 0, n };
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return { mean, std: Math.sqrt(ss / (n - 1)), n };
}
