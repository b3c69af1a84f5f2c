// Tests of the tape's element-wise operations and reductions (`ops_elementwise.ts`). Finite-difference checks
// (`_gradcheck.ts`): the analytic gradient of loss = sum(op(inputs) * R), R a
// fixed random tensor, against central differences within
// 2e-3 + 2e-2 * |numeric| (float32 values, step 1e-2).
import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "./backend.ts";
import { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";
import { checkGradient } from "./_gradcheck.ts";

const backend = new TypeScriptBackend();

Deno.test("add() with a repeated operand matches finite differences", () => {
  checkGradient("add", [[3, 4], [4]], (tp, [a, b]) => tp.add(a, b));
});

Deno.test("element-wise operations match finite differences", () => {
  checkGradient("mul", [[6], [6]], (tp, [a, b]) => tp.mul(a, b));
  checkGradient("tanh", [[6]], (tp, [a]) => tp.tanh(a));
  checkGradient("sigmoid", [[6]], (tp, [a]) => tp.sigmoid(a));
  checkGradient("scale", [[6]], (tp, [a]) => tp.scale(a, -2.5));
});

Deno.test("relu() backward is the step function away from the kink", () => {
  const x = new Tensor(Float32Array.of(-1, 0.5, 2), [3], true);
  const tape = new Tape(backend);
  tape.backward(tape.sumAll(tape.relu(x)));
  ok(x.grad![0] === 0 && x.grad![1] === 1 && x.grad![2] === 1);
});

Deno.test("rowDot() matches finite differences", () => {
  checkGradient("rowDot", [[3, 4], [3, 4]], (tp, [a, b]) => tp.rowDot(a, b, 3));
});
