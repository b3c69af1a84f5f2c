/**
 * IDSF's hand-written operations, each with a finite-difference test in
 * `ops_test.ts`:
 *
 * - {@linkcode attentionPool}: masked dot-product attention over parts of an
 *   item (the hierarchical attention's two levels); a masked part (a missing
 *   modality) gets no weight, and a row with every part masked is zero.
 * - {@linkcode shareId}: a modality graph's layer 0, keeping a share `alpha`
 *   of the ID embedding for items that have the modality (the ID alone otherwise).
 * - {@linkcode modalityGraph}: one modality's light GCN with the ID share
 *   added back at every layer (a composition of checked operations).
 * - {@linkcode infoNce}: symmetric InfoNCE on cosine similarity between two
 *   modality representations of the same items, other items in the batch as
 *   negatives.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { SparseMatrix } from "../_graph/graph.ts";
import { spmm } from "../_graph/propagate.ts";

/**
 * `out[n] = sum_m a[n, m] parts[m][n]`, `a[n] = softmax_m(parts[m][n] . q)`
 * over the parts with `mask[n * M + m] = 1`.
 *
 * @param tape The tape.
 * @param parts M tensors `[N, d]`.
 * @param q Query `[d]`.
 * @param mask `[N * M]`, 1 where the part exists.
 * @returns `[N, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { attentionPool } from "./ops.ts";
 * const t = new Tape(new TypeScriptBackend());
 * const y = attentionPool(t, [new Tensor(Float32Array.of(2), [1, 1]),
 *   new Tensor(Float32Array.of(4), [1, 1])], new Tensor(Float32Array.of(0), [1]), Uint8Array.of(1, 1));
 * ok(y.data[0] === 3);
 * ```
 */
export function attentionPool(tape: Tape, parts: Tensor[], q: Tensor, mask: Uint8Array): Tensor {
  const M = parts.length, d = q.size, N = parts[0].size / d;
  if (mask.length !== N * M) {
    throw new TypeError(`attentionPool(): mask has ${mask.length} entries, want ${N * M}`);
  }
  for (const p of parts) {
    if (p.size !== N * d) throw new TypeError(`attentionPool(): a part has ${p.size} values`);
  }
  const att = new Float64Array(N * M), out = new Float32Array(N * d);
  for (let n = 0; n < N; n++) {
    let max = -Infinity;
    for (let m = 0; m < M; m++) {
      if (!mask[n * M + m]) continue;
      let s = 0;
      for (let j = 0; j < d; j++) s += parts[m].data[n * d + j] * q.data[j];
      att[n * M + m] = s;
      max = Math.max(max, s);
    }
    let z = 0;
    for (let m = 0; m < M; m++) {
      if (mask[n * M + m]) z += att[n * M + m] = Math.exp(att[n * M + m] - max);
    }
    for (let m = 0; m < M; m++) {
      if (!mask[n * M + m]) continue;
      const a = att[n * M + m] /= z;
      for (let j = 0; j < d; j++) out[n * d + j] += a * parts[m].data[n * d + j];
    }
  }
  const y = new Tensor(out, [N, d], q.requiresGrad || parts.some((p) => p.requiresGrad));
  return tape.custom(y, (g) => {
    const gq = q.requiresGrad ? q.gradient() : null;
    const da = new Float64Array(M);
    for (let n = 0; n < N; n++) {
      // da_m = g . h_m; ds_m = a_m (da_m - sum_k a_k da_k)
      let mean = 0;
      for (let m = 0; m < M; m++) {
        if (!mask[n * M + m]) continue;
        let s = 0;
        for (let j = 0; j < d; j++) s += g[n * d + j] * parts[m].data[n * d + j];
        da[m] = s;
        mean += att[n * M + m] * s;
      }
      for (let m = 0; m < M; m++) {
        if (!mask[n * M + m]) continue;
        const a = att[n * M + m], ds = a * (da[m] - mean), h = parts[m];
        const gh = h.requiresGrad ? h.gradient() : null;
        for (let j = 0; j < d; j++) {
          if (gh) gh[n * d + j] += a * g[n * d + j] + ds * q.data[j];
          if (gq) gq[j] += ds * h.data[n * d + j];
        }
      }
    }
  });
}

