/**
 * Values on the tape: a `Float32Array` with a shape and, once a backward pass
 * reaches it, a gradient of the same size.
 *
 * @module
 */

/**
 * A dense tensor (row-major).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Tensor } from "./tensor.ts";
 * const t = new Tensor(new Float32Array(6), [2, 3]);
 * ok(t.size === 6);
 * ```
 */
export class Tensor {
  /** Gradient, allocated on first use by the backward pass. */
  grad: Float32Array | null = null;
  /** A name for messages (the parameter's name in its model), or "". */
  name = "";

  /**
   * @param data Values.
   * @param shape Dimensions; their product must equal `data.length`.
   * @param requiresGrad Whether a backward pass should produce a gradient here.
   */
  constructor(
    readonly data: Float32Array,
    readonly shape: readonly number[],
    readonly requiresGrad = false,
  ) {
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== data.length) {
      throw new TypeError(`Tensor shape [${shape}] holds ${size} values, data has ${data.length}`);
    }
  }

  /** Number of values. */
  get size(): number {
    return this.data.length;
  }

  /**
   * The gradient, zero-filled on first access.
   *
   * @returns The gradient array.
   */
  gradient(): Float32Array {
    return this.grad ??= new Float32Array(this.data.length);
  }
}

/**
 * An embedding table updated sparsely: the backward pass adds into the rows a
 * batch touched and records them, so the optimiser visits only those rows.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { EmbeddingTable } from "./tensor.ts";
 * const e = new EmbeddingTable(new Float32Array(8), 4, 2);
 * e.touch(3);
 * ok(e.touchedRows().length === 1);
 * ```
 */
export class EmbeddingTable {
  /** Gradient rows (only touched rows are non-zero). */
  readonly grad: Float32Array;
  /** A name for messages (the table's name in its model), or "". */
  name = "";
  readonly #mark: Uint8Array;
  #touched: number[] = [];

  /**
   * @param data Values, `[rows, dim]`.
   * @param rows Number of rows.
   * @param dim Row width.
   */
  constructor(readonly data: Float32Array, readonly rows: number, readonly dim: number) {
    if (data.length !== rows * dim) {
      throw new TypeError(
        `EmbeddingTable ${rows}x${dim} needs ${rows * dim} values, got ${data.length}`,
      );
    }
    // The gradient shares memory between threads when the values do (threaded optimisers).
    this.grad = data.buffer instanceof SharedArrayBuffer
      ? new Float32Array(new SharedArrayBuffer(4 * data.length))
      : new Float32Array(data.length);
    this.#mark = new Uint8Array(rows);
  }

  /**
   * Records that a row received gradient.
   *
   * @param row Row index.
   */
  touch(row: number): void {
    if (this.#mark[row] === 0) {
      this.#mark[row] = 1;
      this.#touched.push(row);
    }
  }

  /**
   * Rows touched since the last {@linkcode EmbeddingTable.clearGrad}, ascending.
   *
   * @returns Row indices.
   */
  touchedRows(): Int32Array {
    return Int32Array.from(this.#touched).sort();
  }

  /** Forgets the touched rows; their gradients must already be zero (an optimiser zeroes as it reads). */
  forgetTouched(): void {
    for (const r of this.#touched) this.#mark[r] = 0;
    this.#touched = [];
  }

  /** Zeroes the touched rows' gradients and forgets them. */
  clearGrad(): void {
    const d = this.dim;
    for (const r of this.#touched) {
      this.grad.fill(0, r * d, (r + 1) * d);
      this.#mark[r] = 0;
    }
    this.#touched = [];
  }
}
