import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { ndcgComiRecAt, recallWithRepeatsAt, scoreReferenceVariants } from "./variants.ts";
import { ndcgAt } from "./ndcg.ts";
import { recallAt } from "./recall.ts";

// Ranked [2, 7, 5, 9, 1]; target events 5, 5, 1, 8, 8 (distinct {5, 1, 8}).
// Hits at 0-based ranks 2 (item 5) and 4 (item 1).
const ranked = [2, 7, 5, 9, 1];
const targets = new Set([5, 1, 8]);

Deno.test("recallWithRepeatsAt() divides the hits by the target events, repeats counted", () => {
  strictEqual(recallWithRepeatsAt(ranked, targets, 5, 5), 2 / 5);
  strictEqual(recallWithRepeatsAt(ranked, targets, 5, 3), 1 / 5);
  // The standard recall divides by the distinct targets.
  strictEqual(recallAt(ranked, targets, 5), 2 / 3);
  strictEqual(recallWithRepeatsAt(ranked, new Set(), 0, 5), 0);
  throws(() => recallWithRepeatsAt(ranked, targets, 2, 5), /2 target events for 3 distinct/);
});

Deno.test("ndcgComiRecAt() normalises by the ideal DCG of the hits found, not of the targets", () => {
  // DCG = 1/log2(4) + 1/log2(6) = 0.88685...; ideal of 2 hits = 1 + 1/log2(3);
  // 0.5437713091520254 computed by hand in Python (math.log2).
  ok(Math.abs(ndcgComiRecAt(ranked, targets, 5) - 0.5437713091520254) < 1e-15);
  // Standard NDCG@5 uses the ideal of min(3, 5) targets: 0.41618115554873086 (Python).
  ok(Math.abs(ndcgAt(ranked, targets, 5) - 0.41618115554873086) < 1e-15);
  // One hit, at rank 2 (0-based): 0.5 / 1.
  strictEqual(ndcgComiRecAt(ranked, targets, 3), 0.5);
  // All hits on top: 1, however many targets were missed.
  strictEqual(ndcgComiRecAt([5, 2], targets, 2), 1);
  strictEqual(ndcgComiRecAt([2, 7], targets, 2), 0);
});

Deno.test("scoreReferenceVariants() averages over users, recall keys first, cutoffs ascending", () => {
  const v = scoreReferenceVariants(
    [Int32Array.from(ranked), Int32Array.of(8, 0)],
    [targets, new Set([8])],
    [5, 1],
    [5, 3],
  );
  deepStrictEqual(Object.keys(v), [
    "recall_repeats@3",
    "recall_repeats@5",
    "ndcg_comirec@3",
    "ndcg_comirec@5",
  ]);
  strictEqual(v["recall_repeats@5"], (2 / 5 + 1) / 2);
  strictEqual(v["recall_repeats@3"], (1 / 5 + 1) / 2);
  strictEqual(v["ndcg_comirec@3"], (0.5 + 1) / 2);
  throws(() => scoreReferenceVariants([ranked], [], [], [5]), /1 lists, 0 target sets/);
});
