/**
 * The row kernel of Adam's dense table update, shared by the calling thread
 * and the row-pool workers (`models/_graph/_row_kernels.ts` runs it there):
 * each call updates the rows `[from, to)` and nothing else, every row whole
 * and with the same operations, so the thread count changes no bit.
 *
 * @module
 */

/** One dense table update over a range of rows (what a worker receives). */
export interface AdamRowsTask {
  /** The task kind. */
  op: "adam-rows";
  /** Table values `[rows, dim]`. */
  x: Float32Array;
  /** Table gradient (read and zeroed on touched rows only). */
  g: Float32Array;
  /** Moments, row by row `[m of row r ; v of row r]`. */
  mv: Float32Array;
  /** Per row: 0 never touched (skipped), 1 live without gradient this step, 2 touched this step (set back to 1). */
  live: Uint8Array;
  /** Row width. */
  dim: number;
  /** First-moment decay. */
  beta1: number;
  /** Second-moment decay. */
  beta2: number;
  /** Step size with the bias corrections folded in. */
  alpha: number;
  /** epsilon with the second moment's bias correction folded in. */
  floor: number;
}

/**
 * Adam on rows `[from, to)` of a table: touched rows read and zero their
 * gradient; live rows without gradient get the same update with g = 0
 * (moments decay, the value keeps moving) without reading the gradient row.
 *
 * @param task The update.
 * @param from First row.
 * @param to End row (exclusive).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamRows } from "./_adam_rows.ts";
 * const x = Float32Array.of(1), g = Float32Array.of(1), mv = new Float32Array(2);
 * const live = Uint8Array.of(2);
 * adamRows({ op: "adam-rows", x, g, mv, live, dim: 1, beta1: 0.9, beta2: 0.999, alpha: 0.1, floor: 0 }, 0, 1);
 * ok(g[0] === 0 && live[0] === 1 && x[0] < 1);
 * ```
 */
export function adamRows(task: AdamRowsTask, from: number, to: number): void {
  const { x, mv, live, dim: d, beta1, beta2, alpha, floor } = task;
  for (let r = from; r < to; r++) {
    const state = live[r];
    if (state === 0) continue; // zero moments, zero gradient: nothing moves
    if (state === 2) {
      live[r] = 1;
      adamRow(task, r);
      continue;
    }
    for (let j = 0, i = r * d, k = 2 * r * d; j < d; j++, i++, k++) {
      // `+ 0` is the zero gradient's term (b1 * 0, b2 * 0 * 0), kept so the
      // rounding (and the sign of a zero) is the touched rows' formula.
      const m = Math.fround(beta1 * mv[k] + 0);
      const v = Math.fround(beta2 * mv[k + d] + 0);
      mv[k] = m;
      mv[k + d] = v;
      x[i] -= alpha * m / (Math.sqrt(v) + floor);
    }
  }
}

/**
 * Adam on one row with its gradient, zeroing the gradient as it reads it.
 *
 * @param task The update.
 * @param r The row.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { adamRow } from "./_adam_rows.ts";
 * const x = Float32Array.of(1), g = Float32Array.of(1), mv = new Float32Array(2);
 * adamRow({ op: "adam-rows", x, g, mv, live: Uint8Array.of(1), dim: 1, beta1: 0.9, beta2: 0.999, alpha: 0.1, floor: 0 }, 0);
 * ok(g[0] === 0 && x[0] < 1);
 * ```
 */
export function adamRow(task: AdamRowsTask, r: number): void {
  const { x, g, mv, dim: d, beta1, beta2, alpha, floor } = task;
  const b1 = 1 - beta1, b2 = 1 - beta2;
  for (let j = 0, i = r * d, k = 2 * r * d; j < d; j++, i++, k++) {
    const gi = g[i];
    g[i] = 0;
    // Rounded as the stored float32 moments are (the dense update reads them back).
    const m = Math.fround(beta1 * mv[k] + b1 * gi);
    const v = Math.fround(beta2 * mv[k + d] + b2 * gi * gi);
    mv[k] = m;
    mv[k + d] = v;
    x[i] -= alpha * m / (Math.sqrt(v) + floor);
  }
}
