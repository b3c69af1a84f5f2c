/**
 * Peak resident memory of one grid cell, sampled: Deno keeps `/proc/self`
 * behind `--allow-all`, so the kernel's high-water mark is out of reach, and
 * the runner instead samples `Deno.memoryUsage().rss` at every progress
 * callback of fit and evaluation and keeps the maximum.
 *
 * @module
 */

/**
 * The largest resident set size seen since construction.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { PeakMemory } from "./memory.ts";
 * const peak = new PeakMemory();
 * const big = new Float64Array(4_000_000).fill(1);
 * peak.sample();
 * ok(peak.mib > 0 && big[0] === 1);
 * ```
 */
export class PeakMemory {
  #bytes = 0;

  /** Starts with one sample. */
  constructor() {
    this.sample();
  }

  /** Takes a sample. */
  sample(): void {
    const rss = Deno.memoryUsage().rss;
    if (rss > this.#bytes) this.#bytes = rss;
  }

  /** The peak so far, MiB. */
  get mib(): number {
    return this.#bytes / 2 ** 20;
  }
}
