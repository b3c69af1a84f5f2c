import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { createOrtBackend } from "./ort_backend.ts";

const rng = new Rng(5);
const rand = (n: number) => Float32Array.from({ length: n }, () => rng.normal());
const close = (a: Float32Array, b: Float32Array, what: string) => {
  ok(a.length === b.length, `${what}: lengths ${a.length} vs ${b.length}`);
  for (let i = 0; i < a.length; i++) {
    ok(Math.abs(a[i] - b[i]) <= 1e-4 * (1 + Math.abs(b[i])), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
};

Deno.test("ONNX Runtime products and functions agree with the TypeScript backend", async () => {
  const ort = await createOrtBackend({ threads: 2 });
  const ts = new TypeScriptBackend();
  const [m, k, n, s] = [7, 5, 6, 3];
  for (const transA of [false, true]) {
    for (const transB of [false, true]) {
      const a = rand(m * k), b = rand(k * n);
      const o = { transA, transB };
      close(ort.gemm(a, b, m, k, n, o), ts.gemm(a, b, m, k, n, o), `gemm ${transA} ${transB}`);
      const ba = rand(s * m * k), bb = rand(s * k * n);
      close(
        ort.bmm(ba, bb, s, m, k, n, o),
        ts.bmm(ba, bb, s, m, k, n, o),
        `bmm ${transA} ${transB}`,
      );
    }
  }
  const x = rand(50);
  for (const fn of ["tanh", "sigmoid", "exp"] as const) {
    close(ort.unary(fn, x), ts.unary(fn, x), fn);
  }
});

Deno.test("ONNX Runtime takes arrays in shared memory, with the same results", async () => {
  const ort = await createOrtBackend({ threads: 1 });
  const a = rand(30 * 8), b = rand(8 * 20);
  const shared = new Float32Array(new SharedArrayBuffer(4 * b.length));
  shared.set(b);
  const x = ort.gemm(a, b, 30, 8, 20), y = ort.gemm(a, shared, 30, 8, 20);
  ok(x.every((v, i) => Object.is(v, y[i])));
  const u = ort.unary("exp", shared);
  ok(u.every((v, i) => Object.is(v, ort.unary("exp", b)[i])));
});

Deno.test("ONNX Runtime products repeat bit for bit with a fixed thread count", async () => {
  const ort = await createOrtBackend({ threads: 2 });
  const a = rand(300 * 64), b = rand(64 * 200);
  const x = ort.gemm(a, b, 300, 64, 200), y = ort.gemm(a, b, 300, 64, 200);
  ok(x.every((v, i) => Object.is(v, y[i])));
});

Deno.test("the fused tanh block gives the composed block's values and gradients on ONNX Runtime", async () => {
  const { Tape } = await import("./tape.ts");
  const { Tensor } = await import("./tensor.ts");
  const ort = await createOrtBackend({ threads: 2 });
  const x = rand(6 * 3), w1 = rand(3 * 5), w2 = rand(5 * 2), r = rand(12);
  const run = (backend: typeof ort) => {
    const tensors = [
      new Tensor(x.slice(), [6, 3], true),
      new Tensor(w1.slice(), [3, 5], true),
      new Tensor(w2.slice(), [5, 2], true),
    ];
    const tape = new Tape(backend);
    const y = tape.tanhMlp(tensors[0], tensors[1], tensors[2]);
    tape.backward(tape.sumAll(tape.mul(y, tape.constant(r, y.shape))));
    return [y.data, ...tensors.map((t) => t.grad!)];
  };
  const fused = run(ort), composed = run(new TypeScriptBackend());
  fused.forEach((a, i) => close(a, composed[i], `output ${i}`));
});
