/**
 * Graph propagation, written once for the whole `cf` family: a sparse-dense
 * product `Y = A X` recorded on the tape (its backward scatters
 * `dX[index[p]] += weights[p] * dY[row]`, so `A` need not be symmetric), and
 * LightGCN's layer-mean readout `(X + AX + A^2X + ... + A^L X) / (L + 1)`.
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { type EmbeddingTable, Tensor } from "../engine/tensor.ts";
import type { SparseMatrix } from "./graph.ts";

/**
 * `A X` on plain arrays (scoring, no tape).
 *
 * @param a The sparse matrix.
 * @param x Dense `[a.rows, dim]`.
 * @param dim Row width.
 * @returns `[a.rows, dim]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sparseProduct } from "./propagate.ts";
 * const a = { rows: 2, ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(1, 0),
 *   weights: Float32Array.of(2, 3) };
 * ok(sparseProduct(a, Float32Array.of(1, 10), 1).join() === "20,3");
 * ```
 */
export function sparseProduct(a: SparseMatrix, x: Float32Array, dim: number): Float32Array {
  const out = new Float32Array(a.rows * dim);
  const { ptr, index, weights } = a;
  const wide = dim - (dim % 8);
  for (let r = 0; r < a.rows; r++) {
    const from = ptr[r], to = ptr[r + 1], o = r * dim;
    // Eight columns at a time in local (double) accumulators: each value is
    // the same double sum, in the same order, as a plain loop over p gives,
    // but V8 keeps the sums in registers (about twice as fast).
    for (let j = 0; j < wide; j += 8) {
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
      for (let p = from; p < to; p++) {
        const w = weights[p], s = index[p] * dim + j;
        a0 += w * x[s];
        a1 += w * x[s + 1];
        a2 += w * x[s + 2];
        a3 += w * x[s + 3];
        a4 += w * x[s + 4];
        a5 += w * x[s + 5];
        a6 += w * x[s + 6];
        a7 += w * x[s + 7];
      }
      out[o + j] = a0;
      out[o + j + 1] = a1;
      out[o + j + 2] = a2;
      out[o + j + 3] = a3;
      out[o + j + 4] = a4;
      out[o + j + 5] = a5;
      out[o + j + 6] = a6;
      out[o + j + 7] = a7;
    }
    for (let j = wide; j < dim; j++) {
      let acc = 0;
      for (let p = from; p < to; p++) acc += weights[p] * x[index[p] * dim + j];
      out[o + j] = acc;
    }
  }
  return out;
}

/**
 * `A X` recorded on the tape. The backward sends `A^T dY` to `X` (computed
 * as `A dY` when the matrix says it is symmetric).
 *
 * @param tape The tape.
 * @param a The sparse matrix.
 * @param x `[a.rows, dim]`.
 * @returns `[a.rows, dim]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { spmm } from "./propagate.ts";
 * const tape = new Tape(new TypeScriptBackend());
 * const a = { rows: 1, ptr: Int32Array.of(0, 1), index: Int32Array.of(0), weights: Float32Array.of(3) };
 * const x = new Tensor(Float32Array.of(2), [1, 1], true);
 * tape.backward(tape.sumAll(spmm(tape, a, x)));
 * ok(x.grad![0] === 3);
 * ```
 */
export function spmm(tape: Tape, a: SparseMatrix, x: Tensor): Tensor {
  const dim = x.size / a.rows;
  if (!Number.isInteger(dim)) {
    throw new TypeError(`spmm(): ${x.size} values do not make ${a.rows} rows`);
  }
  const y = new Tensor(sparseProduct(a, x.data, dim), [a.rows, dim], x.requiresGrad);
  return tape.custom(y, (g) => {
    if (!x.requiresGrad) return;
    const gx = x.gradient();
    if (a.symmetric) {
      // A^T = A: the backward is the same (faster, gather-shaped) product.
      const back = sparseProduct(a, g, dim);
      for (let i = 0; i < back.length; i++) gx[i] += back[i];
      return;
    }
    const { ptr, index, weights } = a;
    for (let r = 0; r < a.rows; r++) {
      const o = r * dim;
      for (let p = ptr[r]; p < ptr[r + 1]; p++) {
        const w = weights[p], s = index[p] * dim;
        for (let j = 0; j < dim; j++) gx[s + j] += w * g[o + j];
      }
    }
  });
}

