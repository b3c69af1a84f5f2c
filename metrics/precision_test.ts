import { strictEqual, throws } from "node:assert/strict";
import { precisionAt } from "./precision.ts";

const RANKED = [3, 1, 4, 5, 9];
const RELEVANT = new Set([1, 9, 7]);

Deno.test("precisionAt() is hits over k", () => {
  // k = 5: hits 1 and 9 -> 2 / 5; k = 2: hit 1 in [3, 1] -> 1 / 2.
  strictEqual(precisionAt(RANKED, RELEVANT, 5), 0.4);
  strictEqual(precisionAt(RANKED, RELEVANT, 2), 0.5);
});

Deno.test("precisionAt() divides by k even when the list is shorter", () => {
  // One hit in a one-item list, k = 5 -> 1 / 5, not 1 / 1.
  strictEqual(precisionAt([1], RELEVANT, 5), 0.2);
});

Deno.test("precisionAt() is 0 without hits", () => {
  strictEqual(precisionAt([3, 4], RELEVANT, 2), 0);
});

Deno.test("precisionAt() rejects a k that is not a positive integer", () => {
  throws(() => precisionAt(RANKED, RELEVANT, 0), RangeError);
});
