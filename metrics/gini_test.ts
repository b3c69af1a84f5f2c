import { strictEqual, throws } from "node:assert/strict";
import { exposureGiniAt } from "./gini.ts";

Deno.test("exposureGiniAt() is 0 for uniform exposure", () => {
  // Counts 1, 1, 1, 1: sum_i (2i - 5) = -3 - 1 + 1 + 3 = 0.
  strictEqual(exposureGiniAt([[0, 1], [2, 3]], 4, 2), 0);
});

Deno.test("exposureGiniAt() is (n - 1) / n when one item takes all exposure", () => {
  // Counts 0, 0, 0, 0, 3 (n = 5): (2*5 - 5 - 1) * 3 / (5 * 3) = 4 / 5.
  strictEqual(exposureGiniAt([[2], [2], [2]], 5, 1), 0.8);
  // Only the first k count: [0, 1, 2] at k = 1 gives counts 1, 0, 0 -> 2 / 3.
  strictEqual(exposureGiniAt([[0, 1, 2]], 3, 1), 2 / 3);
});

Deno.test("exposureGiniAt() counts never-shown items as zero exposure", () => {
  // [[0, 1], [0, 2]] over 4 items: counts 2, 1, 1, 0 -> sorted 0, 1, 1, 2, sum 4.
  // Weights 2i - n - 1 for i = 1..4: -3, -1, 1, 3.
  // G = (0*-3 + 1*-1 + 1*1 + 2*3) / (4 * 4) = 6 / 16 = 0.375.
  strictEqual(exposureGiniAt([[0, 1], [0, 2]], 4, 2), 0.375);
});

Deno.test("exposureGiniAt() is 0 when nothing is shown", () => {
  strictEqual(exposureGiniAt([], 4, 2), 0);
});

Deno.test("exposureGiniAt() rejects items outside the catalog", () => {
  throws(() => exposureGiniAt([[5]], 4, 1), RangeError);
});
