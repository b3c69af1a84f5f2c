/**
 * Re4's re-contrast and re-construct terms (Zhang et al., "Re4: Learning to
 * Re-contrast, Re-attend, Re-construct for Multi-interest Recommendation",
 * WWW 2022, Section 3 "backward flows"), as the authors' public code
 * (github.com/DeerSheep0314/Re4-...-Recommendation, `src/model.py`) computes
 * them. The re-attend term is shared with the family
 * (`../_sequential/regularizers.ts`).
 *
 * Notation: z_k the K interests of a user before the output layer, x_i its
 * history's item vectors, a_{k,i} the forward attention. The positives of
 * interest k are the items with `a_{k,i} > gate` (the paper's threshold; the
 * authors run with 1 / history length).
 *
 * Every operation here has a finite-difference test in `backward_flows_test.ts`.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { BatchShape } from "../_sequential/regularizers.ts";

/**
 * The positive set of each interest: 1 where `a_{k,i}` exceeds the gate
 * (`threshold`, or 1 / the user's history length when `threshold` is 0).
 *
 * @param routing Attention `[B, K, L]` after the masked softmax.
 * @param mask `[B, L]`.
 * @param shape Sizes.
 * @param threshold The gate; 0 for 1 / history length.
 * @returns `[B, K, L]` 0/1.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { positiveItems } from "./backward_flows.ts";
 * const p = positiveItems(Float32Array.of(0.6, 0.3, 0.1), Uint8Array.of(1, 1, 1),
 *   { batch: 1, interests: 1, maxlen: 3, dim: 1 }, 0);
 * deepStrictEqual([...p], [1, 0, 0]);
 * ```
 */
export function positiveItems(
  routing: Float32Array,
  mask: Uint8Array,
  shape: BatchShape,
  threshold: number,
): Uint8Array {
  const { batch: B, interests: K, maxlen: L } = shape;
  const out = new Uint8Array(B * K * L);
  for (let b = 0; b < B; b++) {
    let len = 0;
    for (let i = 0; i < L; i++) len += mask[b * L + i];
    const gate = threshold > 0 ? threshold : 1 / Math.max(len, 1);
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < L; i++) {
        const r = (b * K + k) * L + i;
        if (mask[b * L + i] && routing[r] > gate) out[r] = 1;
      }
    }
  }
  return out;
}

/** Rows scaled to unit length (PyTorch's `F.normalize`: divided by max(norm, 1e-12)). */
function normalizeRows(x: Float32Array, rows: number, d: number) {
  const unit = new Float64Array(rows * d), norm = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += x[r * d + j] * x[r * d + j];
    norm[r] = Math.max(Math.sqrt(s), 1e-12);
    for (let j = 0; j < d; j++) unit[r * d + j] = x[r * d + j] / norm[r];
  }
  return { unit, norm };
}

/** Sends gradient `g` on unit rows back to the raw rows: `(g - (g.n) n) / |u|`. */
function normalizeBackward(
  g: Float64Array,
  unit: Float64Array,
  norm: Float64Array,
  d: number,
  target: Float32Array,
  scale: number,
): void {
  for (let r = 0; r < norm.length; r++) {
    let dot = 0;
    for (let j = 0; j < d; j++) dot += g[r * d + j] * unit[r * d + j];
    for (let j = 0; j < d; j++) {
      target[r * d + j] += scale * (g[r * d + j] - dot * unit[r * d + j]) / norm[r];
    }
  }
}

