/**
 * Element-wise tape operations and reductions to rows or scalars.
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import type { Tensor } from "./tensor.ts";
import { addInto, elementwise, output } from "./_ops.ts";

/**
 * `a + b`, where `b` repeats over `a` (its size divides `a`'s: a bias or a
 * position table added to every batch row).
 *
 * @param tape The tape that records the operation.
 * @param a The larger tensor.
 * @param b The repeated tensor.
 * @returns Shape of `a`.
 */
export function add(tape: Tape, a: Tensor, b: Tensor): Tensor {
  const n = a.size, m = b.size;
  if (n % m !== 0) throw new TypeError(`add(): size ${m} does not divide ${n}`);
  const out = new Float32Array(n), x = a.data, r = b.data;
  for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) out[o + j] = x[o + j] + r[j];
  const y = output(out, a.shape, a, b);
  tape.custom(y, (gy) => {
    if (a.requiresGrad) addInto(a.gradient(), gy);
    if (b.requiresGrad) {
      const gb = b.gradient();
      for (let o = 0; o < n; o += m) for (let j = 0; j < m; j++) gb[j] += gy[o + j];
    }
  });
  return y;
}

/**
 * Element-wise product of equal-size tensors.
 *
 * @param tape The tape that records the operation.
 * @param a First.
 * @param b Second.
 * @returns Shape of `a`.
 */
export function mul(tape: Tape, a: Tensor, b: Tensor): Tensor {
  if (a.size !== b.size) throw new TypeError(`mul(): sizes ${a.size} and ${b.size} differ`);
  const out = new Float32Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = a.data[i] * b.data[i];
  const y = output(out, a.shape, a, b);
  tape.custom(y, (gy) => {
    if (a.requiresGrad) {
      const g = a.gradient();
      for (let i = 0; i < out.length; i++) g[i] += gy[i] * b.data[i];
    }
    if (b.requiresGrad) {
      const g = b.gradient();
      for (let i = 0; i < out.length; i++) g[i] += gy[i] * a.data[i];
    }
  });
  return y;
}

/**
 * Hyperbolic tangent (computed in bulk by the backend).
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @returns `tanh(a)`.
 */
export function tanh(tape: Tape, a: Tensor): Tensor {
  const out = tape.backend.unary("tanh", a.data);
  return elementwise(tape, a, out, (g, gy) => {
    for (let i = 0; i < g.length; i++) g[i] += gy[i] * (1 - out[i] * out[i]);
  });
}

/**
 * Rectified linear unit.
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @returns `max(a, 0)`.
 */
export function relu(tape: Tape, a: Tensor): Tensor {
  const x = a.data, out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
  return elementwise(tape, a, out, (g, gy) => {
    for (let i = 0; i < g.length; i++) if (x[i] > 0) g[i] += gy[i];
  });
}

/**
 * Logistic sigmoid (computed in bulk by the backend).
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @returns `1 / (1 + exp(-a))`.
 */
export function sigmoid(tape: Tape, a: Tensor): Tensor {
  const out = tape.backend.unary("sigmoid", a.data);
  return elementwise(tape, a, out, (g, gy) => {
    for (let i = 0; i < g.length; i++) g[i] += gy[i] * out[i] * (1 - out[i]);
  });
}

/**
 * Multiplies by a constant.
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @param s The constant.
 * @returns `s * a`.
 */
export function scale(tape: Tape, a: Tensor, s: number): Tensor {
  const x = a.data, out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = s * x[i];
  return elementwise(tape, a, out, (g, gy) => {
    for (let i = 0; i < g.length; i++) g[i] += s * gy[i];
  });
}

/**
 * Row-wise dot products of two `[batch, dim]` tensors.
 *
 * @param tape The tape that records the operation.
 * @param a First.
 * @param b Second.
 * @param batch Rows.
 * @returns `[batch]`.
 */
export function rowDot(tape: Tape, a: Tensor, b: Tensor, batch: number): Tensor {
  const d = a.size / batch;
  const out = new Float32Array(batch);
  for (let i = 0; i < batch; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a.data[i * d + j] * b.data[i * d + j];
    out[i] = s;
  }
  const y = output(out, [batch], a, b);
  tape.custom(y, (gy) => {
    for (const [t, o] of [[a, b], [b, a]] as const) {
      if (!t.requiresGrad) continue;
      const g = t.gradient();
      for (let i = 0; i < batch; i++) {
        for (let j = 0; j < d; j++) g[i * d + j] += gy[i] * o.data[i * d + j];
      }
    }
  });
  return y;
}

/**
 * Sum of all values.
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @returns A scalar.
 */
export function sumAll(tape: Tape, a: Tensor): Tensor {
  let s = 0;
  const x = a.data;
  for (let i = 0; i < x.length; i++) s += x[i];
  const y = output(Float32Array.of(s), [1], a);
  tape.custom(y, (gy) => {
    if (!a.requiresGrad) return;
    const g = a.gradient();
    for (let i = 0; i < g.length; i++) g[i] += gy[0];
  });
  return y;
}

/**
 * Sum of scalars.
 *
 * @param tape The tape that records the operation.
 * @param terms Scalars.
 * @returns A scalar.
 */
export function addScalars(tape: Tape, ...terms: Tensor[]): Tensor {
  const y = output(Float32Array.of(terms.reduce((s, t) => s + t.data[0], 0)), [1], ...terms);
  tape.custom(y, (gy) => {
    for (const t of terms) if (t.requiresGrad) t.gradient()[0] += gy[0];
  });
  return y;
}
