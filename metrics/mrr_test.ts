import { strictEqual, throws } from "node:assert/strict";
import { mrrAt } from "./mrr.ts";

const RANKED = [3, 1, 4, 5, 9];
const RELEVANT = new Set([1, 9, 7]);

Deno.test("mrrAt() is the reciprocal 1-based rank of the first hit", () => {
  // First hit is item 1 at rank 2 -> 1 / 2, for k = 5 and for k = 2.
  strictEqual(mrrAt(RANKED, RELEVANT, 5), 0.5);
  strictEqual(mrrAt(RANKED, RELEVANT, 2), 0.5);
  // Only item 9 is relevant: rank 5 -> 1 / 5.
  strictEqual(mrrAt(RANKED, new Set([9]), 5), 0.2);
  strictEqual(mrrAt([7], RELEVANT, 1), 1);
});

Deno.test("mrrAt() is 0 when the first hit lies beyond k", () => {
  // Item 9 sits at rank 5 > k = 4.
  strictEqual(mrrAt(RANKED, new Set([9]), 4), 0);
  strictEqual(mrrAt(RANKED, new Set([42]), 5), 0);
});

Deno.test("mrrAt() rejects a k that is not a positive integer", () => {
  throws(() => mrrAt(RANKED, RELEVANT, -2), RangeError);
});
