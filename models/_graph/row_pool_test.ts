import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { normalizedAdjacency, type SparseMatrix } from "./graph.ts";
import { layerMean, sparseProduct, spmm } from "./propagate.ts";
import { RowPool } from "./row_pool.ts";

/** A random bipartite graph (some users and items without edges). */
function randomGraph(rng: Rng): SparseMatrix {
  const rows = Array.from(
    { length: 37 },
    (_, u) => u % 9 === 0 ? [] : Array.from({ length: 1 + rng.int(6) }, () => rng.int(23)),
  );
  return normalizedAdjacency(trainingDataFromRows(rows, 25));
}

/** Random values, with exact zeros of both signs among them. */
function values(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => i % 7 === 0 ? (i % 2 ? -0 : 0) : rng.normal());
}

const bits = (a: Float32Array) => [...new Uint32Array(a.buffer.slice(0))];

/**
 * The readout's output and the input's gradient, for an upstream gradient `g`
 * and a gradient `prior` already in the input (as the L2 term leaves it).
 */
function readout(
  graph: SparseMatrix,
  x0: Float32Array,
  g: Float32Array,
  prior: Float32Array,
  mean: (tape: Tape, x: Tensor) => Tensor,
): { y: Float32Array; gx: Float32Array } {
  const tape = new Tape(new TypeScriptBackend());
  const x = new Tensor(x0.slice(), [graph.rows, x0.length / graph.rows], true);
  const y = mean(tape, x);
  const loss = new Tensor(new Float32Array(1), [1], true);
  // The gradients the rest of the loss sends: `g` into the readout, `prior` into x.
  tape.custom(loss, () => {
    y.gradient().set(g);
    x.gradient().set(prior);
  });
  tape.backward(loss);
  return { y: Float32Array.from(y.data), gx: Float32Array.from(x.grad!) };
}

Deno.test("layerMean() gives the bits of spmm, add and scale composed, on 1 and 2 threads", () => {
  const rng = new Rng(3);
  const graph = randomGraph(rng), dim = 10;
  // Chunks of 3 rows, so both threads take some.
  const pool = new RowPool(2, { chunkRows: 3 });
  try {
    for (const layers of [1, 2, 3]) {
      const n = graph.rows * dim;
      const x0 = values(rng, n), g = values(rng, n), prior = values(rng, n);
      // The reference: the composition the fused operation replaces, op by op on the tape.
      const composed = readout(graph, x0, g, prior, (tape, x) => {
        let h = x, sum = x;
        for (let l = 0; l < layers; l++) {
          h = spmm(tape, graph, h);
          sum = tape.add(sum, h);
        }
        return tape.scale(sum, 1 / (layers + 1));
      });
      for (const options of [{}, { pool }]) {
        const fused = readout(
          graph,
          x0,
          g,
          prior,
          (t, x) => layerMean(t, graph, x, layers, options),
        );
        const label = `${layers} layer(s), ${"pool" in options ? 2 : 1} thread(s)`;
        deepStrictEqual(bits(fused.y), bits(composed.y), `readout, ${label}`);
        deepStrictEqual(bits(fused.gx), bits(composed.gx), `input gradient, ${label}`);
      }
    }
  } finally {
    pool.close();
  }
});

Deno.test("sparseProduct() on 3 threads gives the bits of 1 thread", () => {
  const rng = new Rng(5);
  const graph = randomGraph(rng), x = values(rng, graph.rows * 9);
  const pool = new RowPool(3, { chunkRows: 2 });
  try {
    deepStrictEqual(bits(sparseProduct(graph, x, 9, { pool })), bits(sparseProduct(graph, x, 9)));
  } finally {
    pool.close();
  }
});

Deno.test("RowPool refuses a bad thread count and a closed pool", () => {
  throws(() => new RowPool(0), RangeError);
  const pool = new RowPool(2);
  pool.close();
  const a = { ptr: Int32Array.of(0, 0), index: new Int32Array(0), weights: new Float32Array(0) };
  throws(
    () =>
      pool.run(
        { op: "product", a, x: new Float32Array(1), out: new Float32Array(1), dim: 1 },
        a.ptr,
      ),
    /closed/,
  );
  ok(pool.threads === 2);
});
