import { ok, throws } from "node:assert/strict";
import { checkGradient } from "../engine/_gradcheck.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import {
  familyRegularizers,
  interestCovariance,
  reattendLoss,
  softCrossEntropy,
} from "./regularizers.ts";

const B = 2, K = 3, L = 4, d = 5;
const shape = { batch: B, interests: K, maxlen: L, dim: d };
// User 0 has three items, user 1 all four.
const mask = Uint8Array.of(1, 1, 1, 0, 1, 1, 1, 1);
// The terms are means over the batch (and interests): scaled up so that the
// checker's absolute tolerance (2e-3) is small next to their gradients.
const SCALE = B * K * 10;

Deno.test("interestCovariance() has the gradient central differences give", () => {
  checkGradient(
    "interestCovariance",
    [[B, K, d]],
    (tape, [z]) => tape.scale(interestCovariance(tape, z, shape), SCALE),
  );
});

Deno.test("interestCovariance() matches SINE's formula computed by hand", () => {
  // One user, K = 2, d = 3: rows (1, 2, 3) -> centred (-1, 0, 1); (0, 0, 3) -> (-1, -1, 2).
  // M01 = (1 + 0 + 2) / 3 = 1; loss = 1/2 (M01^2 + M10^2) = 1.
  const z = new Tensor(Float32Array.of(1, 2, 3, 0, 0, 3), [1, 2, 3]);
  const got = interestCovariance(new Tape(new TypeScriptBackend()), z, {
    batch: 1,
    interests: 2,
    maxlen: 1,
    dim: 3,
  });
  ok(Math.abs(got.data[0] - 1) < 1e-6, `got ${got.data[0]}`);
  // Orthogonal centred interests cost nothing: (1, -1, 0) and (1, 1, -2).
  const orth = new Tensor(Float32Array.of(1, -1, 0, 1, 1, -2), [1, 2, 3]);
  const zero = interestCovariance(new Tape(new TypeScriptBackend()), orth, {
    batch: 1,
    interests: 2,
    maxlen: 1,
    dim: 3,
  });
  ok(Math.abs(zero.data[0]) < 1e-7);
});

Deno.test("reattendLoss() has the gradient central differences give, padding ignored", () => {
  checkGradient(
    "reattendLoss",
    [[B, K, L], [B * L, d], [B, K, d]],
    (tape, [logits, sequence, interests]) =>
      tape.scale(reattendLoss(tape, { logits, sequence, interests }, mask, shape), SCALE),
    { scale: 0.7 },
  );
});

Deno.test("softCrossEntropy() has the gradient central differences give, padding ignored", () => {
  checkGradient(
    "softCrossEntropy",
    [[B, K, L], [B, K, L]],
    (tape, [target, logits]) =>
      tape.scale(softCrossEntropy(tape, target, logits, mask, shape), SCALE),
  );
});

Deno.test("reattendLoss() is the cross-entropy from softmax(z.x) to the attention, by hand", () => {
  // One user, one interest, two items: scores z.x = (1, 0) -> t = (e/(e+1), 1/(e+1));
  // logits (0, log 3) -> a = (1/4, 3/4); loss = -(t0 log 1/4 + t1 log 3/4).
  const t0 = Math.E / (Math.E + 1), t1 = 1 / (Math.E + 1);
  const expected = -(t0 * Math.log(0.25) + t1 * Math.log(0.75));
  const got = reattendLoss(
    new Tape(new TypeScriptBackend()),
    {
      logits: new Tensor(Float32Array.of(0, Math.log(3), 99), [1, 1, 3]),
      sequence: new Tensor(Float32Array.of(1, 0, 0, 1, 5, 5), [3, 2]),
      interests: new Tensor(Float32Array.of(1, 0), [1, 1, 2]),
    },
    Uint8Array.of(1, 1, 0),
    { batch: 1, interests: 1, maxlen: 3, dim: 2 },
  );
  ok(Math.abs(got.data[0] - expected) < 1e-6, `got ${got.data[0]}, expected ${expected}`);
});

Deno.test("familyRegularizers() refuses re-attend on a model without attention parts", () => {
  const z = new Tensor(new Float32Array(B * K * d), [B, K, d]);
  throws(
    () =>
      familyRegularizers(new Tape(new TypeScriptBackend()), { interests: z }, mask, shape, {
        covariance: 0,
        reattend: 1,
      }),
    /needs an attention-routed encoder/,
  );
});
