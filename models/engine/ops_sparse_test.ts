// Tests of the tape's table lookups (`ops_sparse.ts`). Finite-difference checks
// (`_gradcheck.ts`): the analytic gradient of loss = sum(op(inputs) * R), R a
// fixed random tensor, against central differences within
// 2e-3 + 2e-2 * |numeric| (float32 values, step 1e-2).
import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { Tape } from "./tape.ts";
import { EmbeddingTable } from "./tensor.ts";

const backend = new TypeScriptBackend();
const rng = new Rng(123);
const randn = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());

Deno.test("gather() sends gradient only into the touched rows, padding excluded", () => {
  const table = new EmbeddingTable(randn(12), 4, 3);
  const tape = new Tape(backend);
  const rows = tape.gather(table, Int32Array.of(2, -1, 2, 0));
  ok(rows.data.subarray(3, 6).every((v) => v === 0));
  tape.backward(tape.sumAll(rows));
  ok([...table.touchedRows()].join() === "0,2");
  ok(table.grad[6] === 2 && table.grad[0] === 1 && table.grad[3] === 0 && table.grad[9] === 0);
});

Deno.test("combine() matches finite differences on the table rows it reads", () => {
  const d = 3;
  const table = new EmbeddingTable(randn(4 * d), 4, d);
  const sparse = {
    ptr: Int32Array.of(0, 2, 3, 3, 5),
    index: Int32Array.of(0, 2, 1, 3, 0),
    weights: Float32Array.of(0.5, 0.5, 1, 0.25, 0.75),
  };
  const ids = Int32Array.of(3, 0, -1, 1);
  const R = randn(ids.length * d);
  const lossOf = () => {
    const tape = new Tape(backend);
    const y = tape.combine(table, sparse, ids);
    const loss = tape.sumAll(tape.mul(y, tape.constant(R, y.shape)));
    return { tape, loss };
  };
  const { tape, loss } = lossOf();
  tape.backward(loss);
  const analytic = table.grad.slice();
  const h = 1e-2;
  for (let i = 0; i < table.data.length; i++) {
    const x = table.data[i];
    table.data[i] = x + h;
    const up = lossOf().loss.data[0];
    table.data[i] = x - h;
    const down = lossOf().loss.data[0];
    table.data[i] = x;
    const numeric = (up - down) / (2 * h);
    ok(Math.abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.abs(numeric), `row value ${i}`);
  }
  ok([...table.touchedRows()].join() === "0,1,2,3");
});
