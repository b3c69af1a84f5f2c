/**
 * Peak resident memory. Of one grid cell, sampled: Deno keeps `/proc/self`
 * behind `--allow-all`, so the runner samples `Deno.memoryUsage().rss` at
 * every progress callback of fit and evaluation and keeps the maximum
 * ({@linkcode PeakMemory}). Of a whole benchmark process, exact: the kernel's
 * high-water mark ({@linkcode kernelPeakRssMiB}), for scripts run with
 * `--allow-all` or `--allow-run=cat`.
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

/**
 * The kernel's high-water mark of this process's resident memory (`VmHWM` in
 * `/proc/self/status`), MiB: the true peak, transient buffers included, not a
 * sample. Deno lets a script read `/proc/self` only under `--allow-all`; with
 * `--allow-run=cat` it is read through `cat /proc/<pid>/status` instead.
 *
 * @returns The peak in MiB, or NaN where neither way is allowed (or not Linux).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { kernelPeakRssMiB } from "./memory.ts";
 * const peak = await kernelPeakRssMiB();
 * ok(Number.isNaN(peak) || peak > 0);
 * ```
 */
export async function kernelPeakRssMiB(): Promise<number> {
  let status = "";
  try {
    status = await Deno.readTextFile("/proc/self/status");
  } catch {
    try {
      const out = await new Deno.Command("cat", { args: [`/proc/${Deno.pid}/status`] }).output();
      status = new TextDecoder().decode(out.stdout);
    } catch {
      return NaN;
    }
  }
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}
