import { strictEqual, throws } from "node:assert/strict";
import { hitRateAt } from "./hit_rate.ts";

const RANKED = [3, 1, 4, 5, 9];
const RELEVANT = new Set([1, 9, 7]);

Deno.test("hitRateAt() is 1 when any of the top k is relevant", () => {
  // k = 5 holds hits 1 and 9; k = 2 holds [3, 1] with hit 1.
  strictEqual(hitRateAt(RANKED, RELEVANT, 5), 1);
  strictEqual(hitRateAt(RANKED, RELEVANT, 2), 1);
});

Deno.test("hitRateAt() is 0 when the top k holds no relevant item", () => {
  // k = 1 holds only item 3.
  strictEqual(hitRateAt(RANKED, RELEVANT, 1), 0);
  strictEqual(hitRateAt([], RELEVANT, 5), 0);
});

Deno.test("hitRateAt() rejects a k that is not a positive integer", () => {
  throws(() => hitRateAt(RANKED, RELEVANT, 0), RangeError);
});
