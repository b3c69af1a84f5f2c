/**
 * PIMIRec's own tape operations, each with a hand-written backward checked by
 * finite differences in `ops_test.ts`: a row lookup in a dense table (the
 * time-interval embeddings), the star graph's neighbourhood of every item
 * node, and the centre node's key set. Also the time-interval matrix (no
 * gradient).
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * Rows `ids` of a dense `[rows, width]` parameter (the gradient is added back
 * into the looked-up rows).
 *
 * @param tape The tape.
 * @param table `[rows, width]`.
 * @param ids Row ids, each in `[0, rows)`.
 * @returns `[ids.length, width]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { gatherRows } from "./ops.ts";
 * const t = new Tensor(Float32Array.of(1, 2, 3, 4), [2, 2]);
 * deepStrictEqual([...gatherRows(new Tape(new TypeScriptBackend()), t, Int32Array.of(1, 1)).data], [3, 4, 3, 4]);
 * ```
 */
export function gatherRows(tape: Tape, table: Tensor, ids: Int32Array): Tensor {
  const w = table.shape[1], rows = table.shape[0];
  const out = new Float32Array(ids.length * w);
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (!(id >= 0 && id < rows)) {
      throw new RangeError(`gatherRows(): id ${id} at ${r} is outside [0, ${rows})`);
    }
    out.set(table.data.subarray(id * w, (id + 1) * w), r * w);
  }
  const y = new Tensor(out, [ids.length, w], table.requiresGrad);
  return tape.custom(y, (g) => {
    if (!table.requiresGrad) return;
    const gt = table.gradient();
    for (let r = 0; r < ids.length; r++) {
      const src = r * w, dst = ids[r] * w;
      for (let j = 0; j < w; j++) gt[dst + j] += g[src + j];
    }
  });
}

/**
 * Attention mass per bucket: `y[r, t] = sum of a[r, j] over the j with
 * ids[r, j] = t` (PIMIRec's `sum_j a_ij T[m_ij]` is `y T`, without gathering
 * a row of `T` for every pair).
 *
 * @param tape The tape.
 * @param a Weights `[R, J]`.
 * @param ids Buckets `[R, J]`, each in `[0, buckets)`.
 * @param shape Rows `R` and the bucket count.
 * @returns `[R, buckets]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { bucketSum } from "./ops.ts";
 * const a = new Tensor(Float32Array.of(0.25, 0.5, 0.25), [1, 3]);
 * deepStrictEqual([...bucketSum(new Tape(new TypeScriptBackend()), a, Int32Array.of(1, 0, 1), { rows: 1, buckets: 2 }).data], [0.5, 0.5]);
 * ```
 */
export function bucketSum(
  tape: Tape,
  a: Tensor,
  ids: Int32Array,
  shape: { rows: number; buckets: number },
): Tensor {
  const { rows: R, buckets } = shape;
  if (ids.length !== a.size) {
    throw new TypeError(`bucketSum(): ${ids.length} ids for ${a.size} weights`);
  }
  const J = a.size / R;
  const out = new Float32Array(R * buckets);
  for (let r = 0; r < R; r++) {
    for (let j = 0; j < J; j++) {
      const t = ids[r * J + j];
      if (!(t >= 0 && t < buckets)) {
        throw new RangeError(`bucketSum(): id ${t} at [${r}, ${j}] is outside [0, ${buckets})`);
      }
      out[r * buckets + t] += a.data[r * J + j];
    }
  }
  const y = new Tensor(out, [R, buckets], a.requiresGrad);
  return tape.custom(y, (g) => {
    if (!a.requiresGrad) return;
    const ga = a.gradient();
    for (let r = 0; r < R; r++) {
      for (let j = 0; j < J; j++) ga[r * J + j] += g[r * buckets + ids[r * J + j]];
    }
  });
}

/**
 * The key set of every item node of PIMIRec's star graph (the authors' code:
 * each item links to its predecessor, itself and the centre node, and also
 * attends to its own input embedding): for node `l` of row `b`, the rows
 * `[node[b, l-1] (zero for l = 0), node[b, l], center[b], input[b, l]]`, all
 * zero where `mask` is 0.
 *
 * @param tape The tape.
 * @param node Node states `[B * L, d]`.
 * @param center Centre states `[B, d]`.
 * @param input Item plus position embeddings `[B * L, d]`.
 * @param mask `[B, L]` 0/1.
 * @returns `[B * L * 4, d]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { starNeighbours } from "./ops.ts";
 * const t = (v: number[], s: number[]) => new Tensor(Float32Array.from(v), s);
 * const y = starNeighbours(new Tape(new TypeScriptBackend()), t([1, 2], [2, 1]), t([9], [1, 1]),
 *   t([5, 6], [2, 1]), Uint8Array.of(1, 1));
 * deepStrictEqual([...y.data], [0, 1, 9, 5, 1, 2, 9, 6]);
 * ```
 */
