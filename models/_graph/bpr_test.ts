import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable } from "../engine/tensor.ts";
import { bprLoss, bprTableLoss, l2Penalty } from "./bpr.ts";

function tables(rng: Rng) {
  const d = 5;
  const make = (rows: number) =>
    new EmbeddingTable(Float32Array.from({ length: rows * d }, () => rng.normal()), rows, d);
  return { users: make(4), items: make(6) };
}

Deno.test("bprTableLoss() gives the composed operations' loss and gradients bit for bit", () => {
  const rng = new Rng(7);
  const a = tables(rng);
  const b = {
    users: new EmbeddingTable(a.users.data.slice(), a.users.rows, a.users.dim),
    items: new EmbeddingTable(a.items.data.slice(), a.items.rows, a.items.dim),
  };
  // Repeated users and items, and an item both positive and negative, so the
  // order of the gradient sums matters.
  const batch = {
    users: Int32Array.of(0, 1, 1, 3, 0, 2, 3),
    positives: Int32Array.of(0, 2, 2, 5, 1, 0, 4),
    negatives: Int32Array.of(3, 0, 5, 2, 0, 4, 1),
    size: 7,
  };
  const backend = new TypeScriptBackend();
  const t1 = new Tape(backend);
  const u = t1.gather(a.users, batch.users);
  const p = t1.gather(a.items, batch.positives), n = t1.gather(a.items, batch.negatives);
  const composed = t1.addScalars(
    bprLoss(t1, t1.rowDot(u, p, batch.size), t1.rowDot(u, n, batch.size)),
    l2Penalty(t1, [u, p, n], 0.3, batch.size),
  );
  t1.backward(composed);
  const t2 = new Tape(backend);
  const fused = bprTableLoss(t2, b, batch, 0.3);
  t2.backward(fused);
  deepStrictEqual(fused.data, composed.data);
  deepStrictEqual(b.users.grad, a.users.grad);
  deepStrictEqual(b.items.grad, a.items.grad);
  deepStrictEqual(b.users.touchedRows(), a.users.touchedRows());
  deepStrictEqual(b.items.touchedRows(), a.items.touchedRows());
  ok(a.items.grad.some((g) => g !== 0));
});

Deno.test("bprTableLoss() refuses tables of different widths", () => {
  const users = new EmbeddingTable(new Float32Array(4), 2, 2);
  const items = new EmbeddingTable(new Float32Array(3), 1, 3);
  const batch = {
    users: Int32Array.of(0),
    positives: Int32Array.of(0),
    negatives: Int32Array.of(0),
    size: 1,
  };
  throws(
    () => bprTableLoss(new Tape(new TypeScriptBackend()), { users, items }, batch, 0),
    /widths 2 and 3 differ/,
  );
});
