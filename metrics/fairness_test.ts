import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { labelEntropy } from "./diversity.ts";
import { binSpread, quantileBins } from "./fairness.ts";
import { kmeans } from "./kmeans.ts";
import { diversityFairness } from "./diversity_fairness.ts";
import { trainingDataFromRows } from "../models/_testing.ts";

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

Deno.test("labelEntropy() splits a multi-label item's weight evenly over its labels", () => {
  // item 0: {0, 1}; item 1: {2}. User with items 0, 1: masses 0.5, 0.5, 1 over 2 items
  // -> p = 0.25, 0.25, 0.5 -> H = 2 * 0.25 ln 4 + 0.5 ln 2 = 1.5 ln 2.
  const labels = { ptr: Int32Array.of(0, 2, 3, 3), codes: Int32Array.of(0, 1, 2) };
  const h = labelEntropy(Int32Array.of(0, 2, 3, 4), Int32Array.of(0, 1, 2, 1), labels);
  ok(close(h[0], 1.5 * Math.LN2), `got ${h[0]}`);
  // User 1 has only the unlabelled item 2: 0. User 2 has one single-label item: 0.
  strictEqual(h[1], 0);
  strictEqual(h[2], 0);
});

Deno.test("quantileBins() cuts sorted users into equal groups, ties by position", () => {
  deepStrictEqual([...quantileBins(Float64Array.of(3, 1, 2, 1, 5, 4), 3)], [1, 0, 1, 0, 2, 2]);
  // Five users in two bins: positions 0, 1, 2 -> bin 0 (floor(2 * 2 / 5) = 0), 3, 4 -> bin 1.
  deepStrictEqual([...quantileBins(Float64Array.of(0, 0, 0, 0, 0), 2)], [0, 0, 0, 1, 1]);
  throws(() => quantileBins([1], 0), RangeError);
});

Deno.test("binSpread() gives bin means, their population std and max-min gap", () => {
  // Bin means 0.2, 0.4, 0.9: mean 0.5, variance (0.09 + 0.01 + 0.16) / 3.
  const s = binSpread(
    Float64Array.of(0.2, 0.4, 0.8, 1.0, 0.4),
    Int32Array.of(0, 1, 2, 2, 1),
    3,
  );
  ok(close(s.perBin[0], 0.2) && close(s.perBin[1], 0.4) && close(s.perBin[2], 0.9));
  ok(close(s.std, Math.sqrt(0.26 / 3)), `std ${s.std}`);
  ok(close(s.gap, 0.7));
});

Deno.test("binSpread() ignores empty bins", () => {
  const s = binSpread(Float64Array.of(1, 0), Int32Array.of(0, 2), 3);
  ok(Number.isNaN(s.perBin[1]));
  strictEqual(s.std, 0.5);
  strictEqual(s.gap, 1);
});

Deno.test("kmeans() separates two well-apart groups without random draws", () => {
  const data = Float32Array.of(0, 0, 0, 1, 10, 10, 10, 11, 1, 0);
  deepStrictEqual([...kmeans({ data, rows: 5, dim: 2 }, 2)], [0, 0, 1, 1, 0]);
  throws(() => kmeans({ data, rows: 5, dim: 2 }, 6), RangeError);
});

Deno.test("diversityFairness() bins users by genre entropy when the data has genres", () => {
  // Items 0, 1 are genre 0, item 2 genre 1. Users 0 and 1 see one genre (entropy 0),
  // user 2 sees both evenly (ln 2), user 3 two of genre 0 and one of genre 1.
  const train = {
    ...trainingDataFromRows([[0], [0, 1], [0, 2], [0, 1, 2]], 3),
    itemFeatures: {
      fields: {
        genres: {
          vocab: ["a", "b"],
          ptr: Int32Array.of(0, 1, 2, 3),
          codes: Int32Array.of(0, 0, 1),
        },
      },
    },
  };
  const f = diversityFairness(train, Int32Array.of(0, 1, 2, 3), {
    "recall@20": Float64Array.of(1, 1, 0, 0),
  }, { bins: 2 });
  strictEqual(f.basis, "field:genres");
  deepStrictEqual(f.users, [2, 2]);
  deepStrictEqual(f.metrics["recall@20"].perBin, [1, 0]);
  strictEqual(f.metrics["recall@20"].gap, 1);
  strictEqual(f.metrics["recall@20"].std, 0.5);
  ok(close(f.upperEntropy[1], Math.LN2));
});

