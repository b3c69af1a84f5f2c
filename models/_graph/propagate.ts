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
import { RowPool, sharedFloats, shareFloats } from "./row_pool.ts";

/** The pool of one thread: every pass runs inline, on plain arrays. */
const INLINE = new RowPool(1);

/**
 * `A X` on plain arrays (scoring, no tape).
 *
 * @param a The sparse matrix.
 * @param x Dense `[a.rows, dim]`.
 * @param dim Row width.
 * @param options `pool`: threads to split the rows over (default: this thread).
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
export function sparseProduct(
  a: SparseMatrix,
  x: Float32Array,
  dim: number,
  options: { pool?: RowPool } = {},
): Float32Array {
  const pool = options.pool ?? INLINE;
  const shared = pool.threads > 1;
  const out = shared ? sharedFloats(a.rows * dim) : new Float32Array(a.rows * dim);
  const m = pool.share(a);
  pool.run({ op: "product", a: m, x: shared ? shareFloats(x) : x, out, dim }, m.ptr);
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
 * With a symmetric matrix the whole readout is one tape operation whose
 * passes (forward: one per layer; backward: a seed and one per layer) run
 * row-parallel on `options.pool`, each fusing the product with the sums and
 * the scaling; every value is the float32 result the composition
 * `spmm`/`add`/`scale` gives, bit for bit (see `propagate_test.ts`).
 *
 * @param tape The tape.
 * @param a The normalised adjacency.
 * @param x Layer-0 embeddings `[a.rows, dim]`.
 * @param layers Propagation layers L (0 gives `x` back).
 * @param options `pool`: threads to split the rows over (default: this thread).
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
export function layerMean(
  tape: Tape,
  a: SparseMatrix,
  x: Tensor,
  layers: number,
  options: { pool?: RowPool } = {},
): Tensor {
  if (layers === 0) return x;
  if (!a.symmetric) {
    let h = x, sum = x;
    for (let l = 0; l < layers; l++) {
      h = spmm(tape, a, h);
      sum = tape.add(sum, h);
    }
    return tape.scale(sum, 1 / (layers + 1));
  }
  const dim = x.size / a.rows;
  if (!Number.isInteger(dim)) {
    throw new TypeError(`layerMean(): ${x.size} values do not make ${a.rows} rows`);
  }
  const pool = options.pool ?? INLINE;
  const shared = pool.threads > 1;
  const alloc = (n: number) => shared ? sharedFloats(n) : new Float32Array(n);
  // Values that do not outlive this call go into the pool's work arrays
  // (fresh ones without a pool of its own): slot 0 the input, 1 and 2 the layers.
  const work = (slot: number, v?: Float32Array) => {
    if (v && !shared) return v; // one thread reads plain arrays as they are
    const s = options.pool ? pool.scratch(slot, x.size) : alloc(x.size);
    if (v) s.set(v);
    return s;
  };
  const m = pool.share(a), scale = 1 / (layers + 1), n = x.size;
  const x0 = work(0, x.data), sum = alloc(n);
  let prev = x0;
  for (let layer = 1; layer <= layers; layer++) {
    const h = work(1 + (layer % 2));
    pool.run({ op: "forward-layer", a: m, prev, h, x: x0, sum, dim, layer, layers, scale }, m.ptr);
    prev = h;
  }
  const y = new Tensor(sum, [a.rows, dim], x.requiresGrad);
  return tape.custom(y, (grad) => {
    if (!x.requiresGrad) return;
    const g = work(0, grad), gx = shared ? shareFloats(x.gradient()) : x.gradient();
    let slot = 1, gh = work(slot);
    pool.run({ op: "backward-seed", g, gh, dim, scale }, m.ptr);
    for (let layer = layers; layer >= 1; layer--) {
      if (layer >= 2) slot = 3 - slot;
      const ghLower = layer >= 2 ? work(slot) : gh;
      pool.run(
        { op: "backward-layer", a: m, g, gh, ghLower, gx, dim, layer, layers, scale },
        m.ptr,
      );
      gh = ghLower;
    }
    // A shared copy took the gradient's updates: it becomes the gradient.
    x.grad = gx;
  });
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
