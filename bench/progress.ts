/**
 * A single progress line on stderr with an ETA, redrawn at most a few times a
 * second; silent when quiet or when stderr is not a terminal and `force` is off.
 *
 * @module
 */

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Print nothing. @default {false} */
  quiet?: boolean;
  /** Milliseconds between redraws. @default {250} */
  intervalMs?: number;
  /** Where to write. @default {Deno.stderr} */
  sink?: { writeSync(p: Uint8Array): number; isTerminal(): boolean };
}

/**
 * Progress over a known number of units of work.
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const p = new Progress(4, { quiet: true });
 * p.update(1, 0.5, "itemknn on synthetic");
 * p.done();
 * ```
 */
export class Progress {
  readonly #total: number;
  readonly #quiet: boolean;
  readonly #interval: number;
  readonly #sink: NonNullable<ProgressOptions["sink"]>;
  readonly #start = performance.now();
  readonly #tty: boolean;
  #last = 0;
  #width = 0;

  /**
   * @param total Units of work (grid cells).
   * @param options Quiet, redraw interval, sink.
   */
  constructor(total: number, options: ProgressOptions = {}) {
    this.#total = Math.max(1, total);
    this.#quiet = options.quiet ?? false;
    this.#interval = options.intervalMs ?? 250;
    this.#sink = options.sink ?? Deno.stderr;
    this.#tty = this.#sink.isTerminal();
  }

  /**
   * Reports progress.
   *
   * @param doneUnits Units finished.
   * @param fraction Fraction of the current unit finished.
   * @param label What is running.
   */
  update(doneUnits: number, fraction: number, label: string): void {
    if (this.#quiet) return;
    const now = performance.now();
    if (now - this.#last < this.#interval) return;
    this.#last = now;
    const share = Math.min(1, (doneUnits + Math.min(1, Math.max(0, fraction))) / this.#total);
    const elapsed = (now - this.#start) / 1000;
    const eta = share > 0.01 ? elapsed * (1 - share) / share : NaN;
    const text = `[${(share * 100).toFixed(0).padStart(3)}%] ${label} | elapsed ${
      formatSeconds(elapsed)
    } | ETA ${Number.isFinite(eta) ? formatSeconds(eta) : "?"}`;
    this.#write(this.#tty ? `\r${text.padEnd(this.#width)}` : `${text}\n`);
    this.#width = text.length;
  }

  /**
   * Prints a line that stays (a finished cell, a warning).
   *
   * @param text The line.
   */
  log(text: string): void {
    if (this.#quiet) return;
    this.#write(this.#tty ? `\r${text.padEnd(this.#width)}\n` : `${text}\n`);
    this.#width = 0;
  }

  /** Ends the progress line. */
  done(): void {
    if (this.#quiet || !this.#tty || this.#width === 0) return;
    this.#write(`\r${"".padEnd(this.#width)}\r`);
  }

  #write(text: string): void {
    this.#sink.writeSync(new TextEncoder().encode(text));
  }
}

/**
 * Formats seconds as `1m05s` or `4.2s`.
 *
 * @param s Seconds.
 * @returns The text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { formatSeconds } from "./progress.ts";
 * ok(formatSeconds(65) === "1m05s");
 * ```
 */
export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  return `${m}m${String(Math.round(s - m * 60)).padStart(2, "0")}s`;
}
