/**
 * Loss operations of the tape: the sampled softmax (log-q correction,
 * accidental hits, REMI's interest-aware re-weighting) in closed form, and
 * REMI's routing regulariser.
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import type { Tensor } from "./tensor.ts";
import { addInto, output } from "./_ops.ts";

/** Options of {@linkcode Tape.sampledSoftmax}. */
export interface SampledSoftmaxOptions {
  /** log q(item) of each row's positive, subtracted from its logit (log-q correction). */
  logQPositive?: Float32Array;
  /** log q(item) of each shared negative, subtracted from its logits. */
  logQNegative?: Float32Array;
  /** 1 where negative j of row b equals that row's positive (masked out), `[B, N]`. */
  accidentalHits?: Uint8Array;
  /**
   * REMI's interest-aware hard negatives: negative logits are re-weighted by
   * `w_j = exp(beta * x_j)` normalised by their mean; 0 turns it off (plain
   * sampled softmax). No log-q correction on that path, as in REMI's code.
   * @default {0}
   */
  beta?: number;
  /** Bulk exponential (the tape passes its backend's); `Math.exp` row by row when absent. */
  exp?: (x: Float32Array) => Float32Array;
}

/**
 * Sampled softmax cross-entropy over `[positive, shared negatives]`, mean
 * over the batch, with the log-q correction, accidental-hit masking and
 * REMI's interest-aware re-weighting as options.
 *
 * @param tape The tape that records the operation.
 * @param positive Positive logits `[B]`.
 * @param negative Negative logits `[B, N]`.
 * @param options Corrections.
 * @returns The mean loss (scalar).
 */
export function sampledSoftmax(
  tape: Tape,
  positive: Tensor,
  negative: Tensor,
  options: SampledSoftmaxOptions = {},
): Tensor {
  const B = positive.size, N = negative.size / B;
  const { loss, gradPositive, gradNegative } = sampledSoftmaxLoss(
    positive.data,
    negative.data,
    B,
    N,
    { exp: (x) => tape.backend.unary("exp", x), ...options },
  );
  const y = output(Float32Array.of(loss), [1], positive, negative);
  tape.custom(y, (gy) => {
    const s = gy[0];
    if (positive.requiresGrad) addInto(positive.gradient(), gradPositive, s);
    if (negative.requiresGrad) addInto(negative.gradient(), gradNegative, s);
  });
  return y;
}

/**
 * REMI's routing regularisation on attention `A [B, K, L]`: with `A_c` centred
 * over the sequence axis and `C = A_c A_c^T / d`, returns
 * `lambda * sum_b ||diag(C_b)||^2` (summed over the batch, as REMI's code does).
 *
 * @param tape The tape that records the operation.
 * @param a Attention after softmax.
 * @param batch B.
 * @param interests K.
 * @param len L.
 * @param options `lambda` and the embedding size `dim` (d).
 * @returns A scalar.
 */
export function routingRegularizer(
  tape: Tape,
  a: Tensor,
  batch: number,
  interests: number,
  len: number,
  options: { lambda: number; dim: number },
): Tensor {
  const { lambda, dim } = options;
  const centred = new Float64Array(a.size);
  const diag = new Float64Array(batch * interests);
  let total = 0;
  for (let r = 0; r < batch * interests; r++) {
    const base = r * len;
    let mean = 0;
    for (let l = 0; l < len; l++) mean += a.data[base + l];
    mean /= len;
    let s = 0;
    for (let l = 0; l < len; l++) {
      const c = a.data[base + l] - mean;
      centred[base + l] = c;
      s += c * c;
    }
    diag[r] = s / dim;
    total += diag[r] * diag[r];
  }
  const y = output(Float32Array.of(lambda * total), [1], a);
  tape.custom(y, (gy) => {
    if (!a.requiresGrad) return;
    const g = a.gradient();
    for (let r = 0; r < batch * interests; r++) {
      const base = r * len;
      // d/dc_l = lambda * 2 diag * 2 c_l / dim; then the centring's backward subtracts the mean.
      const f = gy[0] * lambda * 4 * diag[r] / dim;
      let mean = 0;
      for (let l = 0; l < len; l++) mean += f * centred[base + l];
      mean /= len;
      for (let l = 0; l < len; l++) g[base + l] += f * centred[base + l] - mean;
    }
  });
  return y;
}

