import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { knnAdjacency } from "../_graph/knn.ts";
import { latticeItemGraph } from "./ops.ts";

// Five items, two modalities with three neighbours each (self first, one list padded).
const neighbours = [
  Int32Array.of(0, 1, 2, 1, 0, 3, 2, 4, 1, 3, 1, 0, 4, 2, -1),
  Int32Array.of(0, 4, 3, 1, 2, 0, 2, 1, 3, 3, 0, 4, 4, 3, 1),
];
const original = [0, 1].map((m) =>
  knnAdjacency({
    k: 3,
    neighbours: neighbours[m],
    similarity: Float32Array.from(neighbours[m], (j, e) => j < 0 ? 0 : 0.3 + 0.1 * (e % 4)),
  }, { weighted: true })
);

Deno.test("latticeItemGraph() backward matches finite differences for z, logits and x", () => {
  // Positive features keep every cosine away from the clamp at 0.
  checkGradient(
    "latticeItemGraph",
    [[5, 3], [5, 3], [2], [5, 2]],
    (tape, [z1, z2, logits, x]) => {
      const pos = (t: Tensor) => tape.add(tape.mul(t, t), tape.constant(Float32Array.of(0.2), [1]));
      return latticeItemGraph(tape, [pos(z1), pos(z2)], logits, x, {
        neighbours,
        k: 3,
        original,
        lambda: 0.4,
        layers: 2,
      });
    },
    { h: 1e-3 },
  );
});

Deno.test("latticeItemGraph() with lambda 1 is the weighted original graphs", () => {
  const tape = new Tape(new TypeScriptBackend());
  const z = new Tensor(Float32Array.from({ length: 15 }, (_, i) => 1 + (i % 4)), [5, 3]);
  const x = new Tensor(Float32Array.from({ length: 5 }, (_, i) => i + 1), [5, 1]);
  const h = latticeItemGraph(tape, [z, z], new Tensor(Float32Array.of(0, Math.log(3)), [2]), x, {
    neighbours,
    k: 3,
    original,
    lambda: 1,
    layers: 1,
  });
  // 0.25 O_1 x + 0.75 O_2 x, computed here row by row.
  for (let i = 0; i < 5; i++) {
    let want = 0;
    original.forEach((o, m) => {
      for (let p = o.ptr[i]; p < o.ptr[i + 1]; p++) {
        want += [0.25, 0.75][m] * o.weights[p] * x.data[o.index[p]];
      }
    });
    ok(Math.abs(h.data[i] - want) < 1e-5, `row ${i}: ${h.data[i]} vs ${want}`);
  }
});
