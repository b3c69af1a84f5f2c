// Tests of the tape's products and transposes (`ops_dense.ts`). Finite-difference checks
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

for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    Deno.test(`matmul() backward matches finite differences (transA ${ta}, transB ${tb})`, () => {
      const [m, k, n] = [3, 4, 5];
      checkGradient(
        "matmul",
        [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]],
        (tp, [a, b]) => tp.matmul(a, b, m, k, n, { transA: ta, transB: tb }),
      );
    });
    Deno.test(`bmm() backward matches finite differences (transA ${ta}, transB ${tb})`, () => {
      const [s, m, k, n] = [2, 3, 4, 2];
      checkGradient(
        "bmm",
        [ta ? [s, k, m] : [s, m, k], tb ? [s, n, k] : [s, k, n]],
        (tp, [a, b]) => tp.bmm(a, b, s, m, k, n, { transA: ta, transB: tb }),
      );
    });
  }
}

Deno.test("positionwiseMatmul() matches finite differences and a per-position loop", () => {
  const [B, L, k, n] = [2, 3, 4, 5];
  checkGradient(
    "positionwiseMatmul",
    [[B, L, k], [L, k, n]],
    (tp, [x, w]) => tp.positionwiseMatmul(x, w, B, L, k, n),
  );
  const x = randn(B * L * k), w = randn(L * k * n);
  const y = new Tape(backend).positionwiseMatmul(
    new Tensor(x, [B, L, k]),
    new Tensor(w, [L, k, n]),
    B,
    L,
    k,
    n,
  );
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let i = 0; i < k; i++) s += x[(b * L + l) * k + i] * w[(l * k + i) * n + j];
        ok(Math.abs(y.data[(b * L + l) * n + j] - s) < 1e-5);
      }
    }
  }
});

Deno.test("tanhMlp() matches finite differences (composed path)", () => {
  checkGradient("tanhMlp", [[5, 3], [3, 4], [4, 2]], (tp, [x, w1, w2]) => tp.tanhMlp(x, w1, w2));
});

Deno.test("transpose() matches finite differences, with and without a trailing block", () => {
  checkGradient("transpose", [[2, 3, 4]], (tp, [a]) => tp.transpose(a, 2, 3, 4));
  checkGradient("transpose block", [[2, 3, 2, 4]], (tp, [a]) => tp.transpose(a, 2, 3, 2, 4));
});
