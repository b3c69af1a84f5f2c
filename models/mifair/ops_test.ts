import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { plantedRecall } from "../_graph/_beats.ts";
import { normalizedAdjacency } from "../_graph/graph.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { MIFAIR_DEFAULTS } from "./config.ts";
import { MiFair } from "./model.ts";
import { centerAggregate, interestMix } from "./ops.ts";

const graph = normalizedAdjacency(trainingDataFromRows([[0, 1], [1, 2], [2]], 3));

Deno.test("interestMix() backward matches finite differences for centers, attention and w", () => {
  checkGradient(
    "interestMix",
    [[3, 4], [3, 2], [2, 4]],
    (tape, [c, a, w]) => interestMix(tape, c, a, w),
  );
});

Deno.test("interest attention (softmax of c.w) through interestMix() matches finite differences", () => {
  checkGradient(
    "attention",
    [[3, 4], [2, 4]],
    (tape, [c, w]) =>
      interestMix(tape, c, tape.softmax(tape.matmul(c, w, 3, 4, 2, { transB: true }), 3, 2), w),
  );
});

Deno.test("centerAggregate() backward to the interests matches finite differences", () => {
  // Centers are held fixed (inputs 0), so the argmax choice stays put under the probe.
  checkGradient(
    "centerAggregate",
    [[6, 3], [6, 2, 3]],
    (tape, [c, m]) => centerAggregate(tape, graph, tape.constant(c.data, c.shape), m),
    { h: 1e-3 },
  );
});

Deno.test("centerAggregate() picks the same interests with the fast choice as with full dot products", () => {
  const rng = new Rng(5), tape = new Tape(new TypeScriptBackend());
  const randn = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
  const c = new Tensor(randn(18), [6, 3]), w = new Tensor(randn(6), [2, 3]);
  const att = tape.softmax(tape.matmul(c, w, 6, 3, 2, { transB: true }), 6, 2);
  const m = interestMix(tape, c, att, w);
  const slow = centerAggregate(tape, graph, c, m),
    fast = centerAggregate(tape, graph, c, m, { att, w });
  ok(slow.data.every((v, i) => Math.abs(v - fast.data[i]) < 1e-6));
});

Deno.test("MI-Fair finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(
    new MiFair({ ...MIFAIR_DEFAULTS, dim: 16, batchSize: 128, lr: 0.01 }),
    300,
  );
  ok(r.model > r.popular + 0.2, `MI-Fair recall@10 ${r.model} vs MostPopular ${r.popular}`);
});
