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
  const m = new ItemKNN({ neighbors: 10, shrink: 0, pruning: "target" });
  m.fit(train([[0, 1], [0, 1, 2], [1, 2]], 4));
  const out = new Float32Array(4);
  m.score([{ user: 0, history: Int32Array.of(0, 0) }], out); // a repeat counts once
  ok(Math.abs(out[0] - 0) < 1e-7);
  ok(Math.abs(out[1] - 2 / Math.sqrt(6)) < 1e-6);
  ok(Math.abs(out[2] - 0.5) < 1e-6);
  strictEqual(out[3], 0);
});

Deno.test("ItemKNN with history pruning keeps only each history item's top neighbours", () => {
  const m = new ItemKNN({ neighbors: 1, shrink: 0, pruning: "history" });
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
  const knn = new ItemKNN({ neighbors: 100, shrink: 0, pruning: "target" });
  knn.fit(split.train);
  const pop = new MostPopular();
  pop.fit(split.train);
  const a = evaluateModel(knn, split.test, ds.numItems).metrics["recall@20"];
  const b = evaluateModel(pop, split.test, ds.numItems).metrics["recall@20"];
  ok(a > 1.5 * b, `ItemKNN recall@20 ${a} vs MostPopular ${b}`);
});

Deno.test("ItemKNN prunes per target item (RecBole) or per history item, as configured", () => {
  // Same users as above: cos(0,1) = cos(1,2) = 2/sqrt(6), cos(0,2) = 1/2. With one
  // neighbour, item 0 keeps 1, item 1 keeps 0 (tie with 2: lower index), item 2 keeps 1.
  const rows = [[0, 1], [0, 1, 2], [1, 2]];
  const scores = (pruning: "target" | "history") => {
    const m = new ItemKNN({ neighbors: 1, shrink: 0, pruning });
    m.fit(train(rows, 3));
    const out = new Float32Array(3);
    m.score([{ user: 0, history: Int32Array.of(1) }], out);
    return [...out];
  };
  const s = 2 / Math.sqrt(6);
  // Target: item 0's and item 2's kept neighbour is 1, so history {1} reaches both.
  const target = scores("target");
  ok(Math.abs(target[0] - s) < 1e-6 && target[1] === 0 && Math.abs(target[2] - s) < 1e-6);
  // History: item 1's own list holds only item 0.
  const history = scores("history");
  ok(Math.abs(history[0] - s) < 1e-6 && history[1] === 0 && history[2] === 0);
});

Deno.test("ItemKNN shrink is added to the cosine denominator", () => {
  const m = new ItemKNN({ neighbors: 10, shrink: 1, pruning: "target" });
  m.fit(train([[0, 1], [0, 1, 2], [1, 2]], 3));
  const out = new Float32Array(3);
  m.score([{ user: 0, history: Int32Array.of(0) }], out);
  ok(Math.abs(out[1] - 2 / (Math.sqrt(6) + 1)) < 1e-6);
  ok(Math.abs(out[2] - 1 / (2 + 1)) < 1e-6);
});
