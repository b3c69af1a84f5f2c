import { ok, throws } from "node:assert/strict";
import { Adam, NonFiniteError } from "./adam.ts";
import { EmbeddingTable, Tensor } from "./tensor.ts";
import { RowPool, sharedFloats } from "../_graph/row_pool.ts";

Deno.test("lazy Adam moves only the touched rows and matches dense Adam on them", () => {
  const table = new EmbeddingTable(Float32Array.of(1, 1, 2, 2, 3, 3), 3, 2);
  const dense = new Tensor(Float32Array.of(2, 2), [2], true);
  const opt = new Adam([dense], [table], { lr: 0.1 });
  for (let step = 0; step < 3; step++) {
    table.touch(1);
    table.grad.set([0.5, -1], 2);
    dense.gradient().set([0.5, -1]);
    opt.step();
  }
  ok(table.data[0] === 1 && table.data[1] === 1 && table.data[4] === 3 && table.data[5] === 3);
  // Row 1 started at (2, 2) like the dense tensor and saw the same gradients.
  ok(table.data[2] === dense.data[0] && table.data[3] === dense.data[1]);
  // Adam's first steps move each coordinate by about lr against the gradient's sign.
  ok(Math.abs(dense.data[0] - 1.7) < 1e-3 && Math.abs(dense.data[1] - 2.3) < 1e-3);
  ok(table.touchedRows().length === 0);
});

// Textbook Adam (Kingma & Ba, as PyTorch's torch.optim.Adam writes it) in float64:
// m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2, x -= lr (m / c1) / (sqrt(v / c2) + eps).
function referenceAdam(x: number[], grads: number[][], lr: number): number[] {
  const [b1, b2, eps] = [0.9, 0.999, 1e-8];
  const m = x.map(() => 0), v = x.map(() => 0), out = [...x];
  grads.forEach((g, s) => {
    const c1 = 1 - b1 ** (s + 1), c2 = 1 - b2 ** (s + 1);
    for (let i = 0; i < out.length; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      out[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
    }
  });
  return out;
}

Deno.test("dense Adam moves every row each step, as textbook Adam does, untouched rows included", () => {
  const start = [1, 1, 2, 2, 3, 3, 4, 4];
  const table = new EmbeddingTable(Float32Array.from(start), 4, 2);
  const opt = new Adam([], [table], { lr: 0.1, tables: "dense" });
  // Row 1 gets a gradient at steps 1 and 3, row 2 at step 1 only, rows 0 and 3 never.
  const grads = [
    [0, 0, 0.5, -1, 2, 0.25, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
    [0, 0, -0.3, 0.7, 0, 0, 0, 0],
    [0, 0, 0, 0, 0, 0, 0, 0],
  ];
  for (const g of grads) {
    for (let r = 0; r < 4; r++) {
      if (g[2 * r] !== 0 || g[2 * r + 1] !== 0) {
        table.touch(r);
        table.grad.set([g[2 * r], g[2 * r + 1]], 2 * r);
      }
    }
    opt.step();
  }
  const want = referenceAdam(start, grads, 0.1);
  for (let i = 0; i < want.length; i++) {
    ok(Math.abs(table.data[i] - want[i]) < 1e-5, `value ${i}: ${table.data[i]} vs ${want[i]}`);
  }
  // Row 2 kept moving after its only gradient (lazy Adam would have left it at step 1's value).
  ok(Math.abs(want[4] - (3 - 0.1)) > 0.1, "the reference moves row 2 after step 1");
  ok(table.data[0] === 1 && table.data[7] === 4, "rows without any gradient stay put");
  ok(table.grad.every((g) => g === 0) && table.touchedRows().length === 0);
});

Deno.test("a non-finite gradient stops the step, naming the tensor and the iteration", () => {
  const table = new EmbeddingTable(Float32Array.of(1, 1, 2, 2), 2, 2);
  table.name = "items";
  const w = new Tensor(Float32Array.of(1), [1], true);
  w.name = "w";
  const opt = new Adam([w], [table], { tables: "dense" });
  w.gradient()[0] = 1;
  opt.step();
  table.touch(1);
  table.grad[3] = NaN;
  throws(() => opt.step(), (e: Error) => {
    ok(e instanceof NonFiniteError && e.tensor === "items" && e.iteration === 2, e.message);
    ok(e.message.includes('"items"') && e.message.includes("iteration 2"), e.message);
    return true;
  });
  ok(table.data[2] === 2, "nothing was updated");
  w.gradient()[0] = Infinity;
  throws(() => opt.step(), /gradient of "w" at iteration 2/);
});

Deno.test("dense Adam gives the same bits on 1 and 2 threads, rows without gradient included", () => {
  const rows = 1 << 14, d = 64; // 2^20 values: large enough for Adam to use the pool
  const start = Float32Array.from({ length: rows * d }, (_, i) => Math.sin(i));
  const run = (pool?: RowPool) => {
    const values = pool ? sharedFloats(rows * d) : new Float32Array(rows * d);
    values.set(start);
    const table = new EmbeddingTable(values, rows, d);
    const opt = new Adam([], [table], { lr: 0.05, tables: "dense", pool });
    for (let step = 0; step < 6; step++) {
      // Different rows each step, so live rows without gradient take the decay-only path.
      for (let r = step; r < rows; r += 97) {
        table.touch(r);
        for (let j = 0; j < d; j++) table.grad[r * d + j] = Math.cos(r + j + step);
      }
      opt.step();
    }
    ok(!pool || table.grad.buffer instanceof SharedArrayBuffer);
    return table.data;
  };
  const pool = new RowPool(2, { chunkRows: 512 });
  try {
    const one = run(), two = run(pool);
    ok(two.buffer instanceof SharedArrayBuffer);
    ok(one.every((v, i) => Object.is(v, two[i])));
    ok(one.some((v, i) => v !== start[i]));
  } finally {
    pool.close();
  }
});
