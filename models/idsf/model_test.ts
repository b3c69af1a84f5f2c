import { ok, throws } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import type { DenseItemFeatures, ItemFeatures } from "../../data/dataset.ts";
import { fitForTest, plantedSplit } from "../_graph/_planted.ts";
import { MostPopular } from "../mostpop/mod.ts";
import type { Model } from "../types.ts";
import { IDSF_DEFAULTS } from "./config.ts";
import { Idsf } from "./model.ts";
import { idsf } from "./mod.ts";

const small = { ...IDSF_DEFAULTS, dim: 16, batchSize: 128, lr: 0.01, clBatch: 32 };

/**
 * The planted split with features: each item's genre and one title word name
 * its block. Items in `missing.genres` get no genre, those in `missing.titles`
 * an empty title.
 */
function plantedWithFeatures(missing: { genres?: Set<number>; titles?: Set<number> } = {}) {
  const split = plantedSplit();
  const G = 6, IG = 15, N = split.train.numItems;
  const ptr = new Int32Array(N + 1), codes: number[] = [];
  for (let i = 0; i < N; i++) {
    if (!missing.genres?.has(i)) codes.push(Math.floor(i / IG));
    ptr[i + 1] = codes.length;
  }
  const itemFeatures: ItemFeatures = {
    titles: Array.from(
      { length: N },
      (_, i) => missing.titles?.has(i) ? "" : `Film ${i % IG} of block${Math.floor(i / IG)}`,
    ),
    fields: {
      genres: {
        vocab: Array.from({ length: G }, (_, g) => `genre${g}`),
        ptr,
        codes: Int32Array.from(codes),
      },
    },
  };
  return { ...split, train: { ...split.train, itemFeatures } };
}

/**
 * Adds dense rows to a planted split: a one-hot of the item's block plus
 * noise (F = 8 columns); items in `missing` get no row.
 */
function withDenseRows(
  split: ReturnType<typeof plantedWithFeatures>,
  missing: Set<number>,
  modality = "dense",
) {
  const N = split.train.numItems, F = 8, IG = 15;
  const values = new Float32Array(N * F), present = new Uint8Array(N);
  for (let i = 0; i < N; i++) {
    if (missing.has(i)) continue;
    present[i] = 1;
    for (let c = 0; c < F; c++) values[i * F + c] = 0.1 * Math.sin(7 * i + 3 * c);
    values[i * F + Math.floor(i / IG)] += 1;
  }
  const names = Array.from({ length: F }, (_, c) => `f${c}`);
  const dense: DenseItemFeatures = {
    modality,
    names,
    values,
    present,
    source: { file: "planted.csv", sha256: "0".repeat(64) },
  };
  const before = split.train.itemFeatures!.dense ?? [];
  const itemFeatures = { ...split.train.itemFeatures!, dense: [...before, dense] };
  return { ...split, train: { ...split.train, itemFeatures } };
}

const range = (a: number, b: number) => new Set(Array.from({ length: b - a }, (_, k) => a + k));

async function recallVsPopular(model: Model, split: ReturnType<typeof plantedWithFeatures>) {
  const pop = new MostPopular();
  pop.fit(split.train);
  await fitForTest(model, split.train, { iterations: 200 });
  const recall = (m: Model) =>
    evaluateModel(m, split.test, split.train.numItems, { cutoffs: [10] }).metrics["recall@10"];
  return { model: recall(model), popular: recall(pop) };
}

