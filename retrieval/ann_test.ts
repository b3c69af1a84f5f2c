import { ok, strictEqual } from "node:assert/strict";
import { Rng } from "../data/rng.ts";
import { createAnnRanker } from "./ann.ts";
import { createTypeScriptRanker } from "./exact.ts";

Deno.test("ANN retrieval never returns excluded items and finds most of the exact top-20", () => {
  const rng = new Rng(5), d = 8, n = 1500, Q = 30, K = 2;
  const e = {
    users: Float32Array.from({ length: Q * K * d }, () => rng.normal()),
    items: Float32Array.from({ length: n * d }, () => rng.normal()),
    dim: d,
  };
  const exclude = Array.from({ length: Q }, (_, q) => Int32Array.of(q, q + 100, q + 200));
  const ann = createAnnRanker(createTypeScriptRanker(), { expansionSearch: 64 });
  const { lists, report } = ann.rank(e, { interests: K, depth: 20, exclude });
  strictEqual(lists.length, Q);
  ok(lists.every((l, q) => l.length === 20 && l.every((i) => !exclude[q].includes(i))));
  ok(report.recallOfExact! >= 0.9 && report.recallOfExact! <= 1, `recall ${report.recallOfExact}`);
  strictEqual(report.exact?.method, "exact-typescript");
});
