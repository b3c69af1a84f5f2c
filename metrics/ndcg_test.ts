import { ok, strictEqual, throws } from "node:assert/strict";
import { ndcgAt } from "./ndcg.ts";

const RANKED = [3, 1, 4, 5, 9];
const RELEVANT = new Set([1, 9, 7]);

function near(actual: number, expected: number): void {
  ok(Math.abs(actual - expected) < 1e-9, `expected ${expected}, got ${actual}`);
}

Deno.test("ndcgAt() discounts hits by their rank in the ranked list", () => {
  // k = 5: hits at 0-based ranks 1 (item 1) and 4 (item 9).
  //   DCG  = 1/log2(3) + 1/log2(6) = 0.6309297536 + 0.3868528072 = 1.0177825608
  //   IDCG = min(3, 5) = 3 terms: 1 + 1/log2(3) + 1/log2(4) = 1 + 0.6309297536 + 0.5
  //        = 2.1309297536
  //   NDCG = 1.0177825608 / 2.1309297536 = 0.4776237035
  near(ndcgAt(RANKED, RELEVANT, 5), 0.4776237035);
  // k = 2: [3, 1], hit at rank 1.
  //   DCG = 1/log2(3) = 0.6309297536; IDCG = 1 + 1/log2(3) = 1.6309297536
  //   NDCG = 0.6309297536 / 1.6309297536 = 1 / (log2(3) + 1) = 1/log2(6) = 0.3868528072
  near(ndcgAt(RANKED, RELEVANT, 2), 0.3868528072);
});

Deno.test("ndcgAt() is 1 for a perfect ranking", () => {
  strictEqual(ndcgAt([9, 1, 7, 3], RELEVANT, 3), 1);
  strictEqual(ndcgAt([9, 1, 7, 3], RELEVANT, 4), 1);
  // More relevant items than k: the ideal has only k terms.
  strictEqual(ndcgAt([7, 1], RELEVANT, 2), 1);
});

Deno.test("ndcgAt() does not reward a list shorter than k", () => {
  // [1] with relevant {1, 2}, k = 5: DCG = 1, IDCG = 1 + 1/log2(3) = 1.6309297536,
  // NDCG = 1 / 1.6309297536 = 0.6131471928.
  near(ndcgAt([1], new Set([1, 2]), 5), 0.6131471928);
});

Deno.test("ndcgAt() is 0 without hits and for an empty relevant set", () => {
  strictEqual(ndcgAt([3, 4, 5], RELEVANT, 3), 0);
  strictEqual(ndcgAt(RANKED, new Set(), 5), 0);
});

Deno.test("ndcgAt() rejects a k that is not a positive integer", () => {
  throws(() => ndcgAt(RANKED, RELEVANT, 0), RangeError);
});
