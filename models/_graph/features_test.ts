import { ok } from "node:assert/strict";
import { BAG_WIDTH, itemFeatureMatrices } from "./features.ts";

Deno.test("itemFeatureMatrices() gives genres as TF-IDF rows with smoothed IDF, L2-normalised", () => {
  // Three items: genre codes {0}, {0, 1}, {} (the third has no genre).
  const fields = {
    genres: { vocab: ["a", "b"], ptr: Int32Array.of(0, 1, 3, 3), codes: Int32Array.of(0, 0, 1) },
  };
  const [m] = itemFeatureMatrices({ fields }, 3);
  ok(m.name === "categories" && m.width === 2 && m.kind === "tfidf");
  // n = 2 items with genres; df(a) = 2, df(b) = 1; idf = ln(3 / (1 + df)) + 1.
  const ia = Math.log(3 / 3) + 1, ib = Math.log(3 / 2) + 1;
  const norm = Math.hypot(ia, ib);
  const want = [1, 0, ia / norm, ib / norm, 0, 0];
  ok(want.every((w, k) => Math.abs(m.values[k] - w) < 1e-6), [...m.values].join());
  ok(m.present.join() === "1,1,0");
});

Deno.test("itemFeatureMatrices() projects a wide title vocabulary to BAG_WIDTH columns, the same for every run", () => {
  const titles = Array.from({ length: 60 }, (_, i) => `w${i} x${i} y${i % 5} z${i * 7}`);
  const a = itemFeatureMatrices({ titles, fields: {} }, 60);
  const b = itemFeatureMatrices({ titles, fields: {} }, 60);
  ok(a[0].kind === "tfidf+projection" && a[0].width === BAG_WIDTH);
  ok(a[0].values.every((v, k) => v === b[0].values[k]));
  // The projection keeps inner products in expectation: each row's norm stays near 1.
  const n0 = Math.hypot(...a[0].values.subarray(0, BAG_WIDTH));
  ok(n0 > 0.7 && n0 < 1.3, `row norm ${n0}`);
});

Deno.test("itemFeatureMatrices() keeps a dense file's raw rows for kNN and standardised ones for projections", () => {
  const dense = {
    modality: "image",
    names: ["f0"],
    values: Float32Array.of(10, 0, 30),
    present: Uint8Array.of(1, 0, 1),
    source: { file: "f.csv", sha256: "" },
  };
  const [m] = itemFeatureMatrices({ fields: {}, dense: [dense] }, 3);
  ok(m.raw.join() === "10,0,30" && m.values.join() === "-1,0,1" && m.kind === "dense");
});
