import { ok, strictEqual } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import { splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { MostPopular } from "../mostpop/model.ts";
import { trainingDataFromRows as train } from "../_testing.ts";
import { ItemKNN } from "./model.ts";

Deno.test("ItemKNN scores are sums of binary cosine similarities", () => {
  // Users: {0,1}, {0,1,2}, {1,2}. n0=2, n1=3, n2=2; c01=2, c12=2, c02=1.
  // cos(0,1) = 2/sqrt(6), cos(0,2) = 1/2, cos(1,2) = 2/sqrt(6).
  const m = new ItemKNN({ neighbors: 10, shrink: 0 });
  m.fit(train([[0, 1], [0, 1, 2], [1, 2]], 4));
  const out = new Float32Array(4);
  m.score([{ user: 0, history: Int32Array.of(0, 0) }], out); // a repeat counts once
  ok(Math.abs(out[0] - 0) < 1e-7);
  ok(Math.abs(out[1] - 2 / Math.sqrt(6)) < 1e-6);
  ok(Math.abs(out[2] - 0.5) < 1e-6);
  strictEqual(out[3], 0);
});

Deno.test("ItemKNN keeps only the top neighbours per item", () => {
  const m = new ItemKNN({ neighbors: 1, shrink: 0 });
  m.fit(train([[0, 1], [0, 1, 2], [1, 2]], 3));
  const out = new Float32Array(3);
  m.score([{ user: 0, history: Int32Array.of(0) }], out);
  // Item 0's best neighbour is 1 (2/sqrt(6) > 1/2); 2 is cut.
  strictEqual(out[2], 0);
  ok(out[1] > 0);
});

Deno.test("ItemKNN finds the planted topics and beats MostPopular on synthetic data", () => {
  const ds = generateSynthetic({ numUsers: 600, numItems: 400, numTopics: 12 });
  const split = splitSequential(ds, { seed: 1 });
  const knn = new ItemKNN({ neighbors: 100, shrink: 0 });
  knn.fit(split.train);
  const pop = new MostPopular();
  pop.fit(split.train);
  const a = evaluateModel(knn, split.test, ds.numItems).metrics["recall@20"];
  const b = evaluateModel(pop, split.test, ds.numItems).metrics["recall@20"];
  ok(a > 1.5 * b, `ItemKNN recall@20 ${a} vs MostPopular ${b}`);
});
