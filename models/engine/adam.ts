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
  readonly #tables: { e: EmbeddingTable; m: Float32Array; v: Float32Array }[];
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
    this.#tables = tables.map((e) => ({
      e,
      m: new Float32Array(e.data.length),
      v: new Float32Array(e.data.length),
    }));
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
    const update = (
      x: Float32Array,
      g: Float32Array,
      m: Float32Array,
      v: Float32Array,
      i: number,
    ) => {
      m[i] = beta1 * m[i] + (1 - beta1) * g[i];
      v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
      x[i] -= alpha * m[i] / (Math.sqrt(v[i]) + epsilon * Math.sqrt(c2));
    };
    for (const { t, m, v } of this.#dense) {
      if (!t.grad) continue;
      for (let i = 0; i < t.size; i++) update(t.data, t.grad, m, v, i);
      t.grad.fill(0);
    }
    for (const { e, m, v } of this.#tables) {
      const d = e.dim;
      for (const r of e.touchedRows()) {
        for (let i = r * d; i < (r + 1) * d; i++) update(e.data, e.grad, m, v, i);
      }
      e.clearGrad();
    }
  }
}