/**
 * A modality graph's layer 0: user rows (`0..offset`) copied from `ego`,
 * item `i` as `alpha ego[offset + i] + (1 - alpha) h[i]` where
 * `present[i]`, else `ego[offset + i]`.
 *
 * @param tape The tape.
 * @param ego ID embeddings, users then items `[offset + N, d]`.
 * @param h Modality vectors `[N, d]`.
 * @param options `alpha`, `present` (length N) and `offset` (users).
 * @returns `[offset + N, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { shareId } from "./ops.ts";
 * const y = shareId(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(1, 2, 2), [3, 1]),
 *   new Tensor(Float32Array.of(4, 4), [2, 1]), { alpha: 0.5, present: Uint8Array.of(1, 0), offset: 1 });
 * ok(y.data.join() === "1,3,2");
 * ```
 */
export function shareId(
  tape: Tape,
  ego: Tensor,
  h: Tensor,
  options: { alpha: number; present: Uint8Array; offset: number },
): Tensor {
  const { alpha, present, offset } = options;
  const N = present.length, d = h.size / N;
  if (ego.size !== (offset + N) * d) {
    throw new TypeError(`shareId(): ego has ${ego.size} values, want ${(offset + N) * d}`);
  }
  const out = ego.data.slice();
  for (let i = 0; i < N; i++) {
    if (!present[i]) continue;
    const o = (offset + i) * d;
    for (let j = 0; j < d; j++) {
      out[o + j] = alpha * ego.data[o + j] + (1 - alpha) * h.data[i * d + j];
    }
  }
  const y = new Tensor(out, [offset + N, d], ego.requiresGrad || h.requiresGrad);
  return tape.custom(y, (g) => {
    if (ego.requiresGrad) {
      const ge = ego.gradient();
      for (let r = 0; r < offset + N; r++) {
        const keep = r >= offset && present[r - offset] ? alpha : 1;
        for (let j = 0; j < d; j++) ge[r * d + j] += keep * g[r * d + j];
      }
    }
    if (h.requiresGrad) {
      const gh = h.gradient();
      for (let i = 0; i < N; i++) {
        if (!present[i]) continue;
        const o = (offset + i) * d;
        for (let j = 0; j < d; j++) gh[i * d + j] += (1 - alpha) * g[o + j];
      }
    }
  });
}

/**
 * Symmetric InfoNCE between rows of `a` and `b` (`B` items, the same item in
 * the same row): cosine similarities over `temperature`, the mean of the
 * a-to-b and b-to-a cross-entropies of the matching row.
 *
 * @param tape The tape.
 * @param a `[B, d]`.
 * @param b `[B, d]`.
 * @param temperature tau.
 * @returns A scalar.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { infoNce } from "./ops.ts";
 * const x = new Tensor(Float32Array.of(1, 0, 0, 1), [2, 2]);
 * ok(infoNce(new Tape(new TypeScriptBackend()), x, x, 0.1).data[0] < 1e-3);
 * ```
 */
