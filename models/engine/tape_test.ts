// Finite-difference checks of every tape operation: the analytic gradient of
// loss = sum(op(inputs) * R), R a fixed random tensor, against central
// differences. Tolerance: |analytic - numeric| <= 2e-3 + 2e-2 * |numeric|
// (float32 values, step 1e-2 on float64 copies of the loss).
import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { sampledSoftmaxLoss, Tape } from "./tape.ts";
import { EmbeddingTable, Tensor } from "./tensor.ts";
import { type Build, checkGradient } from "./_gradcheck.ts";

const backend = new TypeScriptBackend();
const rng = new Rng(123);
const randn = (n: number, s = 1) => Float32Array.from({ length: n }, () => s * rng.normal());

function check(name: string, shapes: number[][], build: Build, scaleInputs = 1): void {
  checkGradient(name, shapes, build, { scale: scaleInputs });
}

for (const ta of [false, true]) {
  for (const tb of [false, true]) {
    Deno.test(`matmul() backward matches finite differences (transA ${ta}, transB ${tb})`, () => {
      const [m, k, n] = [3, 4, 5];
      check(
        "matmul",
        [ta ? [k, m] : [m, k], tb ? [n, k] : [k, n]],
        (tp, [a, b]) => tp.matmul(a, b, m, k, n, { transA: ta, transB: tb }),
      );
    });
    Deno.test(`bmm() backward matches finite differences (transA ${ta}, transB ${tb})`, () => {
      const [s, m, k, n] = [2, 3, 4, 2];
      check(
        "bmm",
        [ta ? [s, k, m] : [s, m, k], tb ? [s, n, k] : [s, k, n]],
        (tp, [a, b]) => tp.bmm(a, b, s, m, k, n, { transA: ta, transB: tb }),
      );
    });
  }
}

