/**
 * Adam for dense parameters and row-wise lazy Adam for embedding tables: a
 * table's moments and values change only in the rows the batch touched (as
 * TensorFlow's LazyAdam and PyTorch's SparseAdam do); the bias correction uses
 * the global step.
 *
 * @module
 */
import type { EmbeddingTable, Tensor } from "./tensor.ts";

/** Adam settings. */
export interface AdamOptions {
  /** Learning rate. @default {0.001} */
  lr?: number;
  /** First-moment decay. @default {0.9} */
  beta1?: number;
  /** Second-moment decay. @default {0.999} */
  beta2?: number;
  /** Numerical floor. @default {1e-8} */
  epsilon?: number;
}

/**
 * Adam over a fixed set of dense tensors and embedding tables.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Adam } from "./adam.ts";
 * import { Tensor } from "./tensor.ts";
 * const w = new Tensor(Float32Array.of(1), [1], true);
 * const opt = new Adam([w], [], { lr: 0.1 });
 * w.gradient()[0] = 1;
 * opt.step();
 * ok(Math.abs(w.data[0] - 0.9) < 1e-6);
 * ```
 */
export class Adam {
  readonly #dense: { t: Tensor; m: Float32Array; v: Float32Array }[];
  readonly #tables: { e: EmbeddingTable; mv: Float32Array }[];
  readonly #o: Required<AdamOptions>;
  #step = 0;

  /**
   * @param dense Dense parameters.
   * @param tables Embedding tables.
   * @param options Settings.
   */
  constructor(dense: Tensor[], tables: EmbeddingTable[], options: AdamOptions = {}) {
    this.#o = { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...options };
    this.#dense = dense.map((t) => ({
      t,
      m: new Float32Array(t.size),
      v: new Float32Array(t.size),
    }));
    // A table's two moments share one array, row by row ([m of row r ; v of row r]),
    // so a sparse update reads one place per row instead of two.
    this.#tables = tables.map((e) => ({ e, mv: new Float32Array(2 * e.data.length) }));
  }

  /** Steps taken. */
  get steps(): number {
    return this.#step;
  }

  /** Applies the gradients, then clears them. */
  step(): void {
    this.#step++;
    const { lr, beta1, beta2, epsilon } = this.#o;
    const c1 = 1 - beta1 ** this.#step, c2 = 1 - beta2 ** this.#step;
    const alpha = lr * Math.sqrt(c2) / c1;
    const b1 = 1 - beta1, b2 = 1 - beta2, floor = epsilon * Math.sqrt(c2);
    const update = (
      x: Float32Array,
      g: Float32Array,
      m: Float32Array,
      v: Float32Array,
      from: number,
      to: number,
    ) => {
      for (let i = from; i < to; i++) {
        const gi = g[i];
        m[i] = beta1 * m[i] + b1 * gi;
        v[i] = beta2 * v[i] + b2 * gi * gi;
        x[i] -= alpha * m[i] / (Math.sqrt(v[i]) + floor);
      }
    };
    for (const { t, m, v } of this.#dense) {
      if (!t.grad) continue;
      update(t.data, t.grad, m, v, 0, t.size);
      t.grad.fill(0);
    }
    for (const { e, mv } of this.#tables) {
      const d = e.dim, x = e.data, g = e.grad;
      for (const r of e.touchedRows()) {
        // The update reads each gradient once and zeroes it in the same pass.
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
      e.forgetTouched();
    }
  }
}
