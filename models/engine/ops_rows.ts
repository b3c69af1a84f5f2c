/**
 * Row-wise operations the multimodal graph models need and the tape lacks:
 * the leaky ReLU (MMGCN's activation) and L2 normalisation of each row
 * (MMGCN's layer 0, LATTICE's item-graph readout).
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";

/**
 * `x` where positive, `slope * x` elsewhere (PyTorch's default slope 0.01).
 *
 * @param tape The tape.
 * @param x Input.
 * @param slope Slope below zero.
 * @returns Shape of `x`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "./backend.ts";
 * import { Tape } from "./tape.ts";
 * import { Tensor } from "./tensor.ts";
 * import { leakyRelu } from "./ops_rows.ts";
 * const y = leakyRelu(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(-2, 3), [2]));
 * ok(Math.abs(y.data[0] + 0.02) < 1e-7 && y.data[1] === 3);
 * ```
 */
export function leakyRelu(tape: Tape, x: Tensor, slope = 0.01): Tensor {
  const out = Float32Array.from(x.data, (v) => v > 0 ? v : slope * v);
  const y = new Tensor(out, x.shape, x.requiresGrad);
  return tape.custom(y, (g) => {
    if (!x.requiresGrad) return;
    const gx = x.gradient();
    for (let i = 0; i < g.length; i++) gx[i] += x.data[i] > 0 ? g[i] : slope * g[i];
  });
}

/**
 * Each row divided by its L2 norm (PyTorch's `F.normalize`: the norm is at
 * least `eps`, so a zero row stays zero).
 *
 * @param tape The tape.
 * @param x `[rows, width]`.
 * @param eps Smallest norm divided by.
 * @returns Shape of `x`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "./backend.ts";
 * import { Tape } from "./tape.ts";
 * import { Tensor } from "./tensor.ts";
 * import { normalizeRows } from "./ops_rows.ts";
 * const y = normalizeRows(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(3, 4), [1, 2]));
 * ok(Math.abs(y.data[0] - 0.6) < 1e-7);
 * ```
 */
export function normalizeRows(tape: Tape, x: Tensor, eps = 1e-12): Tensor {
  const w = x.shape[x.shape.length - 1], rows = x.size / w;
  const norms = new Float64Array(rows);
  const out = new Float32Array(x.size);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < w; c++) s += x.data[r * w + c] ** 2;
    norms[r] = Math.max(Math.sqrt(s), eps);
    for (let c = 0; c < w; c++) out[r * w + c] = x.data[r * w + c] / norms[r];
  }
  const y = new Tensor(out, x.shape, x.requiresGrad);
  return tape.custom(y, (g) => {
    if (!x.requiresGrad) return;
    const gx = x.gradient();
    for (let r = 0; r < rows; r++) {
      const o = r * w, n = norms[r];
      if (n === eps) {
        for (let c = 0; c < w; c++) gx[o + c] += g[o + c] / n;
        continue;
      }
      // d(x/|x|) = (g - y (y . g)) / |x|
      let dot = 0;
      for (let c = 0; c < w; c++) dot += out[o + c] * g[o + c];
      for (let c = 0; c < w; c++) gx[o + c] += (g[o + c] - out[o + c] * dot) / n;
    }
  });
}

/**
 * Tensors of equal row width stacked row-wise (MMGCN's `[preference; features]`).
 *
 * @param tape The tape.
 * @param parts `[r_k, width]` each.
 * @returns `[sum r_k, width]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "./backend.ts";
 * import { Tape } from "./tape.ts";
 * import { Tensor } from "./tensor.ts";
 * import { concatRows } from "./ops_rows.ts";
 * const t = new Tape(new TypeScriptBackend());
 * const y = concatRows(t, [new Tensor(Float32Array.of(1, 2), [1, 2]), new Tensor(Float32Array.of(3, 4), [1, 2])]);
 * ok(y.data.join() === "1,2,3,4" && y.shape[0] === 2);
 * ```
 */
export function concatRows(tape: Tape, parts: readonly Tensor[]): Tensor {
  const w = parts[0].shape[parts[0].shape.length - 1];
  const size = parts.reduce((s, p) => s + p.size, 0);
  const out = new Float32Array(size);
  let offset = 0;
  for (const p of parts) {
    if (p.shape[p.shape.length - 1] !== w) {
      throw new TypeError(`concatRows(): widths ${w} and ${p.shape[p.shape.length - 1]} differ`);
    }
    out.set(p.data, offset);
    offset += p.size;
  }
  const y = new Tensor(out, [size / w, w], parts.some((p) => p.requiresGrad));
  return tape.custom(y, (g) => {
    let o = 0;
    for (const p of parts) {
      if (p.requiresGrad) {
        const gp = p.gradient();
        for (let i = 0; i < p.size; i++) gp[i] += g[o + i];
      }
      o += p.size;
    }
  });
}