Deno.test("IDSF finds planted communities with genres and titles that MostPopular cannot", async () => {
  const r = await recallVsPopular(new Idsf(small), plantedWithFeatures());
  ok(r.model > r.popular + 0.2, `IDSF recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("IDSF scores and trains when items miss one or both modalities", async () => {
  // Items 0-9 lack genres, 5-14 lack titles: 5-9 have no side features at all.
  const split = plantedWithFeatures({ genres: range(0, 10), titles: range(5, 15) });
  const model = new Idsf(small);
  const r = await recallVsPopular(model, split);
  ok(r.model > r.popular + 0.2, `IDSF recall@10 ${r.model} vs MostPopular ${r.popular}`);
  const d = model.trainingReport().diagnostics;
  ok(d["itemsWith:categories"] === 80 && d["itemsWith:title"] === 80, JSON.stringify(d));
  const out = new Float32Array(split.train.numItems);
  model.score([split.test.queries[0]], out);
  ok(out.every(Number.isFinite), "scores must be finite");
  // The featureless items are scored and distinguished, not collapsed to one value.
  ok(new Set(out.slice(5, 10)).size === 5, `featureless item scores ${out.slice(5, 10).join()}`);
});

Deno.test("IDSF trains and scores with a dense-feature modality, items missing a row included", async () => {
  // Items 0-9 lack genres, 5-14 titles, 0-19 dense rows: 5-9 have no side features at all.
  const base = plantedWithFeatures({ genres: range(0, 10), titles: range(5, 15) });
  const split = withDenseRows(base, range(0, 20));
  const model = new Idsf(small);
  const r = await recallVsPopular(model, split);
  ok(r.model > r.popular + 0.2, `IDSF recall@10 ${r.model} vs MostPopular ${r.popular}`);
  const d = model.trainingReport().diagnostics;
  ok(d["itemsWith:dense"] === 70 && d["itemsWith:title"] === 80, JSON.stringify(d));
  const out = new Float32Array(split.train.numItems);
  model.score([split.test.queries[0]], out);
  ok(out.every(Number.isFinite), "scores must be finite");
  ok(new Set(out.slice(0, 20)).size === 20, `items without a row: ${out.slice(0, 20).join()}`);
  // The modality adds its projection [F, d], its item ID and user preference tables and its
  // fusion query on top of the model without dense features, and it changes the scores.
  const plain = new Idsf(small);
  await fitForTest(plain, base.train, { iterations: 200 });
  const { numItems, numUsers } = split.train;
  ok(model.parameterCount() === plain.parameterCount() + (8 + numItems + numUsers + 1) * small.dim);
  const before = new Float32Array(split.train.numItems);
  plain.score([split.test.queries[0]], before);
  ok(out.some((v, i) => v !== before[i]), "dense features must change the scores");
});

Deno.test("IDSF takes one modality per named dense file (text and visual)", async () => {
  const base = plantedWithFeatures();
  const split = withDenseRows(withDenseRows(base, range(0, 10), "text"), range(30, 45), "visual");
  const model = new Idsf(small);
  const r = await recallVsPopular(model, split);
  ok(r.model > r.popular + 0.2, `IDSF recall@10 ${r.model} vs MostPopular ${r.popular}`);
  const d = model.trainingReport().diagnostics;
  ok(d["itemsWith:text"] === 80 && d["itemsWith:visual"] === 75, JSON.stringify(d));
});

Deno.test("IDSF trains on data without any item features (ID only)", async () => {
  const split = plantedSplit();
  const model = new Idsf({ ...small });
  await fitForTest(model, split.train, { iterations: 20 });
  const out = new Float32Array(split.train.numItems);
  model.score([split.test.queries[0]], out);
  ok(out.every(Number.isFinite));
});

Deno.test("idsf's config checks its ranges and keeps the cf family's shared defaults", () => {
  const c = idsf.configure();
  // The authors' parser: 2 layers, gamma 0.3, loss ratio 1.0, tau 0.5.
  ok(
    c.dim === 64 && c.layers === 2 && c.gamma === 0.3 && c.lossRatio === 1 && c.temperature === 0.5,
  );
  throws(() => idsf.configure({ gamma: -0.1 }), RangeError);
  throws(() => idsf.configure({ temperature: 0 }), RangeError);
  throws(() => idsf.configure({ clBatch: 1 }), RangeError);
});
