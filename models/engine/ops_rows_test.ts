import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "./backend.ts";
import { checkGradient } from "./_gradcheck.ts";
import { concatRows, leakyRelu, normalizeRows } from "./ops_rows.ts";
import { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";

Deno.test("leakyRelu() backward matches finite differences on both sides of 0", () => {
  checkGradient("leakyRelu", [[4, 3]], (tape, [x]) => leakyRelu(tape, x, 0.1), { h: 1e-3 });
});

Deno.test("normalizeRows() backward matches finite differences", () => {
  checkGradient("normalizeRows", [[3, 4]], (tape, [x]) => normalizeRows(tape, x), { h: 1e-3 });
});

Deno.test("normalizeRows() leaves a zero row at zero", () => {
  const y = normalizeRows(
    new Tape(new TypeScriptBackend()),
    new Tensor(new Float32Array(3), [1, 3]),
  );
  ok(y.data.every((v) => v === 0));
});

Deno.test("concatRows() backward matches finite differences for every part", () => {
  checkGradient("concatRows", [[2, 3], [1, 3]], (tape, [a, b]) => concatRows(tape, [a, b]));
});
