import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { takeRows } from "../_graph/propagate.ts";
import { normalizedAdjacency } from "../_graph/graph.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { attentionPool, infoNce, modalityGraph, shareId } from "./ops.ts";

Deno.test("attentionPool() backward matches finite differences for parts and query", () => {
  // Row 1 misses part 0, row 2 misses part 1, row 3 has every part masked.
  const mask = Uint8Array.of(1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0, 0);
  checkGradient(
    "attentionPool",
    [[4, 3], [4, 3], [4, 3], [3]],
    (tape, [a, b, c, q]) => attentionPool(tape, [a, b, c], q, mask),
    { h: 1e-3 },
  );
});

Deno.test("attentionPool() gives a masked part no weight and a fully masked row zeros", () => {
  const tape = new Tape(new TypeScriptBackend());
  const big = new Tensor(Float32Array.of(100, 100), [2, 1]);
  const small = new Tensor(Float32Array.of(1, 1), [2, 1]);
  const y = attentionPool(
    tape,
    [big, small],
    new Tensor(Float32Array.of(1), [1]),
    Uint8Array.of(0, 1, 0, 0),
  );
  ok(y.data[0] === 1 && y.data[1] === 0);
});

Deno.test("shareId() backward matches finite differences for the ID and modality rows", () => {
  const present = Uint8Array.of(1, 0, 1);
  checkGradient(
    "shareId",
    [[5, 2], [3, 2]],
    (tape, [ego, h]) => shareId(tape, ego, h, { alpha: 0.3, present, offset: 2 }),
  );
});

Deno.test("infoNce() backward matches finite differences through the normalisation", () => {
  checkGradient(
    "infoNce",
    [[4, 3], [4, 3]],
    (tape, [a, b]) => infoNce(tape, a, b, 0.5),
    { h: 1e-3 },
  );
});

Deno.test("infoNce() is lower for aligned modalities than for shuffled ones", () => {
  const tape = new Tape(new TypeScriptBackend());
  const a = new Tensor(Float32Array.of(1, 0, 0, 1, 1, 1), [3, 2]);
  const b = new Tensor(Float32Array.of(0, 1, 1, 1, 1, 0), [3, 2]);
  ok(infoNce(tape, a, a, 0.2).data[0] < infoNce(tape, a, b, 0.2).data[0]);
});

Deno.test("the dense modality's projection backward matches finite differences through both levels", () => {
  // [N, F] = [4, 3] constant rows, projected by W [3, 2]; item 1 has no dense row,
  // item 3 has no other modality: the paths of model.ts's forward pass.
  const x = Float32Array.of(1, -1, 0.5, 0, 0, 0, -0.5, 2, 1, 0.3, 0.2, -1);
  const mask = Uint8Array.of(1, 1, 1, 0, 1, 1, 0, 1);
  const present = Uint8Array.of(1, 0, 1, 1), items = Int32Array.of(2, 3, 4, 5);
  checkGradient(
    "dense modality",
    [[4, 2], [3, 2], [2], [6, 2]],
    (tape, [h, w, q, ego]) => {
      const dense = tape.matmul(tape.constant(x, [4, 3]), w, 4, 3, 2);
      const fused = attentionPool(tape, [h, dense], q, mask);
      const layer0 = shareId(tape, ego, dense, { alpha: 0.5, present, offset: 2 });
      return tape.add(tape.add(fused, tape.scale(dense, 0.5)), takeRows(tape, layer0, items));
    },
    { h: 1e-3 },
  );
});

// Users 0-1, items 2-4: user 0 read items 2 and 3, user 1 item 4.
const graph = normalizedAdjacency(trainingDataFromRows([[0, 1], [2]], 3));

Deno.test("modalityGraph() backward matches finite differences for layer 0 and the kept IDs", () => {
  checkGradient(
    "modalityGraph",
    [[5, 2], [5, 2]],
    (tape, [x0, ids]) => modalityGraph(tape, graph, x0, ids, { gamma: 0.3, layers: 2 }),
  );
});

Deno.test("modalityGraph() adds the ID share back at every layer, as computed by hand", () => {
  // One-dimensional: user 0 (degree 2) - items 2, 3 (degree 1): weight 1/sqrt(2); user 1 - item 4: 1.
  const x0 = [1, 2, 3, 4, 5], ids = [1, 1, 1, 1, 1], g = 0.5, s = 1 / Math.sqrt(2);
  const step = (x: number[]) => [
    s * x[2] + s * x[3] + g * ids[0],
    x[4] + g * ids[1],
    s * x[0] + g * ids[2],
    s * x[0] + g * ids[3],
    x[1] + g * ids[4],
  ];
  const x1 = step(x0), x2 = step(x1);
  const want = x0.map((v, i) => (v + x1[i] + x2[i]) / 3);
  const y = modalityGraph(
    new Tape(new TypeScriptBackend()),
    graph,
    new Tensor(Float32Array.from(x0), [5, 1]),
    new Tensor(Float32Array.from(ids), [5, 1]),
    { gamma: g, layers: 2 },
  );
  ok(want.every((v, i) => Math.abs(y.data[i] - v) < 1e-5), `${y.data.join()} vs ${want}`);
});
