import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { averageRanks, pearson, spearman } from "./fairness_activity.ts";

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

Deno.test("pearson() matches a hand computation", () => {
  // Deviations (-1.5, -0.5, 0.5, 1.5) and (-0.5, -1.5, 1.5, 0.5): sxy 3, sxx = syy = 5.
  ok(close(pearson([1, 2, 3, 4], [2, 1, 4, 3]), 0.6));
  ok(close(pearson([1, 2, 3], [3, 2, 1]), -1));
  ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])), "a constant side has no correlation");
  throws(() => pearson([1], [1, 2]), TypeError);
});

Deno.test("spearman() correlates average ranks, ties sharing their mean rank", () => {
  deepStrictEqual([...averageRanks([1, 1, 2, 3])], [1.5, 1.5, 3, 4]);
  // Ranks (1.5, 1.5, 3, 4) and (1, 2, 3.5, 3.5): sxy 4, sxx = syy = 4.5.
  ok(close(spearman([1, 1, 2, 3], [1, 2, 3, 3]), 4 / 4.5));
  ok(close(spearman([1, 2, 3, 4], [1, 4, 9, 16]), 1), "any increasing relation is 1");
});
