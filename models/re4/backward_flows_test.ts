import { deepStrictEqual, ok } from "node:assert/strict";
import { checkGradient } from "../engine/_gradcheck.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import {
  infoNce,
  positiveItems,
  reconstructionError,
  recontrastLoss,
  rollBatch,
  unitRows,
} from "./backward_flows.ts";

const B = 3, K = 2, L = 3, d = 4;
const shape = { batch: B, interests: K, maxlen: L, dim: d };
// The terms are means over B K L (d) entries: scaled up so that the checker's
// absolute tolerance (2e-3) is small next to their gradients.
const SCALE = B * K * L * d;
const mask = Uint8Array.of(1, 1, 0, 1, 1, 1, 1, 0, 0);
// Positives at unpadded positions only, some interests with none.
const positive = Uint8Array.of(1, 0, 0, 1, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0);

Deno.test("positiveItems() gates the attention at 1 / history length or at the threshold", () => {
  const routing = Float32Array.of(0.5, 0.3, 0.2, 0, 0.4, 0.35, 0.25, 0);
  const m = Uint8Array.of(1, 1, 1, 0);
  const s = { batch: 1, interests: 2, maxlen: 4, dim: 1 };
  deepStrictEqual([...positiveItems(routing, m, s, 0)], [1, 0, 0, 0, 1, 1, 0, 0]);
  deepStrictEqual([...positiveItems(routing, m, s, 0.36)], [1, 0, 0, 0, 1, 0, 0, 0]);
});

Deno.test("recontrastLoss() has the gradient central differences give", () => {
  // A high temperature keeps the finite differences in their linear range.
  checkGradient(
    "recontrastLoss",
    [[B, K, d], [B * L, d]],
    (tape, [z, x]) =>
      tape.scale(recontrastLoss(tape, z, x, positive, mask, { ...shape, temperature: 0.5 }), SCALE),
    { h: 1e-3 },
  );
});

Deno.test("unitRows() and rollBatch() have the gradients central differences give", () => {
  checkGradient("unitRows", [[5, d]], (tape, [x]) => unitRows(tape, x, d));
  checkGradient("rollBatch", [[B, 2, 2]], (tape, [x]) => rollBatch(tape, x, B));
});

Deno.test("infoNce() has the gradient central differences give", () => {
  checkGradient(
    "infoNce",
    [[B, K, L], [B, K, K], [B, K, L]],
    (tape, [items, others, rolled]) =>
      tape.scale(
        infoNce(tape, { items, others, rolled }, positive, mask, { ...shape, temperature: 0.5 }),
        SCALE,
      ),
    { scale: 0.5 },
  );
});

Deno.test("recontrastLoss() matches the InfoNCE sum computed by hand", () => {
  // One user, two interests, two items; interest 0 = item 0 direction, positive: item 0.
  // Cosines: c(z0, x0) = 1, c(z0, x1) = 0, c(z0, z1) = 0, rolled history = own history.
  const tau = 0.5;
  const z = new Tensor(Float32Array.of(2, 0, 0, 3), [1, 2, 2]);
  const x = new Tensor(Float32Array.of(1, 0, 0, 1), [2, 2]);
  const got = recontrastLoss(
    new Tape(new TypeScriptBackend()),
    z,
    x,
    Uint8Array.of(1, 0, 0, 0),
    Uint8Array.of(1, 1),
    { batch: 1, interests: 2, maxlen: 2, dim: 2, temperature: tau },
  );
  const e = Math.exp(1 / tau), one = 1;
  const n = e + one + one + e + one; // items (1, 0), other interest (0), rolled items (1, 0)
  const expected = (Math.log(n) - 1 / tau) / (1 * 2 * 2);
  ok(Math.abs(got.data[0] - expected) < 1e-6, `got ${got.data[0]}, expected ${expected}`);
});

Deno.test("reconstructionError() has the gradient central differences give", () => {
  checkGradient(
    "reconstructionError",
    [[B, K, L, d], [B * L, d]],
    (tape, [r, x]) => tape.scale(reconstructionError(tape, r, x, positive, shape), SCALE),
  );
});
