import { deepStrictEqual, throws } from "node:assert/strict";
import { topKMultiInterest } from "./merge.ts";
import { topK } from "./topk.ts";

Deno.test("topKMultiInterest() merges per-interest lists by score and drops repeats", () => {
  // Interest 0: 0.9, 0.8, 0.1, 0.0 -> top 2 is item 0 (0.9), item 1 (0.8).
  // Interest 1: 0.2, 0.95, 0.85, 0.0 -> top 2 is item 1 (0.95), item 2 (0.85).
  // Merged: 1 (0.95), 0 (0.9), 2 (0.85); item 1's 0.8 is a repeat.
  const scores = Float32Array.of(0.9, 0.8, 0.1, 0.0, 0.2, 0.95, 0.85, 0.0);
  deepStrictEqual([...topKMultiInterest(scores, 2, 4, 2)], [1, 0]);
  deepStrictEqual([...topKMultiInterest(scores, 2, 4, 3)], [1, 0, 2]);
});

Deno.test("topKMultiInterest() ranks the lower item index first on equal scores", () => {
  // Interest 0 gives item 2 a 0.5, interest 1 gives item 1 a 0.5 and item 2 a 0.5:
  // merged 1 (0.5) and 2 (0.5) tie, so 1 comes first; item 2 appears once.
  const scores = Float32Array.of(0.1, 0.0, 0.5, 0.0, 0.5, 0.5);
  deepStrictEqual([...topKMultiInterest(scores, 2, 3, 3)], [1, 2, 0]);
});

Deno.test("topKMultiInterest() honours exclusion, offset and short catalogs", () => {
  // One padding score, then interests over 3 items: (0.9, 0.1, 0.2), (0.3, 0.8, 0.9).
  // Item maxima 0.9, 0.8, 0.9; excluding item 2 leaves 0 (0.9), 1 (0.8).
  const scores = Float32Array.of(7, 0.9, 0.1, 0.2, 0.3, 0.8, 0.9);
  deepStrictEqual([...topKMultiInterest(scores, 2, 3, 5, { offset: 1, exclude: [2] })], [0, 1]);
  deepStrictEqual([...topKMultiInterest(scores, 2, 3, 5, { offset: 1 })], [0, 2, 1]);
});

Deno.test("topKMultiInterest() equals topK() over the per-item maximum on tied data", () => {
  // Tiny LCG (Numerical Recipes constants); 6 score levels force ties within
  // and across interests, and some NaN scores are mixed in.
  let state = 2024;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < 30; trial++) {
    const interests = 1 + Math.floor(next() * 4);
    const numItems = 1 + Math.floor(next() * 60);
    const offset = Math.floor(next() * 3);
    const scores = new Float32Array(offset + interests * numItems);
    for (let i = offset; i < scores.length; i++) {
      scores[i] = next() < 0.03 ? NaN : Math.floor(next() * 6);
    }
    const maxima = new Float32Array(numItems).fill(NaN);
    for (let item = 0; item < numItems; item++) {
      for (let j = 0; j < interests; j++) {
        const s = scores[offset + j * numItems + item];
        // NaN loses to any number; the maximum stays NaN only if all are NaN.
        if (s === s && !(s <= maxima[item])) maxima[item] = s;
      }
    }
    const exclude = Array.from(
      { length: Math.floor(next() * 5) },
      () => Math.floor(next() * numItems),
    );
    const k = Math.floor(next() * (numItems + 3));
    deepStrictEqual(
      [...topKMultiInterest(scores, interests, numItems, k, { exclude, offset })],
      [...topK(maxima, k, { exclude })],
      `trial ${trial}`,
    );
  }
});

Deno.test("topKMultiInterest() rejects bad shapes with RangeError", () => {
  const scores = new Float32Array(6);
  throws(() => topKMultiInterest(scores, 0, 3, 1), RangeError);
  throws(() => topKMultiInterest(scores, 2, -1, 1), RangeError);
  throws(() => topKMultiInterest(scores, 2, 4, 1), RangeError);
  throws(() => topKMultiInterest(scores, 2, 3, 1, { offset: 1 }), RangeError);
  throws(() => topKMultiInterest(scores, 2, 3, -1), RangeError);
});
