import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { DEFAULT_CUTOFFS, scoreRankings } from "./evaluate.ts";

function near(actual: number, expected: number, what: string): void {
  ok(Math.abs(actual - expected) < 1e-9, `${what}: expected ${expected}, got ${actual}`);
}

// User 0: ranked [3, 1, 4, 5, 9], relevant {1, 9, 7}: hits at 0-based ranks 1 and 4.
// User 1: ranked [0, 2], relevant {2}: hit at rank 1.
const LISTS = [Int32Array.of(3, 1, 4, 5, 9), Int32Array.of(0, 2)];
const RELEVANT = [new Set([1, 9, 7]), new Set([2])];

Deno.test("scoreRankings() keeps per-user values and their means", () => {
  const scores = scoreRankings(LISTS, RELEVANT, { cutoffs: [2, 5], numItems: 10 });
  // recall@2: 1/3 and 1/1 -> mean 2/3. recall@5: 2/3 and 1 -> mean 5/6.
  deepStrictEqual([...scores.perUser["recall@2"]], [1 / 3, 1]);
  near(scores.mean["recall@2"], 2 / 3, "recall@2");
  near(scores.mean["recall@5"], 5 / 6, "recall@5");
  // hit_rate@2: 1 and 1.
  strictEqual(scores.mean["hit_rate@2"], 1);
  // ndcg@2: user 0 1/log2(6) = 0.3868528072 (see ndcg_test.ts); user 1 DCG 1/log2(3),
  // IDCG 1 -> 0.6309297536; mean 0.5088912804.
  near(scores.perUser["ndcg@2"][0], 0.3868528072, "ndcg@2 user 0");
  near(scores.perUser["ndcg@2"][1], 0.6309297536, "ndcg@2 user 1");
  near(scores.mean["ndcg@2"], 0.5088912804, "ndcg@2");
  // precision@5: 2/5 and 1/5 (divided by k, not by the 2-item list) -> mean 0.3.
  deepStrictEqual([...scores.perUser["precision@5"]], [0.4, 0.2]);
  near(scores.mean["precision@5"], 0.3, "precision@5");
  // mrr@2: first hits at rank 2 for both users -> 0.5.
  strictEqual(scores.mean["mrr@2"], 0.5);
});

Deno.test("scoreRankings() reports catalog coverage and exposure Gini", () => {
  const scores = scoreRankings(LISTS, RELEVANT, { cutoffs: [2, 5], numItems: 10 });
  // Top-2 items {3, 1, 0, 2}: 4 of 10. Top-5 items {3, 1, 4, 5, 9, 0, 2}: 7 of 10.
  strictEqual(scores.catalog["coverage@2"], 0.4);
  strictEqual(scores.catalog["coverage@5"], 0.7);
  // gini@2: counts six 0s then four 1s (n = 10, sum 4); weights 2i - 11 for
  // i = 7..10 are 3, 5, 7, 9 -> 24 / (10 * 4) = 0.6.
  near(scores.catalog["gini@2"], 0.6, "gini@2");
  // gini@5: three 0s then seven 1s (sum 7); weights for i = 4..10:
  // -3, -1, 1, 3, 5, 7, 9 -> 21 / (10 * 7) = 0.3.
  near(scores.catalog["gini@5"], 0.3, "gini@5");
});

Deno.test("scoreRankings() emits keys metric-major, then cutoffs ascending", () => {
  const scores = scoreRankings(LISTS, RELEVANT, { cutoffs: [5, 2], numItems: 10 });
  const expected = [
    "recall@2",
    "recall@5",
    "hit_rate@2",
    "hit_rate@5",
    "ndcg@2",
    "ndcg@5",
    "precision@2",
    "precision@5",
    "mrr@2",
    "mrr@5",
  ];
  deepStrictEqual(Object.keys(scores.perUser), expected);
  deepStrictEqual(Object.keys(scores.mean), expected);
  deepStrictEqual(Object.keys(scores.catalog), ["coverage@2", "coverage@5", "gini@2", "gini@5"]);
});

Deno.test("scoreRankings() uses cutoffs 10, 20 and 50 by default", () => {
  deepStrictEqual([...DEFAULT_CUTOFFS], [10, 20, 50]);
  const scores = scoreRankings(LISTS, RELEVANT, { numItems: 10 });
  deepStrictEqual(Object.keys(scores.catalog), [
    "coverage@10",
    "coverage@20",
    "coverage@50",
    "gini@10",
    "gini@20",
    "gini@50",
  ]);
});

Deno.test("scoreRankings() rejects mismatched, empty or unusable input", () => {
  throws(() => scoreRankings(LISTS, RELEVANT.slice(1), { numItems: 10 }), TypeError);
  throws(() => scoreRankings([], [], { numItems: 10 }), /no users/);
  throws(
    () => scoreRankings(LISTS, [RELEVANT[0], new Set()], { numItems: 10 }),
    /user 1 has no relevant items/,
  );
  throws(() => scoreRankings(LISTS, RELEVANT, { cutoffs: [], numItems: 10 }), RangeError);
  throws(() => scoreRankings(LISTS, RELEVANT, { cutoffs: [5, 5], numItems: 10 }), /given twice/);
  throws(() => scoreRankings(LISTS, RELEVANT, { cutoffs: [0], numItems: 10 }), RangeError);
  throws(() => scoreRankings(LISTS, RELEVANT, { numItems: 5 }), RangeError);
});
