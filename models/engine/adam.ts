/**
 * Adam for dense parameters and embedding tables. A table is updated either
 * densely (every row each step, as TensorFlow's and PyTorch's Adam do: rows
 * the batch did not touch still see their moments decay and keep moving) or
 * row-wise lazily (only the rows the batch touched, as TensorFlow's LazyAdam
 * and PyTorch's SparseAdam do). The bias correction uses the global step.
 *
 * Before updating, every gradient the step reads is checked: a NaN or an
 * infinity stops training with a {@linkcode NonFiniteError} naming the
 * tensor and the iteration, instead of poisoning the parameters.
 *
 * The dense table pass is one loop over the four arrays (value, gradient and
 * the two moments). It stays in TypeScript on purpose: measured at Books size
 * (367,982 x 64), that loop took 181 ms a step while the same update as an
 * ONNX Runtime graph (12 element-wise nodes, 2 threads, pre-allocated and
 * in-place outputs tried) took 1,116-1,302 ms, and a single ONNX Runtime
 * `Add` of two such arrays 125-148 ms against 69 ms in TypeScript (load
 * average 5-7 on 2 cores; `deno task bench:speed --items 367982`). Rows that
 * never received a gradient have zero moments and do not move, so they are
 * skipped.
 *
 * @module
 */
import type { RowPool } from "../_graph/row_pool.ts";
import { adamRow, adamRows, type AdamRowsTask } from "./_adam_rows.ts";
import type { EmbeddingTable, Tensor } from "./tensor.ts";
import {
  type Checkpointable,
  stateArray,
  stateList,
  stateNumber,
  stateRecord,
  type TrainingState,
} from "./checkpoint.ts";

/**
 * Tables smaller than this many values (2^20) are updated on the calling thread:
 * handing a pass to a worker costs more than it saves there (measured with
 * `bench:speed`: 3,650 x 64 took 1.9 ms on one thread and 6.4 ms on two at
 * load average 31 on 2 cores).
 */
export const THREADED_TABLE_VALUES: number = 1 << 20;

/** How embedding tables are updated. */
export type TableUpdate = "dense" | "lazy";

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
  /** Every row of a table each step (`"dense"`) or only the touched rows (`"lazy"`). @default {"lazy"} */
  tables?: TableUpdate;
  /**
   * Threads for the dense table update (rows shared out, each row updated
   * whole by one thread: no bit depends on the thread count). Used when the
   * pool has more than one thread, the table holds at least 2^20 values and
   * its values and gradient live in shared memory (`sharedFloats` of
   * `models/_graph/row_pool.ts`); otherwise the calling thread updates every row.
   */
  pool?: RowPool;
}

/**
 * A NaN or infinity in the loss or a gradient: names the tensor and the
 * training iteration where it first appeared.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { NonFiniteError } from "./adam.ts";
 * ok(new NonFiniteError("loss", 3).message.includes("iteration 3"));
 * ```
 */
export class NonFiniteError extends RangeError {
  /**
   * @param tensor The loss or the parameter whose gradient is not finite.
   * @param iteration The training iteration (1-based).
   * @param detail Where in the tensor, or its value.
   */
  constructor(readonly tensor: string, readonly iteration: number, detail = "") {
    super(
      `Non-finite ${
        tensor === "loss" ? "loss" : `gradient of "${tensor}"`
      } at iteration ${iteration}${detail ? ` (${detail})` : ""}`,
    );
    this.name = "NonFiniteError";
  }
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
export class Adam implements Checkpointable {
  readonly #dense: { t: Tensor; m: Float32Array; v: Float32Array }[];
  readonly #tables: { e: EmbeddingTable; mv: Float32Array; live: Uint8Array }[];
  readonly #o: Required<Omit<AdamOptions, "pool">>;
  readonly #pool: RowPool | undefined;
  #step = 0;

