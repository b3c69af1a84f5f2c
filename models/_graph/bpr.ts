/**
 * Bayesian personalised ranking (Rendle et al., UAI 2009): the batch mean of
 * `-log sigmoid(pos - neg)`, computed stably as `softplus(neg - pos)`, and the
 * L2 term of LightGCN's code on the batch's layer-0 embeddings.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { type EmbeddingTable, Tensor } from "../engine/tensor.ts";

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
 * import { type EmbeddingTable, Tensor } from "../engine/tensor.ts";
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

/**
 * BPR-MF's whole batch loss on its two tables in one operation:
 * `bprLoss(u·p, u·n) + l2Penalty([u, p, n])` with `u`, `p`, `n` the batch's
 * rows, without copying the rows out. Every value and gradient is rounded and
 * summed in the same order as the composed tape operations (`gather`,
 * `rowDot`, `bprLoss`, `l2Penalty`), so training is bit-identical to them (a
 * test compares both); it is only faster.
 *
 * @param tape The tape.
 * @param tables `users` and `items` (the same width).
 * @param batch BPR triples.
 * @param l2 The L2 weight.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { EmbeddingTable } from "../engine/tensor.ts";
 * import { bprTableLoss } from "./bpr.ts";
 * const users = new EmbeddingTable(new Float32Array(2), 1, 2);
 * const items = new EmbeddingTable(new Float32Array(4), 2, 2);
 * const batch = { users: Int32Array.of(0), positives: Int32Array.of(0), negatives: Int32Array.of(1), size: 1 };
 * ok(Math.abs(bprTableLoss(new Tape(new TypeScriptBackend()), { users, items }, batch, 0).data[0] - Math.LN2) < 1e-6);
 * ```
 */
export function bprTableLoss(
  tape: Tape,
  tables: { users: EmbeddingTable; items: EmbeddingTable },
  batch: { users: Int32Array; positives: Int32Array; negatives: Int32Array; size: number },
  l2: number,
): Tensor {
  const { users, items } = tables;
  const d = users.dim, B = batch.size;
  if (items.dim !== d) throw new TypeError(`bprTableLoss(): widths ${d} and ${items.dim} differ`);
  const U = users.data, I = items.data;
  const pos = new Float32Array(B), neg = new Float32Array(B), sig = new Float64Array(B);
  // The dot products and the three sums of squares (sumAll(mul(t, t)) of each
  // gathered tensor: rows in batch order) in one pass over the rows.
  let loss = 0, qu = 0, qp = 0, qn = 0;
  for (let b = 0; b < B; b++) {
    const u = batch.users[b] * d, p = batch.positives[b] * d, n = batch.negatives[b] * d;
    let dp = 0, dn = 0;
    for (let j = 0; j < d; j++) {
      const x = U[u + j], y = I[p + j], z = I[n + j];
      dp += x * y;
      dn += x * z;
      qu += Math.fround(x * x);
      qp += Math.fround(y * y);
      qn += Math.fround(z * z);
    }
    pos[b] = dp;
    neg[b] = dn;
  }
  for (let b = 0; b < B; b++) {
    const x = neg[b] - pos[b];
    loss += x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    sig[b] = 1 / (1 + Math.exp(-x));
  }
  const su = Math.fround(qu), sp = Math.fround(qp), sn = Math.fround(qn);
  const factor = l2 / (2 * B);
  const reg = Math.fround(factor * Math.fround(su + sp + sn));
  const y = new Tensor(Float32Array.of(Math.fround(loss / B) + reg), [1], true);
  return tape.custom(y, (g) => {
    // What the composed operations' backward passes produce, element by element:
    // L2 first (twice, as mul(t, t) does), then the dot products' terms.
    const top = Math.fround(g[0]);
    const s2 = Math.fround(Math.fround(top * factor));
    const s = top / B;
    // bprLoss' gradients of the two dot products, stored as float32 as the tape does.
    const gPos = new Float32Array(B), gNeg = new Float32Array(B);
    for (let b = 0; b < B; b++) {
      gPos[b] = 0 - s * sig[b];
      gNeg[b] = 0 + s * sig[b];
    }
    const ug = users.grad, ig = items.grad;
    // gather(n) backward runs first, then gather(p), then gather(u); each
    // element's gradient is L2 (twice, as mul(t, t) adds it), then the dots.
    for (let b = 0; b < B; b++) {
      const u = batch.users[b] * d, r = batch.negatives[b], n = r * d, gn = gNeg[b];
      for (let j = 0; j < d; j++) {
        const x = I[n + j];
        const v = Math.fround(Math.fround(s2 * x) + s2 * x);
        ig[n + j] += Math.fround(v + gn * U[u + j]);
      }
      items.touch(r);
    }
    for (let b = 0; b < B; b++) {
      const u = batch.users[b] * d, r = batch.positives[b], p = r * d, gp = gPos[b];
      for (let j = 0; j < d; j++) {
        const x = I[p + j];
        const v = Math.fround(Math.fround(s2 * x) + s2 * x);
        ig[p + j] += Math.fround(v + gp * U[u + j]);
      }
      items.touch(r);
    }
    for (let b = 0; b < B; b++) {
      const r = batch.users[b], u = r * d, gn = gNeg[b], gp = gPos[b];
      const p = batch.positives[b] * d, n = batch.negatives[b] * d;
      for (let j = 0; j < d; j++) {
        const x = U[u + j];
        const v = Math.fround(Math.fround(s2 * x) + s2 * x);
        ug[u + j] += Math.fround(Math.fround(v + gn * I[n + j]) + gp * I[p + j]);
      }
      users.touch(r);
    }
  });
}
