/**
 * The worker of `StopSignals` (`bench/checkpoint.ts`): listens for the stop
 * signals it is given and records the first one's number in shared memory,
 * where the training loop on the main thread reads it between two steps.
 *
 * @module
 */
/// <reference lib="deno.worker" />

self.onmessage = (
  event: MessageEvent<{ flag: SharedArrayBuffer; signals: [Deno.Signal, number][] }>,
) => {
  const flag = new Int32Array(event.data.flag);
  for (const [signal, number] of event.data.signals) {
    Deno.addSignalListener(signal, () => {
      Atomics.compareExchange(flag, 0, 0, number);
    });
  }
  self.postMessage("listening");
};
