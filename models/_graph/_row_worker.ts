/**
 * A propagation worker: runs the row kernels of `_row_kernels.ts` on the rows
 * it is given, over shared memory, then raises its flag (`1` done, `-1`
 * failed) for the thread waiting in {@linkcode RowPool.run}.
 *
 * @module
 */
import { type RowTask, runRows } from "./_row_kernels.ts";

/** What the pool posts: a task, the rows, and where to signal. */
export interface RowMessage {
  /** The pass. */
  task: RowTask;
  /** First row. */
  from: number;
  /** End row (exclusive). */
  to: number;
  /** Shared flags, one per worker. */
  done: Int32Array;
  /** This worker's flag. */
  slot: number;
}

globalThis.addEventListener("message", (event: Event) => {
  const { task, from, to, done, slot } = (event as MessageEvent<RowMessage>).data;
  let status = 1;
  try {
    runRows(task, from, to);
  } catch (error) {
    status = -1;
    console.error(`models/_graph/_row_worker.ts: ${task.op} rows ${from}-${to} failed:`, error);
  }
  Atomics.store(done, slot, status);
  Atomics.notify(done, slot);
});
