/**
 * Threads for graph propagation: a pool of Deno workers sharing memory with
 * the calling thread. {@linkcode RowPool.run} cuts a pass's rows into chunks
 * that the calling thread and the workers take from a shared counter (so a
 * thread the scheduler holds back leaves its share to the others), blocks
 * until every chunk is done, and returns: training stays synchronous. Each
 * output row is computed whole by one thread with the same operations as on
 * one thread, so neither the thread count nor which thread took a chunk
 * changes a bit.
 *
 * Arrays a pass reads or writes must live in a `SharedArrayBuffer`
 * ({@linkcode sharedFloats}); `close()` ends the workers.
 *
 * @module
 */
import {
  type CsrArrays,
  type RowMessage,
  type RowTask,
  runRows,
  takeChunks,
} from "./_row_kernels.ts";

/** How long the calling thread waits for a worker's rows before giving up. */
const WAIT_MS = 600_000;

/**
 * A zero-filled float array in shared memory.
 *
 * @param length Values.
 * @returns The array.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sharedFloats } from "./row_pool.ts";
 * ok(sharedFloats(3).buffer instanceof SharedArrayBuffer);
 * ```
 */
export function sharedFloats(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(4 * length));
}

/**
 * `values` itself when it is already in shared memory, else a shared copy.
 *
 * @param values Floats.
 * @returns Shared floats with the same values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { shareFloats } from "./row_pool.ts";
 * ok(shareFloats(Float32Array.of(1, 2)).join() === "1,2");
 * ```
 */
export function shareFloats(values: Float32Array): Float32Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const out = sharedFloats(values.length);
  out.set(values);
  return out;
}

/**
 * A pool of `threads - 1` workers plus the calling thread.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { RowPool, sharedFloats } from "./row_pool.ts";
 * const pool = new RowPool(2);
 * try {
 *   const a = pool.share({ ptr: Int32Array.of(0, 1, 2), index: Int32Array.of(1, 0), weights: Float32Array.of(2, 3) });
 *   const x = sharedFloats(2), out = sharedFloats(2);
 *   x.set([1, 10]);
 *   pool.run({ op: "product", a, x, out, dim: 1 }, a.ptr);
 *   ok(out.join() === "20,3");
 * } finally {
 *   pool.close();
 * }
 * ```
 */
export class RowPool {
  /** Threads used, the calling one included. */
  readonly threads: number;
  #workers: Worker[] = [];
  #chunkRows: number | undefined;
  #shared = new WeakMap<object, CsrArrays>();
  #scratch: Float32Array[] = [];

  /**
   * @param threads Threads, the calling one included (1 runs everything inline).
   * @param options `chunkRows`: rows per chunk (default: about 32 chunks per
   *   thread, at least 64 rows).
   */
  constructor(threads: number, options: { chunkRows?: number } = {}) {
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`RowPool: threads must be a positive integer, got ${threads}`);
    }
    this.threads = threads;
    this.#chunkRows = options.chunkRows;
    for (let k = 1; k < threads; k++) {
      this.#workers.push(
        new Worker(new URL("./_row_worker.ts", import.meta.url).href, { type: "module" }),
      );
    }
  }

  /**
   * The matrix in shared memory (copied once per matrix object and cached).
   *
   * @param a A CSR matrix.
   * @returns Its arrays, shared.
   */
  share(a: CsrArrays): CsrArrays {
    let s = this.#shared.get(a);
    if (!s) {
      if (this.threads === 1) s = a;
      else {
        const ptr = new Int32Array(new SharedArrayBuffer(4 * a.ptr.length));
        const index = new Int32Array(new SharedArrayBuffer(4 * a.index.length));
        ptr.set(a.ptr);
        index.set(a.index);
        s = { ptr, index, weights: shareFloats(a.weights) };
      }
      this.#shared.set(a, s);
    }
    return s;
  }

  /**
   * A work array kept by the pool and handed out again on the next call with
   * the same `slot` (fresh memory costs page faults on every batch): shared
   * when threads > 1, its contents left over from the last use. Use it only
   * for values that do not outlive the call that asked for it.
   *
   * @param slot Which work array.
   * @param length Values.
   * @returns The array.
   */
  scratch(slot: number, length: number): Float32Array {
    let s = this.#scratch[slot];
    if (!s || s.length !== length) {
      s = this.#scratch[slot] = this.threads > 1 ? sharedFloats(length) : new Float32Array(length);
    }
    return s;
  }

  /**
   * Runs a pass over every row: the calling thread and the workers take
   * chunks of rows until none is left; returns when all are done.
   *
   * @param task The pass (its arrays shared when threads > 1).
   * @param ptr Row pointers of the matrix whose rows are cut.
   */
  run(task: RowTask, ptr: Int32Array): void {
    this.runOver(task, ptr.length - 1);
  }

  /**
   * Runs a pass over rows `0 .. rows` (a pass not cut along a matrix's rows,
   * such as Adam's dense table update), as {@linkcode RowPool.run} does.
   *
   * @param task The pass (its arrays shared when threads > 1).
   * @param rows Rows.
   */
  runOver(task: RowTask, rows: number): void {
    if (this.threads === 1) {
      runRows(task, 0, rows);
      return;
    }
    if (this.#workers.length === 0) throw new Error("RowPool.run(): the pool is closed");
    const chunk = this.#chunkRows ?? Math.max(64, Math.ceil(rows / (32 * this.threads)));
    const chunks = Math.ceil(rows / chunk);
    // Fresh counters for each pass: a worker reaching an old pass late finds no chunk left.
    const counters = new Int32Array(new SharedArrayBuffer(12));
    const message: RowMessage = { task, rows, chunk, counters };
    for (const w of this.#workers) w.postMessage(message);
    takeChunks(message);
    for (let done = Atomics.load(counters, 1); done < chunks; done = Atomics.load(counters, 1)) {
      if (Atomics.load(counters, 2)) break;
      if (Atomics.wait(counters, 1, done, WAIT_MS) === "timed-out") {
        throw new Error(`RowPool.run(): ${task.op} was not done in ${WAIT_MS} ms`);
      }
    }
    if (Atomics.load(counters, 2)) {
      throw new Error(`RowPool.run(): a worker failed on ${task.op} (its error is logged)`);
    }
  }

  /** Ends the workers (idempotent). */
  close(): void {
    for (const w of this.#workers) w.terminate();
    this.#workers = [];
    this.#scratch = [];
  }
}
