import { deepStrictEqual, notDeepStrictEqual, ok, throws } from "node:assert/strict";
import { deriveRng, Rng } from "./rng.ts";

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.uint32());
}

Deno.test("Rng gives the same sequence for the same seed", () => {
  deepStrictEqual(draws(new Rng(7), 20), draws(new Rng(7), 20));
});

Deno.test("Rng gives different sequences for different seeds", () => {
  notDeepStrictEqual(draws(new Rng(1), 8), draws(new Rng(2), 8));
});

Deno.test("deriveRng() streams differ by label and repeat by (seed, label)", () => {
  deepStrictEqual(draws(deriveRng(3, "split"), 10), draws(deriveRng(3, "split"), 10));
  notDeepStrictEqual(draws(deriveRng(3, "split"), 10), draws(deriveRng(3, "init"), 10));
  notDeepStrictEqual(draws(deriveRng(3, "split"), 10), draws(deriveRng(4, "split"), 10));
});

Deno.test("Rng.int() stays in range and covers every value", () => {
  const rng = new Rng(11);
  const seen = new Uint32Array(7);
  for (let i = 0; i < 7000; i++) seen[rng.int(7)]++;
  for (const c of seen) ok(c > 800 && c < 1200, `count ${c} far from 1000`);
  throws(() => rng.int(0), RangeError);
});

Deno.test("Rng.float() is in [0, 1) with mean near 0.5", () => {
  const rng = new Rng(5);
  let sum = 0;
  for (let i = 0; i < 10000; i++) {
    const x = rng.float();
    ok(x >= 0 && x < 1);
    sum += x;
  }
  ok(Math.abs(sum / 10000 - 0.5) < 0.02);
});

Deno.test("Rng.shuffle() is a permutation", () => {
  const a = Int32Array.from({ length: 50 }, (_, i) => i);
  new Rng(9).shuffle(a);
  deepStrictEqual([...a].sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  notDeepStrictEqual([...a], Array.from({ length: 50 }, (_, i) => i));
});