export function starNeighbours(
  tape: Tape,
  node: Tensor,
  center: Tensor,
  input: Tensor,
  mask: Uint8Array,
): Tensor {
  const B = center.shape[0], d = center.size / B, L = mask.length / B;
  if (node.size !== B * L * d || input.size !== node.size) {
    throw new TypeError(
      `starNeighbours(): node ${node.size} and input ${input.size} must be B*L*d = ${B * L * d}`,
    );
  }
  const out = new Float32Array(B * L * 4 * d);
  for (let b = 0; b < B; b++) {
    for (let l = 0; l < L; l++) {
      if (!mask[b * L + l]) continue;
      const o = (b * L + l) * 4 * d, n = (b * L + l) * d;
      if (l > 0) out.set(node.data.subarray(n - d, n), o);
      out.set(node.data.subarray(n, n + d), o + d);
      out.set(center.data.subarray(b * d, (b + 1) * d), o + 2 * d);
      out.set(input.data.subarray(n, n + d), o + 3 * d);
    }
  }
  const y = new Tensor(
    out,
    [B * L * 4, d],
    node.requiresGrad || center.requiresGrad || input.requiresGrad,
  );
  return tape.custom(y, (g) => {
    const gn = node.requiresGrad ? node.gradient() : undefined;
    const gc = center.requiresGrad ? center.gradient() : undefined;
    const gi = input.requiresGrad ? input.gradient() : undefined;
    for (let b = 0; b < B; b++) {
      for (let l = 0; l < L; l++) {
        if (!mask[b * L + l]) continue;
        const o = (b * L + l) * 4 * d, n = (b * L + l) * d;
        for (let j = 0; j < d; j++) {
          if (gn) {
            if (l > 0) gn[n - d + j] += g[o + j];
            gn[n + j] += g[o + d + j];
          }
          if (gc) gc[b * d + j] += g[o + 2 * d + j];
          if (gi) gi[n + j] += g[o + 3 * d + j];
        }
      }
    }
  });
}

/**
 * The centre node's key set: `[center[b], node[b, 0], ..., node[b, L-1]]`
 * for every row (padded nodes included, as zero rows, as the authors' code).
 *
 * @param tape The tape.
 * @param center `[B, d]`.
 * @param node `[B * L, d]`.
 * @returns `[B * (L + 1), d]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { prependRow } from "./ops.ts";
 * const y = prependRow(new Tape(new TypeScriptBackend()), new Tensor(Float32Array.of(9), [1, 1]),
 *   new Tensor(Float32Array.of(1, 2), [2, 1]));
 * deepStrictEqual([...y.data], [9, 1, 2]);
 * ```
 */
export function prependRow(tape: Tape, center: Tensor, node: Tensor): Tensor {
  const B = center.shape[0], d = center.size / B, L = node.size / (B * d);
  if (!Number.isInteger(L)) {
    throw new TypeError(`prependRow(): node size ${node.size} is not a multiple of B*d = ${B * d}`);
  }
  const out = new Float32Array(B * (L + 1) * d);
  for (let b = 0; b < B; b++) {
    out.set(center.data.subarray(b * d, (b + 1) * d), b * (L + 1) * d);
    out.set(node.data.subarray(b * L * d, (b + 1) * L * d), (b * (L + 1) + 1) * d);
  }
  const y = new Tensor(out, [B * (L + 1), d], center.requiresGrad || node.requiresGrad);
  return tape.custom(y, (g) => {
    for (let b = 0; b < B; b++) {
      const o = b * (L + 1) * d;
      if (center.requiresGrad) {
        const gc = center.gradient();
        for (let j = 0; j < d; j++) gc[b * d + j] += g[o + j];
      }
      if (node.requiresGrad) {
        const gn = node.gradient();
        for (let j = 0; j < L * d; j++) gn[b * L * d + j] += g[o + d + j];
      }
    }
  });
}

/**
 * PIMIRec's time-interval matrix (the authors' data iterator): each event's
 * day `round((t - t0) / 86400)` with `t0` the first time in the row's window,
 * and for every pair of unpadded positions `min(|day_i - day_j|, span)`; 0
 * wherever either position is padding.
 *
 * @param times `[B, L]` seconds.
 * @param mask `[B, L]` 0/1.
 * @param options Rows `batch` and the largest interval `span` (longer ones are clipped).
 * @returns `[B, L, L]` interval buckets in `[0, span]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { timeIntervals } from "./ops.ts";
 * const m = timeIntervals(Float64Array.of(0, 86400 * 3), Uint8Array.of(1, 1), { batch: 1, span: 2 });
 * deepStrictEqual([...m], [0, 2, 2, 0]);
 * ```
 */
export function timeIntervals(
  times: Float64Array,
  mask: Uint8Array,
  options: { batch: number; span: number },
): Int32Array {
  const B = options.batch, L = mask.length / B, span = options.span;
  const out = new Int32Array(B * L * L);
  const day = new Float64Array(L);
  for (let b = 0; b < B; b++) {
    let t0 = Infinity;
    for (let l = 0; l < L; l++) if (mask[b * L + l]) t0 = Math.min(t0, times[b * L + l]);
    for (let l = 0; l < L; l++) day[l] = Math.round((times[b * L + l] - t0) / 86400);
    for (let i = 0; i < L; i++) {
      if (!mask[b * L + i]) continue;
      for (let j = 0; j < L; j++) {
        if (!mask[b * L + j]) continue;
        out[(b * L + i) * L + j] = Math.min(Math.abs(day[i] - day[j]), span);
      }
    }
  }
  return out;
}
