import { deepStrictEqual, ok } from "node:assert/strict";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable } from "../engine/tensor.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { normalizedAdjacency, type SparseMatrix } from "./graph.ts";
import { layerMean, sparseProduct, spmm, stackTables, takeRows } from "./propagate.ts";
import { bprLoss } from "./bpr.ts";

const graph = normalizedAdjacency(trainingDataFromRows([[0, 1], [1, 2], [2]], 3));
// A non-symmetric matrix, so the backward's transpose is really checked.
const skew: SparseMatrix = {
  rows: 3,
  ptr: Int32Array.of(0, 2, 3, 3),
  index: Int32Array.of(1, 2, 0),
  weights: Float32Array.of(0.5, -2, 1.5),
};

Deno.test("normalizedAdjacency() weights each edge by 1/sqrt(deg(u) deg(i)) both ways", () => {
  // user 0 (deg 2) - item 1 (node 4, deg 2): weight 1/2.
  const row = [...graph.index.subarray(graph.ptr[0], graph.ptr[1])];
  deepStrictEqual(row, [3, 4]);
  ok(Math.abs(graph.weights[graph.ptr[0] + 1] - 0.5) < 1e-7);
  const back = [...graph.index.subarray(graph.ptr[4], graph.ptr[5])];
  deepStrictEqual(back, [0, 1]);
  ok(Math.abs(graph.weights[graph.ptr[4]] - 0.5) < 1e-7);
});

Deno.test("sparseProduct() multiplies a CSR matrix by dense rows", () => {
  deepStrictEqual([...sparseProduct(skew, Float32Array.of(1, 2, 3, 4, 5, 6), 2)], [
    0.5 * 3 - 2 * 5,
    0.5 * 4 - 2 * 6,
    1.5 * 1,
    1.5 * 2,
    0,
    0,
  ]);
});

Deno.test("spmm() backward matches finite differences on a non-symmetric matrix", () => {
  checkGradient("spmm", [[3, 2]], (tape, [x]) => spmm(tape, skew, x));
});

Deno.test("layerMean() backward over 3 layers of the normalised graph matches finite differences", () => {
  checkGradient("layerMean", [[6, 3]], (tape, [x]) => layerMean(tape, graph, x, 3));
});

Deno.test("spmm() backward on the symmetric graph matches finite differences", () => {
  checkGradient("spmm-symmetric", [[6, 5]], (tape, [x]) => spmm(tape, graph, x));
});

Deno.test("takeRows() backward with repeated rows matches finite differences", () => {
  checkGradient("takeRows", [[4, 2]], (tape, [x]) => takeRows(tape, x, Int32Array.of(3, 0, 3)));
});

Deno.test("bprLoss() backward matches finite differences", () => {
  checkGradient("bpr", [[5], [5]], (tape, [p, n]) => bprLoss(tape, p, n), { scale: 2 });
});

Deno.test("stackTables() sends gradients into each table's rows and touches them", () => {
  const a = new EmbeddingTable(Float32Array.of(1, 2), 2, 1);
  const b = new EmbeddingTable(Float32Array.of(3), 1, 1);
  const tape = new Tape(new TypeScriptBackend());
  const y = stackTables(tape, [a, b]);
  tape.backward(tape.sumAll(takeRows(tape, y, Int32Array.of(2, 2, 1))));
  deepStrictEqual([...a.grad], [0, 1]);
  deepStrictEqual([...b.grad], [2]);
  deepStrictEqual([...a.touchedRows()], [1]);
});