/** Loss and gradients of {@linkcode sampledSoftmaxLoss}. */
export interface SampledSoftmaxResult {
  /** Mean loss over the batch. */
  loss: number;
  /** d loss / d positive logits, `[B]`. */
  gradPositive: Float32Array;
  /** d loss / d negative logits, `[B, N]`. */
  gradNegative: Float32Array;
}

/**
 * The sampled softmax loss with its gradient, in closed form.
 *
 * Plain: `z = [x_pos - logq_pos, x_neg - logq_neg]` (accidental hits at -inf),
 * loss = `-log softmax(z)_0`. With `beta > 0` (REMI's IHN), per row:
 * `loss = -x0 + log(exp(x0) + S)`, `S = N * sum_j e^{(1+beta) x_j} / sum_j e^{beta x_j}`,
 * and `dS/dx_j = S ((1 + beta) p_j - beta q_j)` with `p`, `q` the softmaxes
 * of `(1 + beta) x` and `beta x` over the (unmasked) negatives.
 *
 * @param pos Positive logits `[B]`.
 * @param neg Negative logits `[B, N]`.
 * @param B Batch size.
 * @param N Negatives.
 * @param options Corrections.
 * @returns Loss and gradients.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sampledSoftmaxLoss } from "./ops_losses.ts";
 * const r = sampledSoftmaxLoss(Float32Array.of(0), Float32Array.of(0), 1, 1);
 * ok(Math.abs(r.loss - Math.log(2)) < 1e-6);
 * ```
 */
export function sampledSoftmaxLoss(
  pos: Float32Array,
  neg: Float32Array,
  B: number,
  N: number,
  options: SampledSoftmaxOptions = {},
): SampledSoftmaxResult {
  const beta = options.beta ?? 0;
  const gradPositive = new Float32Array(B);
  const gradNegative = new Float32Array(B * N);
  const hits = options.accidentalHits;
  let loss = 0;
  const z = new Float64Array(N);
  if (beta === 0 && options.exp) {
    // Shift each row [positive, negatives] by its maximum, exponentiate in bulk.
    const W = N + 1, lqn = options.logQNegative, lqp = options.logQPositive;
    const shifted = new Float32Array(B * W);
    const maxes = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      const base = b * N, row = b * W;
      const z0 = pos[b] - (lqp ? lqp[b] : 0);
      let m = z0;
      for (let j = 0; j < N; j++) {
        const v = hits && hits[base + j] ? -Infinity : neg[base + j] - (lqn ? lqn[j] : 0);
        z[j] = v;
        if (v > m) m = v;
      }
      maxes[b] = m;
      shifted[row] = z0 - m;
      for (let j = 0; j < N; j++) shifted[row + 1 + j] = z[j] - m;
    }
    const e = options.exp(shifted);
    for (let b = 0; b < B; b++) {
      const row = b * W, base = b * N;
      let sum = 0;
      for (let j = 0; j < W; j++) sum += e[row + j];
      loss += -shifted[row] + Math.log(sum);
      gradPositive[b] = (e[row] / sum - 1) / B;
      const f = 1 / (sum * B);
      for (let j = 0; j < N; j++) gradNegative[base + j] = e[row + 1 + j] * f;
    }
    return { loss: loss / B, gradPositive, gradNegative };
  }
  for (let b = 0; b < B; b++) {
    const base = b * N;
    if (beta > 0) {
      continue; // all rows at once below
    } else {
      const lqn = options.logQNegative;
      const z0 = pos[b] - (options.logQPositive?.[b] ?? 0);
      let m = z0;
      for (let j = 0; j < N; j++) {
        const v = hits && hits[base + j] ? -Infinity : neg[base + j] - (lqn ? lqn[j] : 0);
        z[j] = v;
        if (v > m) m = v;
      }
      const e0 = Math.exp(z0 - m);
      let sum = e0;
      for (let j = 0; j < N; j++) {
        const e = Math.exp(z[j] - m);
        z[j] = e;
        sum += e;
      }
      loss += -(z0 - m) + Math.log(sum);
      gradPositive[b] = (e0 / sum - 1) / B;
      const f = 1 / (sum * B);
      for (let j = 0; j < N; j++) gradNegative[base + j] = z[j] * f;
    }
  }
  if (beta > 0) loss = interestAwareLoss(pos, neg, B, N, beta, options, gradPositive, gradNegative);
  return { loss: loss / B, gradPositive, gradNegative };
}