export function infoNce(tape: Tape, a: Tensor, b: Tensor, temperature: number): Tensor {
  const d = a.shape[a.shape.length - 1], B = a.size / d;
  if (b.size !== a.size) throw new TypeError(`infoNce(): ${a.size} and ${b.size} values`);
  const unit = (x: Float32Array) => {
    const z = new Float32Array(x.length), norm = new Float64Array(B);
    for (let i = 0; i < B; i++) {
      let s = 1e-12;
      for (let j = 0; j < d; j++) s += x[i * d + j] ** 2;
      norm[i] = Math.sqrt(s);
      for (let j = 0; j < d; j++) z[i * d + j] = x[i * d + j] / norm[i];
    }
    return { z, norm };
  };
  const ua = unit(a.data), ub = unit(b.data);
  const S = tape.backend.gemm(ua.z, ub.z, B, d, B, { transB: true });
  for (let i = 0; i < S.length; i++) S[i] /= temperature;
  // P: row softmax (a -> b), Q: column softmax (b -> a).
  const P = new Float64Array(B * B), Q = new Float64Array(B * B);
  let loss = 0;
  for (let i = 0; i < B; i++) {
    let mr = -Infinity, mc = -Infinity;
    for (let k = 0; k < B; k++) {
      mr = Math.max(mr, S[i * B + k]);
      mc = Math.max(mc, S[k * B + i]);
    }
    let zr = 0, zc = 0;
    for (let k = 0; k < B; k++) {
      zr += P[i * B + k] = Math.exp(S[i * B + k] - mr);
      zc += Q[k * B + i] = Math.exp(S[k * B + i] - mc);
    }
    for (let k = 0; k < B; k++) {
      P[i * B + k] /= zr;
      Q[k * B + i] /= zc;
    }
    loss += (mr + Math.log(zr) - S[i * B + i]) + (mc + Math.log(zc) - S[i * B + i]);
  }
  const y = new Tensor(Float32Array.of(loss / (2 * B)), [1], a.requiresGrad || b.requiresGrad);
  return tape.custom(y, (g) => {
    const c = g[0] / (2 * B * temperature);
    const dS = new Float32Array(B * B);
    for (let i = 0; i < B; i++) {
      for (let k = 0; k < B; k++) {
        dS[i * B + k] = c * (P[i * B + k] + Q[i * B + k] - (i === k ? 2 : 0));
      }
    }
    const dza = tape.backend.gemm(dS, ub.z, B, B, d);
    const dzb = tape.backend.gemm(dS, ua.z, B, B, d, { transA: true });
    // Through x / |x|: dx = (dz - z (z . dz)) / |x|.
    const back = (x: Tensor, u: { z: Float32Array; norm: Float64Array }, dz: Float32Array) => {
      if (!x.requiresGrad) return;
      const gx = x.gradient();
      for (let i = 0; i < B; i++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += u.z[i * d + j] * dz[i * d + j];
        for (let j = 0; j < d; j++) {
          gx[i * d + j] += (dz[i * d + j] - u.z[i * d + j] * dot) / u.norm[i];
        }
      }
    };
    back(a, ua, dza);
    back(b, ub, dzb);
  });
}

/**
 * One modality's light GCN of the structure module: `x[l + 1] = A x[l] +
 * gamma * ids` (the modality-specific ID embeddings added back at every
 * layer), read out as the mean of `x[0..layers]`. Composed of the tape's
 * checked operations and the shared `spmm`.
 *
 * @param tape The tape.
 * @param a The normalised user-item adjacency.
 * @param layer0 `x[0]`, users then items `[U + N, d]`.
 * @param ids The ID embeddings kept at every layer, `[U + N, d]`.
 * @param options `gamma` and `layers`.
 * @returns The readout `[U + N, d]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { modalityGraph } from "./ops.ts";
 * // One user-item edge of weight 1: x1 = [2 + 0.5, 1 + 0.5], readout = mean(x0, x1).
 * const a = { rows: 2, ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(1, 0), weights: Float32Array.of(1, 1) };
 * const y = modalityGraph(new Tape(new TypeScriptBackend()), a, new Tensor(Float32Array.of(1, 2), [2, 1]),
 *   new Tensor(Float32Array.of(1, 1), [2, 1]), { gamma: 0.5, layers: 1 });
 * ok(y.data.join() === "1.75,1.75");
 * ```
 */
export function modalityGraph(
  tape: Tape,
  a: SparseMatrix,
  layer0: Tensor,
  ids: Tensor,
  options: { gamma: number; layers: number },
): Tensor {
  if (ids.size !== layer0.size) {
    throw new TypeError(`modalityGraph(): ids have ${ids.size} values, layer 0 ${layer0.size}`);
  }
  const kept = tape.scale(ids, options.gamma);
  let x = layer0, sum = layer0;
  for (let l = 0; l < options.layers; l++) {
    x = tape.add(spmm(tape, a, x), kept);
    sum = tape.add(sum, x);
  }
  return tape.scale(sum, 1 / (options.layers + 1));
}
