/**
 * A propagation worker: for each pass the pool posts, takes chunks of rows
 * (`takeChunks` of `_row_kernels.ts`) until none is left, over shared memory.
 *
 * @module
 */
import { type RowMessage, takeChunks } from "./_row_kernels.ts";

globalThis.addEventListener("message", (event: Event) => {
  const message = (event as MessageEvent<RowMessage>).data;
  try {
    takeChunks(message);
  } catch (error) {
    console.error(
      `models/_graph/_row_worker.ts: ${message.task.op} failed (the calling thread throws):`,
      error,
    );
  }
});