/**
 * Re-contrast (the paper's InfoNCE term L_CT): for user b, interest k and each
 * positive item i,
 * `-log(exp(c(z_k, x_i) / tau) / N_k)`, c the cosine similarity and
 * `N_k = sum_{i' in history} exp(c(z_k, x_i') / tau) + sum_{k' != k} exp(c(z_k, z_k') / tau)
 *      + sum_{i' in the previous user's history} exp(c(z_k, x'_i') / tau)`
 * (the negatives of the authors' code: the user's whole history, its other
 * interests, and the history of the batch row before it, cyclically).
 * Summed over the positives and divided by B K L, as the authors' mean over
 * every (b, k, i) entry with the others at zero.
 *
 * @param tape The tape.
 * @param z Interests `[B, K, d]`.
 * @param x History vectors `[B * L, d]`.
 * @param positive `[B, K, L]` from {@linkcode positiveItems} (no gradient).
 * @param mask `[B, L]`.
 * @param options Sizes and the temperature tau.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { recontrastLoss } from "./backward_flows.ts";
 * // One user, one interest equal to its only item: N = exp(1/tau) twice (item, rolled item), loss log 2.
 * const loss = recontrastLoss(new Tape(new TypeScriptBackend()),
 *   new Tensor(Float32Array.of(1, 0), [1, 1, 2]), new Tensor(Float32Array.of(2, 0), [1, 2]),
 *   Uint8Array.of(1), Uint8Array.of(1), { batch: 1, interests: 1, maxlen: 1, dim: 2, temperature: 0.5 });
 * ok(Math.abs(loss.data[0] - Math.log(2)) < 1e-6);
 * ```
 */
export function recontrastLoss(
  tape: Tape,
  z: Tensor,
  x: Tensor,
  positive: Uint8Array,
  mask: Uint8Array,
  options: BatchShape & { temperature: number },
): Tensor {
  const { batch: B, interests: K, maxlen: L, dim: d, temperature: tau } = options;
  const nz = normalizeRows(z.data, B * K, d), nx = normalizeRows(x.data, B * L, d);
  const cos = (a: Float64Array, ra: number, b: Float64Array, rb: number) => {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[ra * d + j] * b[rb * d + j];
    return s;
  };
  // Per (b, k): the logits of the denominator's terms, in a fixed order.
  type Term = { kind: 0 | 1 | 2; row: number; logit: number };
  const rows: { terms: Term[]; logN: number; positives: number }[] = [];
  let total = 0;
  for (let b = 0; b < B; b++) {
    const prev = (b - 1 + B) % B;
    for (let k = 0; k < K; k++) {
      const zr = b * K + k, terms: Term[] = [];
      for (let i = 0; i < L; i++) {
        if (mask[b * L + i]) {
          terms.push({
            kind: 0,
            row: b * L + i,
            logit: cos(nz.unit, zr, nx.unit, b * L + i) / tau,
          });
        }
      }
      for (let q = 0; q < K; q++) {
        if (q !== k) {
          terms.push({
            kind: 1,
            row: b * K + q,
            logit: cos(nz.unit, zr, nz.unit, b * K + q) / tau,
          });
        }
      }
      for (let i = 0; i < L; i++) {
        if (mask[prev * L + i]) {
          terms.push({
            kind: 2,
            row: prev * L + i,
            logit: cos(nz.unit, zr, nx.unit, prev * L + i) / tau,
          });
        }
      }
      let max = -Infinity;
      for (const t of terms) if (t.logit > max) max = t.logit;
      let sum = 0;
      for (const t of terms) sum += Math.exp(t.logit - max);
      const logN = max + Math.log(sum);
      let positives = 0;
      for (let i = 0; i < L; i++) {
        if (!positive[zr * L + i]) continue;
        positives++;
        total += logN - cos(nz.unit, zr, nx.unit, b * L + i) / tau;
      }
      rows.push({ terms, logN, positives });
    }
  }
  const y = new Tensor(Float32Array.of(total / (B * K * L)), [1], z.requiresGrad || x.requiresGrad);
  return tape.custom(y, (grad) => {
    const s = grad[0] / (B * K * L);
    const gz = new Float64Array(B * K * d), gx = new Float64Array(B * L * d);
    const pair = (
      ga: Float64Array,
      ra: number,
      ua: Float64Array,
      gb: Float64Array,
      rb: number,
      ub: Float64Array,
      w: number,
    ) => {
      for (let j = 0; j < d; j++) {
        ga[ra * d + j] += w * ub[rb * d + j];
        gb[rb * d + j] += w * ua[ra * d + j];
      }
    };
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const zr = b * K + k, { terms, logN, positives } = rows[zr];
        if (positives === 0) continue;
        for (const t of terms) {
          // d(positives * logN) / d(cosine) = positives * softmax weight / tau.
          const w = positives * Math.exp(t.logit - logN) / tau;
          if (t.kind === 1) pair(gz, zr, nz.unit, gz, t.row, nz.unit, w);
          else pair(gz, zr, nz.unit, gx, t.row, nx.unit, w);
        }
        for (let i = 0; i < L; i++) {
          if (positive[zr * L + i]) pair(gz, zr, nz.unit, gx, b * L + i, nx.unit, -1 / tau);
        }
      }
    }
    if (z.requiresGrad) normalizeBackward(gz, nz.unit, nz.norm, d, z.gradient(), s);
    if (x.requiresGrad) normalizeBackward(gx, nx.unit, nx.norm, d, x.gradient(), s);
  });
}

