/**
 * Correlation of two per-user scores (interest diversity against activity, so
 * a reader can tell a fairness gap across diversity bins from one across
 * activity levels: unnormalised entropy grows with the number of items).
 *
 * @module
 */

/**
 * Pearson's correlation coefficient (NaN when either side is constant or has
 * fewer than two values).
 *
 * @param x Values.
 * @param y Values aligned with `x`.
 * @returns r in [-1, 1].
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { pearson } from "./fairness_activity.ts";
 * ok(Math.abs(pearson([1, 2, 3], [2, 4, 7]) - 0.9933992677987828) < 1e-12);
 * ```
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) {
    throw new TypeError(`pearson(): ${x.length} values against ${y.length}`);
  }
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/**
 * Ranks from 1, tied values sharing their mean rank.
 *
 * @param x Values.
 * @returns Rank of each value.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { averageRanks } from "./fairness_activity.ts";
 * deepStrictEqual([...averageRanks([10, 30, 10, 20])], [1.5, 4, 1.5, 3]);
 * ```
 */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b] || a - b);
  const ranks = new Float64Array(x.length);
  for (let s = 0; s < order.length;) {
    let e = s;
    while (e + 1 < order.length && x[order[e + 1]] === x[order[s]]) e++;
    for (let k = s; k <= e; k++) ranks[order[k]] = (s + e) / 2 + 1;
    s = e + 1;
  }
  return ranks;
}

/**
 * Spearman's rank correlation: Pearson's r of the average ranks.
 *
 * @param x Values.
 * @param y Values aligned with `x`.
 * @returns rho in [-1, 1].
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { spearman } from "./fairness_activity.ts";
 * ok(spearman([1, 2, 3], [2, 4, 70]) === 1);
 * ```
 */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}