/**
 * REMI's IHN loss for all rows (summed, not averaged); fills the gradients (already / B).
 *
 * Per row, with `m` the row maximum over the positive and the negatives and
 * `mn` the maximum over the negatives only (as REMI's code normalises its
 * weights): `a_j = e^{x_j - m}`, `w_j = e^{beta (x_j - mn)}`, `W = sum w_j`
 * (>= 1, so it never underflows), `T = sum a_j w_j`, `G = n T / W` (the
 * re-weighted negative mass times `e^{-m}`), loss `= -(x0 - m) + log(e^{x0-m} + G)`,
 * `dG/dx_j = n w_j / W ((1 + beta) a_j - beta T / W)`. The denominator is at
 * least 1 (its largest term is the one at the row maximum), so a positive far
 * above every negative gives a loss and gradients of about 0, not 0/0.
 */
function interestAwareLoss(
  pos: Float32Array,
  neg: Float32Array,
  B: number,
  N: number,
  beta: number,
  options: SampledSoftmaxOptions,
  gradPositive: Float32Array,
  gradNegative: Float32Array,
): number {
  const hits = options.accidentalHits;
  const exp = options.exp ?? ((x: Float32Array) => x.map(Math.exp));
  // Exponentiate x_j - m and beta (x_j - mn) for every negative in bulk.
  const maxes = new Float64Array(B);
  const scaled = new Float32Array(2 * B * N);
  for (let b = 0; b < B; b++) {
    const base = b * N;
    let mn = -Infinity;
    for (let j = 0; j < N; j++) {
      if (!(hits && hits[base + j]) && neg[base + j] > mn) mn = neg[base + j];
    }
    const m = Math.max(pos[b], mn);
    maxes[b] = m;
    for (let j = 0; j < N; j++) {
      const hit = hits !== undefined && hits[base + j] === 1;
      scaled[base + j] = hit ? -Infinity : neg[base + j] - m;
      scaled[B * N + base + j] = hit ? -Infinity : beta * (neg[base + j] - mn);
    }
  }
  const e = exp(scaled);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const base = b * N, m = maxes[b], x0 = pos[b];
    let T = 0, W = 0, count = 0;
    for (let j = 0; j < N; j++) {
      if (hits && hits[base + j]) continue;
      count++;
      T += e[base + j] * e[B * N + base + j];
      W += e[B * N + base + j];
    }
    const G = count > 0 ? count * T / W : 0;
    const e0 = Math.exp(x0 - m);
    const denom = e0 + G;
    loss += -(x0 - m) + Math.log(denom);
    gradPositive[b] = (-1 + e0 / denom) / B;
    if (count === 0) continue;
    const f = count / (W * denom * B), tw = beta * T / W;
    for (let j = 0; j < N; j++) {
      if (hits && hits[base + j]) continue;
      gradNegative[base + j] = f * e[B * N + base + j] * ((1 + beta) * e[base + j] - tw);
    }
  }
  return loss;
}
