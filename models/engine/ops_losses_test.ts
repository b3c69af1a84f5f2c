// Tests of the tape's losses (`ops_losses.ts`). Finite-difference checks
// (`_gradcheck.ts`): the analytic gradient of loss = sum(op(inputs) * R), R a
// fixed random tensor, against central differences within
// 2e-3 + 2e-2 * |numeric| (float32 values, step 1e-2).
import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { sampledSoftmaxLoss, Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";
import { checkGradient } from "./_gradcheck.ts";

const backend = new TypeScriptBackend();
const rng = new Rng(123);
const randn = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());

Deno.test("sampled softmax matches finite differences, plain and with log-q and hits", () => {
  const B = 3, N = 5;
  const hits = new Uint8Array(B * N);
  hits[2] = 1;
  const logQPositive = randn(B), logQNegative = randn(N);
  checkGradient("sampled softmax", [[B], [B, N]], (tp, [p, n]) => tp.sampledSoftmax(p, n));
  checkGradient(
    "sampled softmax log-q",
    [[B], [B, N]],
    (tp, [p, n]) => tp.sampledSoftmax(p, n, { logQPositive, logQNegative, accidentalHits: hits }),
  );
});

Deno.test("REMI's interest-aware re-weighting matches finite differences and reduces to beta 0", () => {
  const B = 3, N = 6;
  for (const beta of [0.1, 1, 10]) {
    checkGradient(
      `IHN beta ${beta}`,
      [[B], [B, N]],
      (tp, [p, n]) => tp.sampledSoftmax(p, n, { beta }),
    );
  }
  // As beta -> 0 the weights are uniform and R = sum_j exp(x_j): plain softmax.
  const p = randn(B), n = randn(B * N);
  const tape = new Tape(backend);
  const a = tape.sampledSoftmax(new Tensor(p, [B]), new Tensor(n, [B, N]), { beta: 1e-7 });
  const b = tape.sampledSoftmax(new Tensor(p, [B]), new Tensor(n, [B, N]));
  ok(Math.abs(a.data[0] - b.data[0]) < 1e-5);
});

// An independent float64 reference of REMI's IHN loss, one row:
// -x0 + log(e^x0 + n e^{LSE((1+beta) x)} / e^{LSE(beta x)}), in log-sum-exp form.
function ihnReference(x0: number, x: number[], beta: number): number {
  const lse = (v: number[]) => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((s, t) => s + Math.exp(t - m), 0));
  };
  const logG = Math.log(x.length) + lse(x.map((t) => (1 + beta) * t)) - lse(x.map((t) => beta * t));
  return -x0 + lse([x0, logG]);
}

Deno.test("REMI's IHN loss and gradients stay finite and equal a float64 reference for gaps 0 to 1e4", () => {
  const gaps = [0, 1, 5, 9.6, 10, 20, 55, 56, 103, 1e3, 1e4];
  const B = gaps.length, N = 6, h = 1e-4;
  const neg = randn(B * N);
  const pos = Float32Array.from(gaps, (g, b) => Math.max(...neg.subarray(b * N, (b + 1) * N)) + g);
  for (const beta of [0.1, 1, 4, 10]) {
    const r = sampledSoftmaxLoss(pos, neg, B, N, { beta, exp: (x) => backend.unary("exp", x) });
    const rows = (p: ArrayLike<number>, n: ArrayLike<number>) =>
      gaps.map((_, b) =>
        ihnReference(p[b], Array.from({ length: N }, (_, j) => n[b * N + j]), beta)
      );
    const p64 = Array.from(pos), n64 = Array.from(neg);
    const expected = rows(p64, n64).reduce((s, v) => s + v, 0) / B;
    ok(Number.isFinite(r.loss), `beta ${beta}: loss ${r.loss}`);
    ok(
      Math.abs(r.loss - expected) <= 1e-5 + 1e-5 * Math.abs(expected),
      `beta ${beta}: ${r.loss} vs ${expected}`,
    );
    // Gradients against central differences of the float64 reference, row by row.
    const fd = (arr: number[], i: number, b: number) => {
      const v = arr[i];
      arr[i] = v + h;
      const up = rows(p64, n64)[b];
      arr[i] = v - h;
      const down = rows(p64, n64)[b];
      arr[i] = v;
      return (up - down) / (2 * h) / B;
    };
    for (let b = 0; b < B; b++) {
      const checks: [number, number, string][] = [[r.gradPositive[b], fd(p64, b, b), "positive"]];
      for (let j = 0; j < N; j++) {
        checks.push([r.gradNegative[b * N + j], fd(n64, b * N + j, b), `negative ${j}`]);
      }
      for (const [got, want, what] of checks) {
        ok(Number.isFinite(got), `beta ${beta}, gap ${gaps[b]}, ${what}: ${got}`);
        ok(
          Math.abs(got - want) <= 1e-6 + 1e-4 * Math.abs(want),
          `beta ${beta}, gap ${gaps[b]}, ${what}: ${got} vs ${want}`,
        );
      }
    }
  }
});

Deno.test("REMI's routing regularisation matches finite differences and a hand value", () => {
  checkGradient(
    "routing",
    [[2, 3, 4]],
    (tp, [a]) => tp.routingRegularizer(a, 2, 3, 4, { lambda: 0.7, dim: 3 }),
  );
  // One row [1, 0]: centred [0.5, -0.5], diag = 0.5 / d(=2) = 0.25, term = lambda * 0.0625.
  const tape = new Tape(backend);
  const r = tape.routingRegularizer(new Tensor(Float32Array.of(1, 0), [1, 1, 2]), 1, 1, 2, {
    lambda: 100,
    dim: 2,
  });
  ok(Math.abs(r.data[0] - 6.25) < 1e-6);
});