  /**
   * @param dense Dense parameters.
   * @param tables Embedding tables.
   * @param options Settings.
   */
  constructor(dense: Tensor[], tables: EmbeddingTable[], options: AdamOptions = {}) {
    const { pool, ...rest } = options;
    this.#o = { lr: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, tables: "lazy", ...rest };
    this.#pool = pool;
    const shared = pool !== undefined && pool.threads > 1;
    if (this.#o.tables !== "dense" && this.#o.tables !== "lazy") {
      throw new RangeError(`Adam: tables must be "dense" or "lazy", got "${this.#o.tables}"`);
    }
    this.#dense = dense.map((t) => ({
      t,
      m: new Float32Array(t.size),
      v: new Float32Array(t.size),
    }));
    // A table's two moments share one array, row by row ([m of row r ; v of row r]),
    // so an update reads one place per row instead of two.
    this.#tables = tables.map((e) => ({
      e,
      mv: shared
        ? new Float32Array(new SharedArrayBuffer(8 * e.data.length))
        : new Float32Array(2 * e.data.length),
      live: shared ? new Uint8Array(new SharedArrayBuffer(e.rows)) : new Uint8Array(e.rows),
    }));
  }

  /** Steps taken. */
  get steps(): number {
    return this.#step;
  }

  /**
   * The step count and every moment (copies), for a checkpoint.
   *
   * @returns Named values.
   */
  checkpointState(): TrainingState {
    return {
      steps: this.#step,
      dense: this.#dense.map(({ m, v }) => ({ m: m.slice(), v: v.slice() })),
      tables: this.#tables.map(({ mv, live }) => ({ mv: mv.slice(), live: live.slice() })),
    };
  }

  /**
   * Puts back a state from `checkpointState` of an Adam over the same parameters.
   *
   * @param state The saved state.
   */
  restoreState(state: TrainingState): void {
    const dense = stateList(state.dense, "Adam dense moments", this.#dense.length);
    const tables = stateList(state.tables, "Adam table moments", this.#tables.length);
    this.#dense.forEach(({ t, m, v }, i) => {
      const s = stateRecord(dense[i], `Adam moments ${i}`);
      const what = `Adam moments of "${t.name || `dense parameter ${i}`}"`;
      m.set(stateArray(s.m, Float32Array, what, m.length));
      v.set(stateArray(s.v, Float32Array, what, v.length));
    });
    this.#tables.forEach(({ e, mv, live }, i) => {
      const s = stateRecord(tables[i], `Adam table ${i}`);
      const what = `Adam moments of "${e.name || `table ${i}`}"`;
      mv.set(stateArray(s.mv, Float32Array, what, mv.length));
      live.set(stateArray(s.live, Uint8Array, what, live.length));
    });
    this.#step = stateNumber(state.steps, "Adam steps");
  }

  /**
   * Checks every gradient the next step reads, then applies them and clears them.
   *
   * @throws {NonFiniteError} When a gradient holds a NaN or an infinity (nothing is updated).
   */
  step(): void {
    this.#check();
    this.#step++;
    const { lr, beta1, beta2, epsilon } = this.#o;
    const c1 = 1 - beta1 ** this.#step, c2 = 1 - beta2 ** this.#step;
    const alpha = lr * Math.sqrt(c2) / c1;
    const b1 = 1 - beta1, b2 = 1 - beta2, floor = epsilon * Math.sqrt(c2);
    for (const { t, m, v } of this.#dense) {
      if (!t.grad) continue;
      const x = t.data, g = t.grad;
      for (let i = 0; i < t.size; i++) {
        const gi = g[i];
        m[i] = beta1 * m[i] + b1 * gi;
        v[i] = beta2 * v[i] + b2 * gi * gi;
        x[i] -= alpha * m[i] / (Math.sqrt(v[i]) + floor);
      }
      t.grad.fill(0);
    }
    for (const { e, mv, live } of this.#tables) {
      const task: AdamRowsTask = {
        op: "adam-rows",
        x: e.data,
        g: e.grad,
        mv,
        live,
        dim: e.dim,
        beta1,
        beta2,
        alpha,
        floor,
      };
      const touched = e.touchedRows();
      if (this.#o.tables === "lazy") {
        for (const r of touched) adamRow(task, r);
      } else {
        for (const r of touched) live[r] = 2;
        if (
          this.#pool && this.#pool.threads > 1 && isShared(task) &&
          e.data.length >= THREADED_TABLE_VALUES
        ) {
          this.#pool.runOver(task, e.rows);
        } else adamRows(task, 0, e.rows);
      }
      e.forgetTouched();
    }
  }

  #check(): void {
    const iteration = this.#step + 1;
    for (const [n, { t }] of this.#dense.entries()) {
      const g = t.grad;
      if (!g) continue;
      for (let i = 0; i < g.length; i++) {
        if (!Number.isFinite(g[i])) {
          throw new NonFiniteError(
            t.name || `dense parameter ${n}`,
            iteration,
            `index ${i}: ${g[i]}`,
          );
        }
      }
    }
    for (const [n, { e }] of this.#tables.entries()) {
      const d = e.dim, g = e.grad;
      for (const r of e.touchedRows()) {
        for (let i = r * d; i < (r + 1) * d; i++) {
          if (!Number.isFinite(g[i])) {
            throw new NonFiniteError(e.name || `table ${n}`, iteration, `row ${r}: ${g[i]}`);
          }
        }
      }
    }
  }
}

function isShared(task: AdamRowsTask): boolean {
  return [task.x, task.g, task.mv, task.live].every((a) => a.buffer instanceof SharedArrayBuffer);
}
