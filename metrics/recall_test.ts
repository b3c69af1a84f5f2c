import { strictEqual, throws } from "node:assert/strict";
import { recallAt } from "./recall.ts";

const RANKED = [3, 1, 4, 5, 9];
const RELEVANT = new Set([1, 9, 7]);

Deno.test("recallAt() is hits over the number of relevant items", () => {
  // k = 5: items 1 and 9 are hits, 7 is missed -> 2 / 3.
  strictEqual(recallAt(RANKED, RELEVANT, 5), 2 / 3);
  // k = 2: only [3, 1] count, item 1 is a hit -> 1 / 3.
  strictEqual(recallAt(RANKED, RELEVANT, 2), 1 / 3);
});

Deno.test("recallAt() is 1 when every relevant item is in the top k", () => {
  strictEqual(recallAt([9, 7, 1, 0], RELEVANT, 3), 1);
});

Deno.test("recallAt() is 0 without hits and for an empty relevant set", () => {
  strictEqual(recallAt([3, 4], RELEVANT, 2), 0);
  strictEqual(recallAt(RANKED, new Set(), 5), 0);
});

Deno.test("recallAt() rejects a k that is not a positive integer", () => {
  throws(() => recallAt(RANKED, RELEVANT, 0), RangeError);
  throws(() => recallAt(RANKED, RELEVANT, 2.5), RangeError);
});
