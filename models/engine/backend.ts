/**
 * The compute seam of the training engine: dense products go through a
 * {@linkcode Backend}; everything element-wise runs in TypeScript on
 * `Float32Array`. The default backend is ONNX Runtime (`ort_backend.ts`); the
 * plain TypeScript backend here is the fallback and the reference in tests.
 * A tfjs-node backend would implement the same two methods.
 *
 * @module
 */

import type { GraphSpec } from "./onnx_proto.ts";

/** Transpose flags of a product. */
export interface ProductOptions {
  /** Use the transpose of A (A is stored `[k, m]`). @default {false} */
  transA?: boolean;
  /** Use the transpose of B (B is stored `[n, k]`). @default {false} */
  transB?: boolean;
}

/** Element-wise functions a backend computes in bulk (transcendentals are slow in plain JS). */
export type UnaryFunction = "tanh" | "sigmoid" | "exp";

/** Dense products and bulk element-wise functions. Results are new arrays; inputs are never modified. */
export interface Backend {
  /** Name recorded in results (`"onnxruntime"` or `"typescript"`). */
  readonly name: string;
  /** Threads used for products (fixed for determinism). */
  readonly threads: number;
  /**
   * `C[m, n] = op(A) op(B)`.
   *
   * @param a A, `[m, k]` (or `[k, m]` with transA).
   * @param b B, `[k, n]` (or `[n, k]` with transB).
   * @param m Rows of C.
   * @param k Inner size.
   * @param n Columns of C.
   * @param options Transpose flags.
   * @returns C, row-major.
   */
  gemm(
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    options?: ProductOptions,
  ): Float32Array;
  /**
   * Batched product: for each of `batch` pairs, `C_i[m, n] = op(A_i) op(B_i)`.
   *
   * @param a A, `[batch, m, k]` (or `[batch, k, m]` with transA).
   * @param b B, `[batch, k, n]` (or `[batch, n, k]` with transB).
   * @param batch Number of pairs.
   * @param m Rows of each C.
   * @param k Inner size.
   * @param n Columns of each C.
   * @param options Transpose flags.
   * @returns C, `[batch, m, n]`.
   */
  bmm(
    a: Float32Array,
    b: Float32Array,
    batch: number,
    m: number,
    k: number,
    n: number,
    options?: ProductOptions,
  ): Float32Array;
  /**
   * Applies `tanh`, `sigmoid` or `exp` to every value.
   *
   * @param fn The function.
   * @param x Input.
   * @returns A new array.
   */
  unary(fn: UnaryFunction, x: Float32Array): Float32Array;
  /**
   * Runs a fused graph built in the project (optional: backends without it get
   * the same computation composed from `gemm` and `unary` by the tape).
   *
   * @param name A stable name; the backend compiles `build()` once per name.
   * @param build Builds the graph.
   * @param feeds Inputs by name: values and dimensions.
   * @param outputs Output names to return, in order.
   * @returns The outputs.
   */
  runGraph?(
    name: string,
    build: () => GraphSpec,
    feeds: Record<string, readonly [Float32Array, readonly number[]]>,
    outputs: readonly string[],
  ): Float32Array[];
}

function gemmInto(
  a: Float32Array,
  aOff: number,
  b: Float32Array,
  bOff: number,
  c: Float32Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
  transA: boolean,
  transB: boolean,
): void {
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const av = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
      if (av === 0) continue;
      const row = cOff + i * n;
      if (transB) {
        for (let j = 0; j < n; j++) c[row + j] += av * b[bOff + j * k + p];
      } else {
        const bRow = bOff + p * n;
        for (let j = 0; j < n; j++) c[row + j] += av * b[bRow + j];
      }
    }
  }
}

/**
 * Plain TypeScript products: the fallback where ONNX Runtime cannot load,
 * and the reference the ONNX Runtime backend is tested against.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "./backend.ts";
 * const c = new TypeScriptBackend().gemm(Float32Array.of(1, 2), Float32Array.of(3, 4), 1, 2, 1);
 * deepStrictEqual([...c], [11]);
 * ```
 */
export class TypeScriptBackend implements Backend {
  readonly name = "typescript";
  readonly threads = 1;

  /** @inheritdoc */
  gemm(
    a: Float32Array,
    b: Float32Array,
    m: number,
    k: number,
    n: number,
    options: ProductOptions = {},
  ): Float32Array {
    const c = new Float32Array(m * n);
    gemmInto(a, 0, b, 0, c, 0, m, k, n, options.transA ?? false, options.transB ?? false);
    return c;
  }

  /** @inheritdoc */
  bmm(
    a: Float32Array,
    b: Float32Array,
    batch: number,
    m: number,
    k: number,
    n: number,
    options: ProductOptions = {},
  ): Float32Array {
    const c = new Float32Array(batch * m * n);
    for (let i = 0; i < batch; i++) {
      gemmInto(
        a,
        i * m * k,
        b,
        i * k * n,
        c,
        i * m * n,
        m,
        k,
        n,
        options.transA ?? false,
        options.transB ?? false,
      );
    }
    return c;
  }

  /** @inheritdoc */
  unary(fn: UnaryFunction, x: Float32Array): Float32Array {
    const y = new Float32Array(x.length);
    if (fn === "tanh") { for (let i = 0; i < x.length; i++) y[i] = Math.tanh(x[i]); }
    else if (fn === "sigmoid") {
      for (let i = 0; i < x.length; i++) {
        y[i] = 1 / (1 + Math.exp(-x[i]));
      }
    } else for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]);
    return y;
  }
}
