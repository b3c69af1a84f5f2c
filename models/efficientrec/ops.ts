/**
 * EfficientRec's triplet loss, written once with its backward (checked by
 * finite differences in `model_test.ts`): with vectors given as parts that
 * concatenate (features, IDs), `mean_b relu(margin + |a-p|^2 - |a-n|^2)`.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * Triplet loss over concatenated parts, each `[B, width_part]`.
 *
 * @param tape The tape.
 * @param anchor Anchor parts.
 * @param positive Positive parts (same widths).
 * @param negative Negative parts.
 * @param margin The margin.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { tripletLoss } from "./ops.ts";
 * const t = (v: number) => [new Tensor(Float32Array.of(v), [1, 1])];
 * ok(tripletLoss(new Tape(new TypeScriptBackend()), t(0), t(0), t(2), 1).data[0] === 0);
 * ```
 */
export function tripletLoss(
  tape: Tape,
  anchor: readonly Tensor[],
  positive: readonly Tensor[],
  negative: readonly Tensor[],
  margin: number,
): Tensor {
  const B = anchor[0].shape[0];
  const active = new Uint8Array(B);
  let sum = 0;
  for (let b = 0; b < B; b++) {
    let v = margin;
    anchor.forEach((a, k) => {
      const w = a.size / B, p = positive[k], n = negative[k];
      for (let j = b * w; j < (b + 1) * w; j++) {
        v += (a.data[j] - p.data[j]) ** 2 - (a.data[j] - n.data[j]) ** 2;
      }
    });
    if (v > 0) {
      active[b] = 1;
      sum += v;
    }
  }
  const all = [...anchor, ...positive, ...negative];
  const y = new Tensor(Float32Array.of(sum / B), [1], all.some((t) => t.requiresGrad));
  return tape.custom(y, (g) => {
    const s = g[0] / B;
    anchor.forEach((a, k) => {
      const w = a.size / B, p = positive[k], n = negative[k];
      const ga = a.requiresGrad ? a.gradient() : null;
      const gp = p.requiresGrad ? p.gradient() : null;
      const gn = n.requiresGrad ? n.gradient() : null;
      for (let b = 0; b < B; b++) {
        if (!active[b]) continue;
        for (let j = b * w; j < (b + 1) * w; j++) {
          const dp = a.data[j] - p.data[j], dn = a.data[j] - n.data[j];
          if (ga) ga[j] += 2 * s * (dp - dn);
          if (gp) gp[j] -= 2 * s * dp;
          if (gn) gn[j] += 2 * s * dn;
        }
      }
    });
  });
}
