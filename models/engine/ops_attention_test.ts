// Tests of the tape's masked softmax, pooling, readout and squash (`ops_attention.ts`). Finite-difference checks
// (`_gradcheck.ts`): the analytic gradient of loss = sum(op(inputs) * R), R a
// fixed random tensor, against central differences within
// 2e-3 + 2e-2 * |numeric| (float32 values, step 1e-2).
import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";
import { checkGradient } from "./_gradcheck.ts";

const backend = new TypeScriptBackend();
const rng = new Rng(123);
const randn = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());

Deno.test("masked softmax matches finite differences and zeroes masked positions", () => {
  const mask = Uint8Array.of(1, 1, 0, 1, 1, 1, 1, 0);
  checkGradient("softmax", [[4, 4]], (tp, [a]) => tp.softmax(a, 4, 4, mask, 2));
  const tape = new Tape(backend);
  const p = tape.softmax(new Tensor(randn(16), [4, 4]), 4, 4, mask, 2);
  ok(p.data[2] === 0 && p.data[6] === 0 && p.data[15] === 0);
  ok(Math.abs(p.data[0] + p.data[1] + p.data[3] - 1) < 1e-6);
});

Deno.test("maskedMean() and pick() match finite differences", () => {
  const mask = Uint8Array.of(1, 1, 0, 1, 0, 0);
  checkGradient("maskedMean", [[2, 3, 4]], (tp, [x]) => tp.maskedMean(x, 2, 3, mask));
  checkGradient("pick", [[2, 3, 4]], (tp, [x]) => tp.pick(x, 2, 3, Int32Array.of(2, 0)));
});

Deno.test("squash() matches finite differences and scales |z| = 5 to 25/26", () => {
  checkGradient("squash", [[3, 4]], (tp, [z]) => tp.squash(z, 3), { scale: 0.7 });
  const tape = new Tape(backend);
  // |z| = 5: squash keeps the direction and scales to 25/26.
  const v = tape.squash(new Tensor(Float32Array.of(3, 4), [1, 2]), 1);
  ok(Math.abs(Math.hypot(v.data[0], v.data[1]) - 25 / 26) < 1e-6);
});
