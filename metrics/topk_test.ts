import { deepStrictEqual, throws } from "node:assert/strict";
import { topK } from "./topk.ts";

function ranked(scores: number[], k: number, options = {}): number[] {
  return [...topK(Float32Array.from(scores), k, options)];
}

Deno.test("topK() returns the best k items by descending score", () => {
  // Scores 0.5, 0.1, 0.9, 0.3: order is 2 (0.9), 0 (0.5), 3 (0.3), 1 (0.1).
  deepStrictEqual(ranked([0.5, 0.1, 0.9, 0.3], 2), [2, 0]);
  deepStrictEqual(ranked([0.5, 0.1, 0.9, 0.3], 4), [2, 0, 3, 1]);
});

Deno.test("topK() ranks the lower item index first among equal scores", () => {
  // 0.7 at items 1, 2, 4; then 0.2 at item 0; then 0.1 at item 3.
  const scores = [0.2, 0.7, 0.7, 0.1, 0.7];
  deepStrictEqual(ranked(scores, 2), [1, 2]);
  deepStrictEqual(ranked(scores, 3), [1, 2, 4]);
  deepStrictEqual(ranked(scores, 5), [1, 2, 4, 0, 3]);
  // Full order: 0.9@2, 0.5@0, 0.5@1, 0.5@3; a tie that arrives after the heap
  // is full must not displace the lower index already kept.
  deepStrictEqual(ranked([0.5, 0.5, 0.9, 0.5], 2), [2, 0]);
  deepStrictEqual(ranked([1, 1, 1, 1, 1, 1], 3), [0, 1, 2]);
});

Deno.test("topK() treats NaN as -Infinity", () => {
  // NaN@0, -Infinity@1, 0@2, NaN@3: 2 first, then the three -Infinity ties by index.
  deepStrictEqual(ranked([NaN, -Infinity, 0, NaN], 4), [2, 0, 1, 3]);
  deepStrictEqual(ranked([NaN, -1, NaN], 1), [1]);
});

Deno.test("topK() never returns excluded items", () => {
  // 0.9@0 and 0.7@2 are excluded; the rest in order: 0.8@1, 0.6@3.
  deepStrictEqual(ranked([0.9, 0.8, 0.7, 0.6], 2, { exclude: [2, 0] }), [1, 3]);
  // Repeats in the exclusion list are harmless.
  deepStrictEqual(ranked([0.9, 0.8, 0.7, 0.6], 2, { exclude: [0, 0, 1] }), [2, 3]);
  // An excluded item that ties the kept ones is still skipped.
  deepStrictEqual(ranked([0.5, 0.5, 0.5], 3, { exclude: [1] }), [0, 2]);
});

Deno.test("topK() returns fewer than k items when fewer candidates exist", () => {
  deepStrictEqual(ranked([0.3, 0.1, 0.2], 10), [0, 2, 1]);
  deepStrictEqual(ranked([0.3, 0.1, 0.2], 10, { exclude: [0] }), [2, 1]);
  deepStrictEqual(ranked([0.3, 0.1, 0.2], 0), []);
  deepStrictEqual(ranked([], 5), []);
});

Deno.test("topK() reads one row of a matrix through offset and length", () => {
  // 3 x 4 matrix; row 1 is 0.4, 0.9, 0.1, 0.9 -> items 1, 3 (tie by index), 0.
  const matrix = [
    [0.9, 0.9, 0.9, 0.9],
    [0.4, 0.9, 0.1, 0.9],
    [1.0, 1.0, 1.0, 1.0],
  ].flat();
  deepStrictEqual(ranked(matrix, 3, { offset: 4, length: 4 }), [1, 3, 0]);
  deepStrictEqual(ranked(matrix, 3, { offset: 4, length: 4, exclude: [3] }), [1, 0, 2]);
  // Without a length, the row runs to the end of the array.
  deepStrictEqual(ranked(matrix, 2, { offset: 10 }), [0, 1]);
});

Deno.test("topK() leaves its input unchanged", () => {
  const scores = Float32Array.of(0.3, NaN, 0.9, 0.1);
  topK(scores, 2, { exclude: [2] });
  deepStrictEqual([...scores], [Math.fround(0.3), NaN, Math.fround(0.9), Math.fround(0.1)]);
});

Deno.test("topK() agrees with a full sort by (score desc, index asc) on tied data", () => {
  // Tiny LCG (Numerical Recipes constants); 5 score levels force many ties.
  let state = 12345;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < 20; trial++) {
    const n = 1 + Math.floor(next() * 200);
    const scores = Float32Array.from({ length: n }, () => Math.floor(next() * 5));
    const exclude = Array.from({ length: Math.floor(next() * 10) }, () => Math.floor(next() * n));
    const k = Math.floor(next() * (n + 5));
    const banned = new Set(exclude);
    const expected = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !banned.has(i))
      .sort((a, b) => scores[b] - scores[a] || a - b)
      .slice(0, k);
    deepStrictEqual([...topK(scores, k, { exclude })], expected, `trial ${trial}`);
  }
});

Deno.test("topK() rejects a bad k, row or exclusion with RangeError", () => {
  const scores = new Float32Array(4);
  throws(() => topK(scores, -1), RangeError);
  throws(() => topK(scores, 1.5), RangeError);
  throws(() => topK(scores, 1, { offset: 5 }), RangeError);
  throws(() => topK(scores, 1, { offset: 2, length: 3 }), RangeError);
  throws(() => topK(scores, 1, { exclude: [4] }), /exclude\[0\] is 4/);
  throws(() => topK(scores, 1, { offset: 2, exclude: [2] }), RangeError);
});
