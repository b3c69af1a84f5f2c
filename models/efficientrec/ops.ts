/**
 * EfficientRec's triplet loss, written once with its backward (checked by
 * finite differences in `model_test.ts`). As the paper writes it, with
 * distances that are norms, not squared norms:
 * `mean_b max(m + ||a_b - p_b|| - ||a_b - n_b||, 0)`, `||.||` the Euclidean
 * norm (the authors' code: TensorFlow Addons' semi-hard triplet loss at its
 * defaults, margin 1 and, in the releases whose default metric is `L2`, the
 * Euclidean distance; see the README).
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * Triplet loss on Euclidean distances, `[B, width]` each.
 *
 * The gradient of `||x||` is `x / ||x||`; at `x = 0` (an anchor equal to its
 * positive, e.g. a user with a single item) the zero subgradient is used.
 *
 * @param tape The tape.
 * @param anchor Anchors.
 * @param positive Positives (same shape).
 * @param negative Negatives (same shape).
 * @param margin The margin `m`.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { tripletLoss } from "./ops.ts";
 * const t = (...v: number[]) => new Tensor(Float32Array.from(v), [1, v.length]);
 * // |a - p| = 0, |a - n| = 5 (a 3-4-5 triangle): max(1 + 0 - 5, 0) = 0; with margin 6: 1.
 * const tape = new Tape(new TypeScriptBackend());
 * ok(tripletLoss(tape, t(0, 0), t(0, 0), t(3, 4), 1).data[0] === 0);
 * ok(tripletLoss(tape, t(0, 0), t(0, 0), t(3, 4), 6).data[0] === 1);
 * ```
 */
export function tripletLoss(
  tape: Tape,
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  margin: number,
): Tensor {
  const B = anchor.shape[0], w = anchor.size / B;
  if (positive.size !== anchor.size || negative.size !== anchor.size) {
    throw new TypeError(
      `tripletLoss(): anchor, positive and negative sizes differ (${anchor.size}, ${positive.size}, ${negative.size})`,
    );
  }
  const a = anchor.data, p = positive.data, n = negative.data;
  const dPos = new Float64Array(B), dNeg = new Float64Array(B), active = new Uint8Array(B);
  let sum = 0;
  for (let b = 0; b < B; b++) {
    let sp = 0, sn = 0;
    for (let j = b * w; j < (b + 1) * w; j++) {
      sp += (a[j] - p[j]) ** 2;
      sn += (a[j] - n[j]) ** 2;
    }
    dPos[b] = Math.sqrt(sp);
    dNeg[b] = Math.sqrt(sn);
    const v = margin + dPos[b] - dNeg[b];
    if (v > 0) {
      active[b] = 1;
      sum += v;
    }
  }
  const grad = anchor.requiresGrad || positive.requiresGrad || negative.requiresGrad;
  const y = new Tensor(Float32Array.of(sum / B), [1], grad);
  return tape.custom(y, (g) => {
    const s = g[0] / B;
    const ga = anchor.requiresGrad ? anchor.gradient() : null;
    const gp = positive.requiresGrad ? positive.gradient() : null;
    const gn = negative.requiresGrad ? negative.gradient() : null;
    for (let b = 0; b < B; b++) {
      if (!active[b]) continue;
      const kp = dPos[b] > 0 ? s / dPos[b] : 0, kn = dNeg[b] > 0 ? s / dNeg[b] : 0;
      for (let j = b * w; j < (b + 1) * w; j++) {
        const up = kp * (a[j] - p[j]), un = kn * (a[j] - n[j]);
        if (ga) ga[j] += up - un;
        if (gp) gp[j] -= up;
        if (gn) gn[j] += un;
      }
    }
  });
}