Deno.test("diversityFairness() falls back to fixed item clusters without categories", () => {
  const train = trainingDataFromRows([[0, 1], [0, 1], [2, 3], [2, 3], [0, 3]], 4);
  const a = diversityFairness(train, Int32Array.of(0, 1, 2, 3, 4), {
    "ndcg@20": Float64Array.of(1, 1, 1, 1, 0),
  }, { bins: 2, clusters: 2 });
  const b = diversityFairness(train, Int32Array.of(0, 1, 2, 3, 4), {
    "ndcg@20": Float64Array.of(1, 1, 1, 1, 0),
  }, { bins: 2, clusters: 2 });
  strictEqual(a.basis, "clusters:2");
  deepStrictEqual(a, b);
  // The user mixing both clusters is the most diverse, alone with recall 0 in the top bin.
  ok(a.metrics["ndcg@20"].perBin[1] < 1);
});

Deno.test("labelEntropy() with the genre weighting counts every label of an item once", () => {
  // item 0: {0, 1}; item 1: {2}. Item-label pairs of the user: 0, 1, 2 -> H = ln 3
  // (the item weighting gives 1.5 ln 2 above).
  const labels = { ptr: Int32Array.of(0, 2, 3), codes: Int32Array.of(0, 1, 2) };
  const h = labelEntropy(Int32Array.of(0, 2), Int32Array.of(0, 1), labels, { weighting: "genre" });
  ok(close(h[0], Math.log(3)), `got ${h[0]}`);
});

Deno.test("diversityFairness() uses the genre weighting by default and reports diversity against activity", () => {
  // Genres: item 0 {A}, item 1 {B}, item 2 {A, B}. Users: [0], [0, 1], [0, 2], [1].
  const train = {
    ...trainingDataFromRows([[0], [0, 1], [0, 2], [1]], 3),
    itemFeatures: {
      titles: ["", "", ""],
      fields: {
        genres: {
          vocab: ["A", "B"],
          ptr: Int32Array.of(0, 1, 2, 4),
          codes: Int32Array.of(0, 1, 0, 1),
        },
      },
    },
  };
  const users = Int32Array.of(0, 1, 2, 3);
  const perUser = { "recall@20": Float64Array.of(1, 0, 0.5, 0.5) };
  // User 2: genre weighting A 2, B 1 -> H(2/3, 1/3) = ln 3 - (2/3) ln 2;
  // item weighting A 1.5, B 0.5 -> H(3/4, 1/4) = 2 ln 2 - (3/4) ln 3. User 1: ln 2 either way.
  const byGenre = diversityFairness(train, users, perUser, { bins: 4 });
  strictEqual(byGenre.weighting, "genre");
  strictEqual(byGenre.basis, "field:genres");
  ok(close(byGenre.upperEntropy[2], Math.log(3) - (2 / 3) * Math.LN2));
  ok(close(byGenre.upperEntropy[3], Math.LN2));
  const byItem = diversityFairness(train, users, perUser, { bins: 4, weighting: "item" });
  ok(close(byItem.upperEntropy[2], 2 * Math.LN2 - 0.75 * Math.log(3)));
  // Two bins: {user 0, user 3} (entropy 0, 1 item each), {user 2, user 1} (2 items each).
  const two = diversityFairness(train, users, perUser, { bins: 2 });
  deepStrictEqual(two.activity!.perBin, [1, 2]);
  deepStrictEqual(two.metrics["recall@20"].perBin, [0.75, 0.25]);
  // Entropy ranks (1.5, 4, 3, 1.5), activity ranks (1.5, 3.5, 3.5, 1.5): rho = 4 / sqrt(4.5 * 4).
  ok(close(two.activity!.spearman, 4 / Math.sqrt(18)), `got ${two.activity!.spearman}`);
  // Pearson: activity deviations (-0.5, 0.5, 0.5, -0.5) against entropies (0, ln 2, h, 0).
  const h = Math.log(3) - (2 / 3) * Math.LN2, m = (Math.LN2 + h) / 4;
  const sxy = 0.5 * (Math.LN2 + h), sxx = 2 * m * m + (Math.LN2 - m) ** 2 + (h - m) ** 2;
  ok(close(two.activity!.pearson, sxy / Math.sqrt(sxx * 1)), `got ${two.activity!.pearson}`);
});
