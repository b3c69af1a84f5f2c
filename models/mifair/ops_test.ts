import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { plantedRecall } from "../_graph/_beats.ts";
import { collaborationAdjacency } from "../_graph/cir.ts";
import { normalizedAdjacency } from "../_graph/graph.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { MIFAIR_DEFAULTS } from "./config.ts";
import { MiFair } from "./model.ts";
import { closestInterest, interestPool } from "./ops.ts";

// 3 users, 4 items (item 3 has no interaction): nodes 0-2 users, 3-6 items.
const graph = normalizedAdjacency(trainingDataFromRows([[0, 1], [1, 2], [2]], 4));

Deno.test("interestPool() backward matches finite differences for centers and interests", () => {
  checkGradient(
    "interestPool",
    [[7, 3], [2, 3]],
    (tape, [c, w]) => interestPool(tape, graph, c, w),
  );
});

Deno.test("interestPool() backward matches finite differences for chosen (repeated) rows", () => {
  checkGradient(
    "interestPool rows",
    [[7, 3], [3, 3]],
    (tape, [c, w]) => interestPool(tape, graph, c, w, { rows: Int32Array.of(4, 0, 6, 4) }),
  );
});

Deno.test("a layer (interestPool, then the closest interest as next center) matches finite differences", () => {
  checkGradient(
    "layer",
    [[7, 3], [2, 3]],
    (tape, [c, w]) => {
      const m = interestPool(tape, graph, c, w);
      const next = tape.pick(m, 7, 2, closestInterest(c, m));
      return interestPool(tape, graph, next, w);
    },
    { h: 1e-3 },
  );
});

Deno.test("interestPool() weighs a user's items related to interest k more in interest k", () => {
  // Planted: user 0 read items 0-1 (direction x) and items 2-4 (direction y); w_0 points along x,
  // w_1 along y. By hand: interest 0's logits are 4 for the x items and 0 for the y items, so the
  // x items weigh e^4 / (2 e^4 + 3) each and the y items 1 / (2 e^4 + 3).
  const g = normalizedAdjacency(trainingDataFromRows([[0, 1, 2, 3, 4]], 5));
  const c = new Tensor(Float32Array.of(0, 0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 1), [6, 2]);
  const w = new Tensor(Float32Array.of(4, 0, 0, 4), [2, 2]);
  const m = interestPool(new Tape(new TypeScriptBackend()), g, c, w, { rows: Int32Array.of(0) });
  const e4 = Math.exp(4), x0 = 2 * e4 / (2 * e4 + 3), y1 = 3 * e4 / (3 * e4 + 2);
  const want = [x0, 1 - x0, 1 - y1, y1];
  ok(want.every((v, i) => Math.abs(m.data[i] - v) < 1e-6), `got ${m.data.join()}, want ${want}`);
  ok(m.data[0] > 0.9 && m.data[3] > 0.9, "each interest is mostly its own items' direction");
});

Deno.test("closestInterest() picks the virtual embedding with the largest inner product", () => {
  const c = new Tensor(Float32Array.of(1, 0, 0, 1), [2, 2]);
  const m = new Tensor(Float32Array.of(0, 5, 2, 0, 3, 0, -1, 2, 9, 9, 0, 0), [2, 3, 2]);
  // Node 0 (x): dots 0, 2, 3 -> interest 2; node 1 (y): dots 2, 9, 0 -> interest 1.
  ok(closestInterest(c, m).join() === "2,1");
});

Deno.test("MI-Fair finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(
    new MiFair({ ...MIFAIR_DEFAULTS, dim: 16, batchSize: 128, lr: 0.01 }),
    300,
  );
  ok(r.model > r.popular + 0.2, `MI-Fair recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("interestPool() with the graph's weights as prior: finite differences, and the prior's effect", () => {
  const weighted = collaborationAdjacency(trainingDataFromRows([[0, 1], [1, 2], [2]], 4), {
    type: "jc",
    coeff: 1,
    fusion: true,
  });
  checkGradient(
    "interestPool weighted",
    [[7, 3], [2, 3]],
    (tape, [c, w]) => interestPool(tape, weighted, c, w, { weighted: true }),
  );
  // With w = 0 every logit is equal: the attention is the prior normalised over the neighbours.
  const tape = new Tape(new TypeScriptBackend());
  const a = {
    rows: 3,
    ptr: Int32Array.of(0, 2, 2, 2),
    index: Int32Array.of(1, 2),
    weights: Float32Array.of(3, 1),
  };
  const c = new Tensor(Float32Array.of(0, 1, -1), [3, 1]),
    w = new Tensor(Float32Array.of(0), [1, 1]);
  const m = interestPool(tape, a, c, w, { weighted: true });
  ok(Math.abs(m.data[0] - (0.75 * 1 + 0.25 * -1)) < 1e-6, `${m.data[0]}`);
  ok(interestPool(tape, a, c, w).data[0] === 0, "without the prior both neighbours weigh the same");
});

Deno.test("MI-Fair on CAGCN* finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(
    new MiFair({ ...MIFAIR_DEFAULTS, backbone: "cagcn-star", dim: 16, batchSize: 128, lr: 0.01 }),
    200,
  );
  ok(
    r.model > r.popular + 0.2,
    `MI-Fair (CAGCN*) recall@10 ${r.model} vs MostPopular ${r.popular}`,
  );
});
