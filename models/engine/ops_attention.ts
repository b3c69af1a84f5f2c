/**
 * Tape operations over sequences and interests: masked softmax (attention
 * weights), masked mean pooling, hard readout of one row, the capsule squash.
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import type { Tensor } from "./tensor.ts";
import { output } from "./_ops.ts";

/**
 * Softmax over the last axis of `[rows, len]`; positions where
 * `mask[(row / rowsPerMask) * len + l]` is 0 get probability 0. A row with
 * every position masked stays all zero.
 *
 * @param tape The tape that records the operation.
 * @param a Logits.
 * @param rows Number of rows.
 * @param len Row length.
 * @param mask Optional `[rows / rowsPerMask, len]` 0/1 mask.
 * @param rowsPerMask How many consecutive rows share a mask row. @default {1}
 * @returns Probabilities.
 */
export function softmax(
  tape: Tape,
  a: Tensor,
  rows: number,
  len: number,
  mask?: Uint8Array,
  rowsPerMask = 1,
): Tensor {
  const out = new Float32Array(a.size);
  for (let r = 0; r < rows; r++) {
    const base = r * len, mb = Math.floor(r / rowsPerMask) * len;
    let max = -Infinity;
    for (let l = 0; l < len; l++) {
      if ((!mask || mask[mb + l]) && a.data[base + l] > max) max = a.data[base + l];
    }
    if (max === -Infinity) continue;
    let sum = 0;
    for (let l = 0; l < len; l++) {
      const e = !mask || mask[mb + l] ? Math.exp(a.data[base + l] - max) : 0;
      out[base + l] = e;
      sum += e;
    }
    for (let l = 0; l < len; l++) out[base + l] /= sum;
  }
  const y = output(out, a.shape, a);
  tape.custom(y, (gy) => {
    if (!a.requiresGrad) return;
    const g = a.gradient();
    for (let r = 0; r < rows; r++) {
      const base = r * len;
      let dot = 0;
      for (let l = 0; l < len; l++) dot += gy[base + l] * out[base + l];
      for (let l = 0; l < len; l++) g[base + l] += out[base + l] * (gy[base + l] - dot);
    }
  });
  return y;
}

/**
 * Mean over the unmasked positions of `[batch, len, dim]`.
 *
 * @param tape The tape that records the operation.
 * @param x Input.
 * @param batch Batch size.
 * @param len Sequence length.
 * @param mask `[batch, len]` 0/1.
 * @returns `[batch, dim]`.
 */
export function maskedMean(
  tape: Tape,
  x: Tensor,
  batch: number,
  len: number,
  mask: Uint8Array,
): Tensor {
  const d = x.size / (batch * len);
  const out = new Float32Array(batch * d);
  const counts = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    let c = 0;
    for (let l = 0; l < len; l++) {
      if (!mask[b * len + l]) continue;
      c++;
      const xb = (b * len + l) * d;
      for (let j = 0; j < d; j++) out[b * d + j] += x.data[xb + j];
    }
    counts[b] = Math.max(c, 1);
    for (let j = 0; j < d; j++) out[b * d + j] /= counts[b];
  }
  const y = output(out, [batch, d], x);
  tape.custom(y, (gy) => {
    if (!x.requiresGrad) return;
    const g = x.gradient();
    for (let b = 0; b < batch; b++) {
      for (let l = 0; l < len; l++) {
        if (!mask[b * len + l]) continue;
        const xb = (b * len + l) * d;
        for (let j = 0; j < d; j++) g[xb + j] += gy[b * d + j] / counts[b];
      }
    }
  });
  return y;
}

/**
 * Picks one row per batch entry from `[batch, rows, dim]` (hard readout).
 *
 * @param tape The tape that records the operation.
 * @param x Input.
 * @param batch Batch size.
 * @param rows Rows per entry.
 * @param index Row to pick for each entry.
 * @returns `[batch, dim]`.
 */
export function pick(
  tape: Tape,
  x: Tensor,
  batch: number,
  rows: number,
  index: Int32Array,
): Tensor {
  const d = x.size / (batch * rows);
  const out = new Float32Array(batch * d);
  for (let b = 0; b < batch; b++) {
    out.set(x.data.subarray((b * rows + index[b]) * d, (b * rows + index[b] + 1) * d), b * d);
  }
  const y = output(out, [batch, d], x);
  tape.custom(y, (gy) => {
    if (!x.requiresGrad) return;
    const g = x.gradient();
    for (let b = 0; b < batch; b++) {
      const base = (b * rows + index[b]) * d;
      for (let j = 0; j < d; j++) g[base + j] += gy[b * d + j];
    }
  });
  return y;
}

/**
 * The capsule squash of each row of `[rows, dim]`:
 * `v = |z|^2 / (1 + |z|^2) * z / sqrt(|z|^2 + 1e-9)` (ComiRec's form).
 *
 * @param tape The tape that records the operation.
 * @param z Input.
 * @param rows Rows.
 * @returns Squashed rows.
 */
export function squash(tape: Tape, z: Tensor, rows: number): Tensor {
  const d = z.size / rows;
  const out = new Float32Array(z.size);
  const norms = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let n = 0;
    for (let j = 0; j < d; j++) n += z.data[r * d + j] ** 2;
    norms[r] = n;
    const f = n / (1 + n) / Math.sqrt(n + 1e-9);
    for (let j = 0; j < d; j++) out[r * d + j] = f * z.data[r * d + j];
  }
  const y = output(out, z.shape, z);
  tape.custom(y, (gy) => {
    if (!z.requiresGrad) return;
    const g = z.gradient();
    for (let r = 0; r < rows; r++) {
      const n = norms[r], s = Math.sqrt(n + 1e-9);
      const f = n / (1 + n) / s;
      // df/dn = [1/((1+n)^2 s)] - n / (2 (1+n) s^3); dn/dz_j = 2 z_j.
      const dfdn = 1 / ((1 + n) * (1 + n) * s) - n / (2 * (1 + n) * s * s * s);
      let dot = 0;
      for (let j = 0; j < d; j++) dot += gy[r * d + j] * z.data[r * d + j];
      for (let j = 0; j < d; j++) {
        g[r * d + j] += f * gy[r * d + j] + dfdn * 2 * z.data[r * d + j] * dot;
      }
    }
  });
  return y;
}
