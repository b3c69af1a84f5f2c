/**
 * Recurrent tape operations: one GRU step.
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import type { Tensor } from "./tensor.ts";
import { accumulate, output } from "./_ops.ts";

/**
 * One GRU step for a batch (PyTorch's gate order and form):
 * `r = s(x_r + h U_r + b_r)`, `z = s(x_z + h U_z + b_z)`,
 * `n = tanh(x_n + r * (h U_n + b_n))`, `h' = (1 - z) n + z h`; rows whose
 * `mask` is 0 keep `h`. `x` holds the input projections of every step,
 * `[B, L, 3d]`; this step reads position `t`.
 *
 * @param tape The tape that records the operation.
 * @param x Input projections `[B, L, 3d]` (gates r, z, n).
 * @param t Step.
 * @param h Hidden state `[B, d]`.
 * @param u Recurrent weights `[d, 3d]`.
 * @param bias Recurrent bias `[3d]`.
 * @param mask `[B, L]` 0/1.
 * @returns The next hidden state `[B, d]`.
 */
export function gruStep(
  tape: Tape,
  x: Tensor,
  t: number,
  h: Tensor,
  u: Tensor,
  bias: Tensor,
  mask: Uint8Array,
): Tensor {
  const B = h.shape[0], d = h.shape[1], L = x.size / (B * 3 * d), d3 = 3 * d;
  const hu = tape.backend.gemm(h.data, u.data, B, d, d3);
  const r = new Float32Array(B * d), z = new Float32Array(B * d), n = new Float32Array(B * d);
  const out = new Float32Array(B * d);
  for (let b = 0; b < B; b++) {
    const xo = (b * L + t) * d3, ho = b * d3;
    const live = mask[b * L + t] === 1;
    for (let j = 0; j < d; j++) {
      if (!live) {
        out[b * d + j] = h.data[b * d + j];
        continue;
      }
      const rv = 1 / (1 + Math.exp(-(x.data[xo + j] + hu[ho + j] + bias.data[j])));
      const zv = 1 / (1 + Math.exp(-(x.data[xo + d + j] + hu[ho + d + j] + bias.data[d + j])));
      const nv = Math.tanh(
        x.data[xo + 2 * d + j] + rv * (hu[ho + 2 * d + j] + bias.data[2 * d + j]),
      );
      r[b * d + j] = rv;
      z[b * d + j] = zv;
      n[b * d + j] = nv;
      out[b * d + j] = (1 - zv) * nv + zv * h.data[b * d + j];
    }
  }
  const y = output(out, [B, d], x, h, u, bias);
  tape.custom(y, (gy) => {
    const dhu = new Float32Array(B * d3);
    const dh = new Float32Array(B * d);
    const gx = x.requiresGrad ? x.gradient() : null;
    for (let b = 0; b < B; b++) {
      const xo = (b * L + t) * d3, ho = b * d3;
      if (mask[b * L + t] !== 1) {
        for (let j = 0; j < d; j++) dh[b * d + j] += gy[b * d + j];
        continue;
      }
      for (let j = 0; j < d; j++) {
        const i = b * d + j, g = gy[i];
        const rv = r[i], zv = z[i], nv = n[i];
        const dn = g * (1 - zv) * (1 - nv * nv);
        const dz = g * (h.data[i] - nv) * zv * (1 - zv);
        const hn = hu[ho + 2 * d + j] + bias.data[2 * d + j];
        const dr = dn * hn * rv * (1 - rv);
        dh[i] += g * zv;
        dhu[ho + j] = dr;
        dhu[ho + d + j] = dz;
        dhu[ho + 2 * d + j] = dn * rv;
        if (gx) {
          gx[xo + j] += dr;
          gx[xo + d + j] += dz;
          gx[xo + 2 * d + j] += dn;
        }
      }
    }
    if (bias.requiresGrad) {
      const gb = bias.gradient();
      for (let b = 0; b < B; b++) for (let k = 0; k < d3; k++) gb[k] += dhu[b * d3 + k];
    }
    if (u.requiresGrad) accumulate(u, tape.backend.gemm(h.data, dhu, d, B, d3, { transA: true }));
    if (h.requiresGrad) {
      const viaU = tape.backend.gemm(dhu, u.data, B, d3, d, { transB: true });
      const g = h.gradient();
      for (let i = 0; i < g.length; i++) g[i] += dh[i] + viaU[i];
    }
  });
  return y;
}