Deno.test("positionwiseMatmul() matches finite differences and a per-position loop", () => {
  const [B, L, k, n] = [2, 3, 4, 5];
  check(
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

Deno.test("add() with a repeated operand matches finite differences", () => {
  check("add", [[3, 4], [4]], (tp, [a, b]) => tp.add(a, b));
});

Deno.test("element-wise operations match finite differences", () => {
  check("mul", [[6], [6]], (tp, [a, b]) => tp.mul(a, b));
  check("tanh", [[6]], (tp, [a]) => tp.tanh(a));
  check("sigmoid", [[6]], (tp, [a]) => tp.sigmoid(a));
  check("scale", [[6]], (tp, [a]) => tp.scale(a, -2.5));
  check("transpose", [[2, 3, 4]], (tp, [a]) => tp.transpose(a, 2, 3, 4));
});

Deno.test("relu() backward is the step function away from the kink", () => {
  const x = new Tensor(Float32Array.of(-1, 0.5, 2), [3], true);
  const tape = new Tape(backend);
  tape.backward(tape.sumAll(tape.relu(x)));
  ok(x.grad![0] === 0 && x.grad![1] === 1 && x.grad![2] === 1);
});

Deno.test("masked softmax matches finite differences and zeroes masked positions", () => {
  const mask = Uint8Array.of(1, 1, 0, 1, 1, 1, 1, 0);
  check("softmax", [[4, 4]], (tp, [a]) => tp.softmax(a, 4, 4, mask, 2));
  const tape = new Tape(backend);
  const p = tape.softmax(new Tensor(randn(16), [4, 4]), 4, 4, mask, 2);
  ok(p.data[2] === 0 && p.data[6] === 0 && p.data[15] === 0);
  ok(Math.abs(p.data[0] + p.data[1] + p.data[3] - 1) < 1e-6);
});

Deno.test("maskedMean(), pick() and rowDot() match finite differences", () => {
  const mask = Uint8Array.of(1, 1, 0, 1, 0, 0);
  check("maskedMean", [[2, 3, 4]], (tp, [x]) => tp.maskedMean(x, 2, 3, mask));
  check("pick", [[2, 3, 4]], (tp, [x]) => tp.pick(x, 2, 3, Int32Array.of(2, 0)));
  check("rowDot", [[3, 4], [3, 4]], (tp, [a, b]) => tp.rowDot(a, b, 3));
});

Deno.test("sampled softmax matches finite differences, plain and with log-q and hits", () => {
  const B = 3, N = 5;
  const hits = new Uint8Array(B * N);
  hits[2] = 1;
  const logQPositive = randn(B), logQNegative = randn(N);
  check("sampled softmax", [[B], [B, N]], (tp, [p, n]) => tp.sampledSoftmax(p, n));
  check(
    "sampled softmax log-q",
    [[B], [B, N]],
    (tp, [p, n]) => tp.sampledSoftmax(p, n, { logQPositive, logQNegative, accidentalHits: hits }),
  );
});

Deno.test("REMI's interest-aware re-weighting matches finite differences and reduces to beta 0", () => {
  const B = 3, N = 6;
  for (const beta of [0.1, 1, 10]) {
    check(`IHN beta ${beta}`, [[B], [B, N]], (tp, [p, n]) => tp.sampledSoftmax(p, n, { beta }));
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
  check(
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

Deno.test("gather() sends gradient only into the touched rows, padding excluded", () => {
  const table = new EmbeddingTable(randn(12), 4, 3);
  const tape = new Tape(backend);
  const rows = tape.gather(table, Int32Array.of(2, -1, 2, 0));
  ok(rows.data.subarray(3, 6).every((v) => v === 0));
  tape.backward(tape.sumAll(rows));
  ok([...table.touchedRows()].join() === "0,2");
  ok(table.grad[6] === 2 && table.grad[0] === 1 && table.grad[3] === 0 && table.grad[9] === 0);
});

Deno.test("combine() matches finite differences on the table rows it reads", () => {
  const d = 3;
  const table = new EmbeddingTable(randn(4 * d), 4, d);
  const sparse = {
    ptr: Int32Array.of(0, 2, 3, 3, 5),
    index: Int32Array.of(0, 2, 1, 3, 0),
    weights: Float32Array.of(0.5, 0.5, 1, 0.25, 0.75),
  };
  const ids = Int32Array.of(3, 0, -1, 1);
  const R = randn(ids.length * d);
  const lossOf = () => {
    const tape = new Tape(backend);
    const y = tape.combine(table, sparse, ids);
    const loss = tape.sumAll(tape.mul(y, tape.constant(R, y.shape)));
    return { tape, loss };
  };
  const { tape, loss } = lossOf();
  tape.backward(loss);
  const analytic = table.grad.slice();
  const h = 1e-2;
  for (let i = 0; i < table.data.length; i++) {
    const x = table.data[i];
    table.data[i] = x + h;
    const up = lossOf().loss.data[0];
    table.data[i] = x - h;
    const down = lossOf().loss.data[0];
    table.data[i] = x;
    const numeric = (up - down) / (2 * h);
    ok(Math.abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.abs(numeric), `row value ${i}`);
  }
  ok([...table.touchedRows()].join() === "0,1,2,3");
});

Deno.test("tanhMlp() matches finite differences (composed path)", () => {
  check("tanhMlp", [[5, 3], [3, 4], [4, 2]], (tp, [x, w1, w2]) => tp.tanhMlp(x, w1, w2));
});

Deno.test("transpose() with a trailing block and squash() match finite differences", () => {
  check("transpose block", [[2, 3, 2, 4]], (tp, [a]) => tp.transpose(a, 2, 3, 2, 4));
  check("squash", [[3, 4]], (tp, [z]) => tp.squash(z, 3), 0.7);
  const tape = new Tape(backend);
  // |z| = 5: squash keeps the direction and scales to 25/26.
  const v = tape.squash(new Tensor(Float32Array.of(3, 4), [1, 2]), 1);
  ok(Math.abs(Math.hypot(v.data[0], v.data[1]) - 25 / 26) < 1e-6);
});

Deno.test("two chained gruStep() calls match finite differences, masked steps included", () => {
  const [B, L, d] = [3, 2, 2];
  const mask = Uint8Array.of(1, 1, 1, 0, 0, 1);
  check("gru", [[B, L, 3 * d], [B, d], [d, 3 * d], [3 * d]], (tp, [x, h0, u, bias]) => {
    const h1 = tp.gruStep(x, 0, h0, u, bias, mask);
    return tp.gruStep(x, 1, h1, u, bias, mask);
  }, 0.7);
});
