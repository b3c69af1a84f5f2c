import { ok } from "node:assert/strict";
import { Adam } from "./adam.ts";
import { EmbeddingTable, Tensor } from "./tensor.ts";

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
