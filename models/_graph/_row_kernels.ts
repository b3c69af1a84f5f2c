/**
 * The row kernels of graph propagation, shared by the main thread and the
 * propagation workers (`_row_worker.ts`): each computes the output rows
 * `[from, to)` of one pass and nothing else, so sharing the rows out between
 * threads changes no value (every row is computed whole, by one thread, in
 * the same order of operations).
 *
 * The fused LightGCN passes repeat, value by value, the float32 operations
 * the tape performs for `spmm`, `add` and `scale` composed
 * (`propagate_test.ts` checks the bits against that composition).
 *
 * @module
 */
import { adamRows, type AdamRowsTask } from "../engine/_adam_rows.ts";

/** A CSR matrix as the kernels read it. */
export interface CsrArrays {
  /** Row pointers. */
  ptr: Int32Array;
  /** Columns. */
  index: Int32Array;
  /** Values. */
  weights: Float32Array;
}

/** One pass over a range of rows (what a worker receives). */
export type RowTask =
  | AdamRowsTask
  | {
    /** `out = A x` (the plain product). */
    op: "product";
    a: CsrArrays;
    x: Float32Array;
    out: Float32Array;
    dim: number;
  }
  | {
    /**
     * Layer `layer` (1-based) of LightGCN's readout: `h = A prev`, then
     * `sum = (layer === 1 ? x : sum) + h`, and at the last layer
     * `sum = scale * sum`.
     */
    op: "forward-layer";
    a: CsrArrays;
    prev: Float32Array;
    h: Float32Array;
    x: Float32Array;
    sum: Float32Array;
    dim: number;
    layer: number;
    layers: number;
    scale: number;
  }
  | {
    /** The gradient reaching the top layer's output: `gh = 0 + (0 + scale * g)`. */
    op: "backward-seed";
    g: Float32Array;
    gh: Float32Array;
    dim: number;
    scale: number;
  }
  | {
    /**
     * Sends layer `layer`'s gradient `gh` one layer down: into `ghLower`
     * (layer >= 2) or into the input's gradient `gx` (layer 1).
     */
    op: "backward-layer";
    a: CsrArrays;
    g: Float32Array;
    gh: Float32Array;
    ghLower: Float32Array;
    gx: Float32Array;
    dim: number;
    layer: number;
    layers: number;
    scale: number;
  };

/**
 * Row `r` of `A x` into `out[o .. o + dim)` (rounded to float32 on store).
 * Eight columns at a time in local (double) accumulators: each value is the
 * same double sum, in the same order, as a plain loop over the row's
 * non-zeros gives, but V8 keeps the sums in registers (about twice as fast).
 */
function productRow(
  a: CsrArrays,
  x: Float32Array,
  dim: number,
  r: number,
  out: Float32Array,
  o: number,
): void {
  const { ptr, index, weights } = a;
  const from = ptr[r], to = ptr[r + 1], wide = dim - (dim % 8);
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

/**
 * The gradient of the `k`-th layer sum (`k = layers` is the readout's input),
 * as the tape builds it: `scale`'s backward adds `scale * g` into zeros, then
 * each `add` passes it down by adding it into zeros (`0 + v` turns `-0` into
 * `+0`, so the chain is repeated literally).
 */
function sumGradient(g: number, scale: number, k: number, layers: number): number {
  let v = Math.fround(0 + scale * g);
  for (let l = layers; l > k; l--) v = Math.fround(0 + v);
  return v;
}

/**
 * Runs `task` on rows `[from, to)`.
 *
 * @param task The pass.
 * @param from First row.
 * @param to End row (exclusive).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { runRows } from "./_row_kernels.ts";
 * const a = { ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(1, 0), weights: Float32Array.of(2, 3) };
 * const out = new Float32Array(2);
 * runRows({ op: "product", a, x: Float32Array.of(1, 10), out, dim: 1 }, 0, 2);
 * ok(out.join() === "20,3");
 * ```
 */
export function runRows(task: RowTask, from: number, to: number): void {
  const dim = task.dim;
  switch (task.op) {
    case "adam-rows":
      adamRows(task, from, to);
      return;
    case "product":
      for (let r = from; r < to; r++) productRow(task.a, task.x, dim, r, task.out, r * dim);
      return;
    case "forward-layer": {
      const { a, prev, h, x, sum, layer, layers, scale } = task;
      const base = layer === 1 ? x : sum, last = layer === layers;
      for (let r = from; r < to; r++) {
        const o = r * dim;
        productRow(a, prev, dim, r, h, o);
        for (let i = o; i < o + dim; i++) sum[i] = base[i] + h[i];
        if (last) { for (let i = o; i < o + dim; i++) sum[i] = scale * sum[i]; }
      }
      return;
    }
    case "backward-seed": {
      const { g, gh, scale } = task;
      for (let i = from * dim; i < to * dim; i++) {
        gh[i] = Math.fround(0 + Math.fround(0 + scale * g[i]));
      }
      return;
    }
    case "backward-layer": {
      const { a, g, gh, ghLower, gx, layer, layers, scale } = task;
      const back = new Float32Array(dim);
      for (let r = from; r < to; r++) {
        const o = r * dim;
        productRow(a, gh, dim, r, back, 0);
        if (layer >= 2) {
          // spmm's backward adds A gh into zeros; then add's backward adds the sum's gradient.
          for (let j = 0; j < dim; j++) {
            const i = o + j;
            ghLower[i] = Math.fround(0 + back[j]) + sumGradient(g[i], scale, layer - 1, layers);
          }
        } else {
          // The input's gradient: first the first add's share, then the first spmm's.
          for (let j = 0; j < dim; j++) {
            const i = o + j;
            gx[i] = Math.fround(gx[i] + sumGradient(g[i], scale, 1, layers)) + back[j];
          }
        }
      }
      return;
    }
  }
}

/** What the pool posts: a task and the shared counters of its chunks of rows. */
export interface RowMessage {
  /** The pass. */
  task: RowTask;
  /** Rows of the matrix. */
  rows: number;
  /** Rows per chunk. */
  chunk: number;
  /** `[next chunk to take, chunks done, failed (1)]`, fresh for each pass. */
  counters: Int32Array;
}

/**
 * Takes chunks of rows until none is left (the calling thread takes them
 * too: whichever thread is running does the work) and counts each one done.
 *
 * @param message The pass and its counters.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { takeChunks } from "./_row_kernels.ts";
 * const a = { ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(1, 0), weights: Float32Array.of(2, 3) };
 * const out = new Float32Array(2), counters = new Int32Array(3);
 * takeChunks({ task: { op: "product", a, x: Float32Array.of(1, 10), out, dim: 1 }, rows: 2, chunk: 1, counters });
 * ok(out.join() === "20,3" && counters[1] === 2);
 * ```
 */
export function takeChunks(message: RowMessage): void {
  const { task, rows, chunk, counters } = message;
  const chunks = Math.ceil(rows / chunk);
  for (let c = Atomics.add(counters, 0, 1); c < chunks; c = Atomics.add(counters, 0, 1)) {
    try {
      runRows(task, c * chunk, Math.min(rows, (c + 1) * chunk));
    } catch (error) {
      Atomics.store(counters, 2, 1);
      throw error;
    } finally {
      if (Atomics.add(counters, 1, 1) + 1 === chunks || Atomics.load(counters, 2)) {
        Atomics.notify(counters, 1);
      }
    }
  }
}