/**
 * The re-construct error (the paper's L_CST): the squared error between each
 * interest's reconstruction of its history `[B, K, L, d]` and the history
 * vectors `[B, L, d]`, counted at the interest's positive items only, summed
 * and divided by B K L d (the authors' mean over every entry with the others
 * at zero). Gradient flows into both.
 *
 * @param tape The tape.
 * @param reconstruction `[B, K, L, d]`.
 * @param x History vectors `[B * L, d]`.
 * @param positive `[B, K, L]` 0/1.
 * @param shape Sizes.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { reconstructionError } from "./backward_flows.ts";
 * const e = reconstructionError(new Tape(new TypeScriptBackend()),
 *   new Tensor(Float32Array.of(1, 1), [1, 1, 1, 2]), new Tensor(Float32Array.of(0, 3), [1, 2]),
 *   Uint8Array.of(1), { batch: 1, interests: 1, maxlen: 1, dim: 2 });
 * ok(Math.abs(e.data[0] - 2.5) < 1e-6); // (1 + 4) / 2
 * ```
 */
export function reconstructionError(
  tape: Tape,
  reconstruction: Tensor,
  x: Tensor,
  positive: Uint8Array,
  shape: BatchShape,
): Tensor {
  const { batch: B, interests: K, maxlen: L, dim: d } = shape;
  let total = 0;
  for (let b = 0; b < B; b++) {
    for (let k = 0; k < K; k++) {
      for (let i = 0; i < L; i++) {
        if (!positive[(b * K + k) * L + i]) continue;
        const ro = ((b * K + k) * L + i) * d, xo = (b * L + i) * d;
        for (let j = 0; j < d; j++) {
          const e = reconstruction.data[ro + j] - x.data[xo + j];
          total += e * e;
        }
      }
    }
  }
  const n = B * K * L * d;
  const y = new Tensor(
    Float32Array.of(total / n),
    [1],
    reconstruction.requiresGrad || x.requiresGrad,
  );
  return tape.custom(y, (grad) => {
    const s = 2 * grad[0] / n;
    const gr = reconstruction.requiresGrad ? reconstruction.gradient() : undefined;
    const gx = x.requiresGrad ? x.gradient() : undefined;
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        for (let i = 0; i < L; i++) {
          if (!positive[(b * K + k) * L + i]) continue;
          const ro = ((b * K + k) * L + i) * d, xo = (b * L + i) * d;
          for (let j = 0; j < d; j++) {
            const e = s * (reconstruction.data[ro + j] - x.data[xo + j]);
            if (gr) gr[ro + j] += e;
            if (gx) gx[xo + j] -= e;
          }
        }
      }
    }
  });
}
