import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
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

Deno.test("an ANN ranker builds one index per item table and rebuilds when the table changes", () => {
  const rng = new Rng(7), d = 8, n = 800, K = 1;
  const items = Float32Array.from({ length: n * d }, () => rng.normal());
  const queries = (Q: number) => Float32Array.from({ length: Q * K * d }, () => rng.normal());
  const validation = { users: queries(20), items, dim: d };
  const test = { users: queries(25), items, dim: d };
  const options = { expansionSearch: 64, threads: 1 };
  const ann = createAnnRanker(createTypeScriptRanker(), options);
  const first = ann.rank(validation, { interests: K, depth: 10 });
  strictEqual(first.report.indexReused, false);
  ok(first.report.buildSeconds! > 0);
  // Same table (another array holding the same values): the index is searched again, not rebuilt.
  const second = ann.rank({ ...test, items: items.slice() }, { interests: K, depth: 10 });
  strictEqual(second.report.indexReused, true);
  strictEqual(second.report.buildSeconds, 0);
  // A fresh ranker (fresh index, single-threaded build) gives the same lists.
  const fresh = createAnnRanker(createTypeScriptRanker(), options);
  deepStrictEqual(second.lists, fresh.rank(test, { interests: K, depth: 10 }).lists);
  // A table updated in place, as models do while training, is a new table.
  items[3] += 1;
  const third = ann.rank(test, { interests: K, depth: 10 });
  strictEqual(third.report.indexReused, false);
  const rebuilt = createAnnRanker(createTypeScriptRanker(), options);
  deepStrictEqual(third.lists, rebuilt.rank(test, { interests: K, depth: 10 }).lists);
});
