import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { Rng } from "../data/rng.ts";
import { topKMultiInterest } from "../metrics/merge.ts";
import { TypeScriptBackend } from "../models/engine/backend.ts";
import type { Embeddings } from "../models/types.ts";
import { createTypeScriptRanker, dotFloat32 } from "./exact.ts";
import { createOrtRanker } from "./ort_exact.ts";

const ort = await createOrtRanker({ threads: 2, maxScoresInMemory: 4096 });

/** Q queries x K interests x d, n items; values from `value`. */
function fixture(
  q: number,
  k: number,
  n: number,
  d: number,
  value: (rng: Rng) => number,
): Embeddings {
  const rng = new Rng(7);
  return {
    users: Float32Array.from({ length: q * k * d }, () => value(rng)),
    items: Float32Array.from({ length: n * d }, () => value(rng)),
    dim: d,
  };
}

function exclusions(q: number, n: number, count: number): Int32Array[] {
  const rng = new Rng(3);
  return Array.from(
    { length: q },
    () => Int32Array.from({ length: count }, () => Math.floor(rng.float() * n)),
  );
}

/** The `score()` path: the TypeScript backend's product, then the shared top-K. */
function scorePath(e: Embeddings, K: number, depth: number, exclude?: Int32Array[]): Int32Array[] {
  const d = e.dim, n = e.items.length / d, Q = e.users.length / (K * d);
  const scores = new TypeScriptBackend().gemm(e.users, e.items, Q * K, d, n, { transB: true });
  return Array.from({ length: Q }, (_, q) =>
    topKMultiInterest(scores, K, n, depth, {
      offset: q * K * n,
      ...(exclude ? { exclude: exclude[q] } : {}),
    }));
}

Deno.test("dotFloat32() is bit-identical to the TypeScript backend's product", () => {
  const e = fixture(3, 2, 50, 16, (r) => r.normal());
  const gemm = new TypeScriptBackend().gemm(e.users, e.items, 6, 16, 50, { transB: true });
  for (let r = 0; r < 6; r++) {
    for (let i = 0; i < 50; i++) {
      strictEqual(dotFloat32(e.users, r * 16, e.items, i * 16, 16), gemm[r * 50 + i]);
    }
  }
});

Deno.test("ONNX Runtime and TypeScript give identical top-K lists on small-integer vectors full of ties", () => {
  // Values in {-1, 0, 1}: every score is an exact small integer, so many items tie.
  const e = fixture(40, 3, 300, 6, (r) => Math.floor(r.float() * 3) - 1);
  const exclude = exclusions(40, 300, 25);
  const o = { interests: 3, depth: 20, exclude };
  const fromOrt = ort.rank(e, o);
  const fromTs = createTypeScriptRanker().rank(e, o);
  deepStrictEqual(fromOrt.lists, fromTs.lists);
  deepStrictEqual(fromOrt.lists, scorePath(e, 3, 20, exclude));
  ok(fromOrt.lists.every((l, q) => l.every((i) => !exclude[q].includes(i))), "exclusions kept");
  ok(fromOrt.lists.some((l) => l.length === 20));
});

Deno.test("ONNX Runtime's certified candidates match TypeScript, duplicate items tying, with few full scans", () => {
  const e = fixture(64, 4, 2000, 16, (r) => r.normal());
  e.items.copyWithin(1000 * 16, 0, 1000 * 16); // items i and i + 1000 tie exactly
  const exclude = exclusions(64, 2000, 30);
  const o = { interests: 4, depth: 50, exclude };
  const fromOrt = ort.rank(e, o);
  deepStrictEqual(fromOrt.lists, createTypeScriptRanker().rank(e, o).lists);
  deepStrictEqual(fromOrt.lists, scorePath(e, 4, 50, exclude));
  ok((fromOrt.report.fallbacks ?? 0) < 4, `fallbacks: ${fromOrt.report.fallbacks}`);
  ok(fromOrt.lists.some((l) => l.some((i) => i >= 1000 && l.includes(i - 1000))), "ties inside");
});

Deno.test("ONNX Runtime falls back to a full scan where ties or NaN straddle the candidate cut", () => {
  // Every item identical: all scores tie, so no candidate list can be certified.
  const e: Embeddings = {
    users: Float32Array.of(1, 2, NaN, 1),
    items: new Float32Array(2 * 100).fill(0.5),
    dim: 2,
  };
  e.items[2 * 97] = NaN;
  const o = { interests: 1, depth: 5, exclude: [Int32Array.of(0, 3), undefined] };
  const fromOrt = ort.rank(e, o);
  deepStrictEqual(fromOrt.lists, createTypeScriptRanker().rank(e, o).lists);
  deepStrictEqual(fromOrt.lists[0], Int32Array.of(1, 2, 4, 5, 6));
  strictEqual(fromOrt.report.fallbacks, 2);
});

Deno.test("ONNX Runtime's chunked candidates equal the brute-force lists for one and for four interests, exclusion lists of every length", () => {
  // 2,000 items in chunks of 256 and batches of 4 queries (maxScoresInMemory 4096), so
  // the per-chunk lists are merged and users are regrouped by exclusion length.
  const rng = new Rng(11);
  for (const K of [1, 4]) {
    const e = fixture(37, K, 2000, 8, (r) => r.normal());
    const exclude = Array.from(
      { length: 37 },
      (_, q) =>
        q % 5 === 0 ? undefined : Int32Array.from(
          { length: Math.floor(rng.float() * 300) },
          () => Math.floor(rng.float() * 2000),
        ),
    );
    const o = { interests: K, depth: 50, exclude };
    const fromOrt = ort.rank(e, o);
    deepStrictEqual(fromOrt.lists, scorePath(e, K, 50, exclude as Int32Array[]), `K = ${K}`);
    ok((fromOrt.report.fallbacks ?? 0) === 0, `fallbacks: ${fromOrt.report.fallbacks}`);
  }
});

Deno.test("ONNX Runtime widens a list it cannot certify before scanning in full", async () => {
  // No margin: the depth-th candidate is the last one, so the cut can never be certified
  // at the first width; eight times the width certifies every query.
  const narrow = await createOrtRanker({ threads: 1, margin: 0, maxScoresInMemory: 4096 });
  const e = fixture(9, 2, 1500, 8, (r) => r.normal());
  const o = { interests: 2, depth: 20 };
  const r = narrow.rank(e, o);
  deepStrictEqual(r.lists, scorePath(e, 2, 20));
  strictEqual(r.report.widened, 9);
  strictEqual(r.report.fallbacks, 0);
});

Deno.test("ONNX Runtime leaves queries whose scores could overflow float32 to the full scan", () => {
  const e = fixture(3, 2, 400, 4, (r) => r.normal());
  e.users.fill(1e38, 0, 8); // query 0: its scores overflow to Infinity (and NaN)
  const o = { interests: 2, depth: 10 };
  const r = ort.rank(e, o);
  deepStrictEqual(r.lists, createTypeScriptRanker().rank(e, o).lists);
  deepStrictEqual(r.lists, scorePath(e, 2, 10));
  strictEqual(r.report.fallbacks, 1);
});
