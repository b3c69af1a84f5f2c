/**
 * Bayesian personalised ranking (Rendle et al., UAI 2009): the batch mean of
 * `-log sigmoid(pos - neg)`, computed stably as `softplus(neg - pos)`, and the
 * L2 term of LightGCN's code on the batch's layer-0 embeddings.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * Mean BPR loss over a batch.
 *
 * @param tape The tape.
 * @param pos Positive scores `[B]`.
 * @param neg Negative scores `[B]`.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { bprLoss } from "./bpr.ts";
 * const l = bprLoss(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(0), [1]),
 *   new Tensor(Float32Array.of(0), [1]));
 * ok(Math.abs(l.data[0] - Math.LN2) < 1e-6);
 * ```
 */
export function bprLoss(tape: Tape, pos: Tensor, neg: Tensor): Tensor {
  const B = pos.size;
  if (neg.size !== B) throw new TypeError(`bprLoss(): ${B} positives, ${neg.size} negatives`);
  let sum = 0;
  const sig = new Float64Array(B); // sigmoid(neg - pos) = d loss / d neg
  for (let b = 0; b < B; b++) {
    const x = neg.data[b] - pos.data[b];
    sum += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    sig[b] = 1 / (1 + Math.exp(-x));
  }
  const y = new Tensor(Float32Array.of(sum / B), [1], pos.requiresGrad || neg.requiresGrad);
  return tape.custom(y, (g) => {
    const s = g[0] / B;
    if (pos.requiresGrad) {
      const gp = pos.gradient();
      for (let b = 0; b < B; b++) gp[b] -= s * sig[b];
    }
    if (neg.requiresGrad) {
      const gn = neg.gradient();
      for (let b = 0; b < B; b++) gn[b] += s * sig[b];
    }
  });
}

/**
 * `weight * sum(||x||²) / (2 B)` over some batch tensors (LightGCN's
 * `reg_loss`, `B` the batch size).
 *
 * @param tape The tape.
 * @param tensors The batch's layer-0 embeddings.
 * @param weight L2 weight (0 returns an empty-gradient zero).
 * @param batch B.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { l2Penalty } from "./bpr.ts";
 * const l = l2Penalty(new Tape(new TypeScriptBackend()), [new Tensor(Float32Array.of(2), [1])], 0.5, 1);
 * ok(l.data[0] === 1);
 * ```
 */
export function l2Penalty(
  tape: Tape,
  tensors: readonly Tensor[],
  weight: number,
  batch: number,
): Tensor {
  return tape.scale(
    tape.addScalars(...tensors.map((t) => sumOfSquares(tape, t))),
    weight / (2 * batch),
  );
}

/**
 * `sum(x²)` in one pass, with the same float rounding as `sumAll(mul(x, x))`
 * (each square rounded to float32, summed in double; the gradient added as
 * the two halves of the product rule), so results do not change with it.
 */
function sumOfSquares(tape: Tape, t: Tensor): Tensor {
  const x = t.data;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.fround(x[i] * x[i]);
  const y = new Tensor(Float32Array.of(s), [1], t.requiresGrad);
  return tape.custom(y, (g) => {
    if (!t.requiresGrad) return;
    const gt = t.gradient(), s = Math.fround(g[0]);
    for (let i = 0; i < x.length; i++) gt[i] += s * x[i];
    for (let i = 0; i < x.length; i++) gt[i] += s * x[i];
  });
}