/**
 * LightGCN's readout: the mean of the layer outputs `A^l X`, `l = 0..layers`.
 *
 * @param tape The tape.
 * @param a The normalised adjacency.
 * @param x Layer-0 embeddings `[a.rows, dim]`.
 * @param layers Propagation layers L (0 gives `x` back).
 * @returns `[a.rows, dim]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { layerMean } from "./propagate.ts";
 * const a = { rows: 1, ptr: Int32Array.of(0, 1), index: Int32Array.of(0), weights: Float32Array.of(3) };
 * const y = layerMean(new Tape(new TypeScriptBackend()), a, new Tensor(Float32Array.of(1), [1, 1]), 1);
 * ok(y.data[0] === 2);
 * ```
 */
export function layerMean(tape: Tape, a: SparseMatrix, x: Tensor, layers: number): Tensor {
  let h = x, sum = x;
  for (let l = 0; l < layers; l++) {
    h = spmm(tape, a, h);
    sum = tape.add(sum, h);
  }
  return layers === 0 ? x : tape.scale(sum, 1 / (layers + 1));
}

/**
 * The rows of several embedding tables stacked into one tensor (users then
 * items for the graph); the backward adds into each table's rows and marks
 * the rows it reached as touched (all of them, when the graph is connected).
 *
 * @param tape The tape.
 * @param tables Tables of equal width.
 * @returns `[sum of rows, dim]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { EmbeddingTable } from "../engine/tensor.ts";
 * import { stackTables } from "./propagate.ts";
 * const a = new EmbeddingTable(Float32Array.of(1), 1, 1), b = new EmbeddingTable(Float32Array.of(2), 1, 1);
 * ok(stackTables(new Tape(new TypeScriptBackend()), [a, b]).data.join() === "1,2");
 * ```
 */
export function stackTables(tape: Tape, tables: readonly EmbeddingTable[]): Tensor {
  const dim = tables[0].dim;
  const rows = tables.reduce((s, t) => s + t.rows, 0);
  const out = new Float32Array(rows * dim);
  let offset = 0;
  for (const t of tables) {
    if (t.dim !== dim) throw new TypeError(`stackTables(): widths ${dim} and ${t.dim} differ`);
    out.set(t.data, offset);
    offset += t.data.length;
  }
  const y = new Tensor(out, [rows, dim], true);
  return tape.custom(y, (g) => {
    let base = 0;
    for (const t of tables) {
      for (let r = 0; r < t.rows; r++) {
        const o = base + r * dim;
        let any = false;
        for (let j = 0; j < dim; j++) {
          const v = g[o + j];
          if (v !== 0) {
            t.grad[r * dim + j] += v;
            any = true;
          }
        }
        if (any) t.touch(r);
      }
      base += t.data.length;
    }
  });
}

/**
 * Rows of a tensor by index (a gather from a tensor rather than a table).
 *
 * @param tape The tape.
 * @param x `[rows, dim]`.
 * @param ids Row ids.
 * @returns `[ids.length, dim]`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { takeRows } from "./propagate.ts";
 * const x = new Tensor(Float32Array.of(1, 2, 3), [3, 1]);
 * ok(takeRows(new Tape(new TypeScriptBackend()), x, Int32Array.of(2, 0)).data.join() === "3,1");
 * ```
 */
export function takeRows(tape: Tape, x: Tensor, ids: Int32Array): Tensor {
  const dim = x.shape[x.shape.length - 1];
  const out = new Float32Array(ids.length * dim);
  for (let i = 0; i < ids.length; i++) {
    out.set(x.data.subarray(ids[i] * dim, (ids[i] + 1) * dim), i * dim);
  }
  const y = new Tensor(out, [ids.length, dim], x.requiresGrad);
  return tape.custom(y, (g) => {
    if (!x.requiresGrad) return;
    const gx = x.gradient();
    for (let i = 0; i < ids.length; i++) {
      const s = ids[i] * dim;
      for (let j = 0; j < dim; j++) gx[s + j] += g[i * dim + j];
    }
  });
}
