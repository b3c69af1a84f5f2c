/**
 * Progress of a run on stderr, counted in units of work (training iterations
 * and evaluated users), not in grid cells, so the percentage and the ETA move
 * with the time a run takes.
 *
 * - In a terminal: one line, redrawn in place at most every `intervalMs`, cut
 *   to the terminal's width so it never wraps.
 * - In a log (stderr is not a terminal): the lines that stay (a finished cell,
 *   a warning) plus at most one progress line every `logIntervalMs`.
 * - `quiet` hides both, but never a failure ({@linkcode Progress.fail}).
 *
 * @module
 */

/** Where progress is written: stderr, or a test's recorder. */
export interface ProgressSink {
  /** Writes bytes, as `Deno.stderr.writeSync`. */
  writeSync(p: Uint8Array): number;
  /** True for a terminal (the line is redrawn in place). */
  isTerminal(): boolean;
}

/** Options of {@linkcode Progress}. */
export interface ProgressOptions {
  /** Print nothing but failures. @default {false} */
  quiet?: boolean;
  /** Milliseconds between redraws in a terminal. @default {250} */
  intervalMs?: number;
  /** Milliseconds between progress lines in a log. @default {30000} */
  logIntervalMs?: number;
  /** Where to write. @default {Deno.stderr} */
  sink?: ProgressSink;
  /** The terminal's width in columns. @default {Deno.consoleSize().columns, else 80} */
  columns?: () => number;
  /** Milliseconds clock. @default {performance.now} */
  now?: () => number;
}

/**
 * Progress over units of work that are announced, revised and done task by
 * task (a task is e.g. one cell's training or its evaluation).
 *
 * @example
 * ```ts
 * import { Progress } from "./progress.ts";
 * const p = new Progress({ quiet: true });
 * p.expect("mostpop:fit", 0);
 * p.expect("mostpop:eval", 100);
 * p.advance("mostpop:eval", 50, "mostpop on synthetic");
 * p.done();
 * ```
 */
export class Progress {
  readonly #quiet: boolean;
  readonly #interval: number;
  readonly #logInterval: number;
  readonly #sink: ProgressSink;
  readonly #columns: () => number;
  readonly #now: () => number;
  readonly #tty: boolean;
  readonly #start: number;
  readonly #expected = new Map<string, number>();
  readonly #done = new Map<string, number>();
  readonly #finished = new Set<string>();
  #lastDraw = -Infinity;
  #lastLogLine: number;
  #drawn = false;

  /** @param options Quiet, intervals, sink, terminal width, clock. */
  constructor(options: ProgressOptions = {}) {
    this.#quiet = options.quiet ?? false;
    this.#interval = options.intervalMs ?? 250;
    this.#logInterval = options.logIntervalMs ?? 30_000;
    this.#sink = options.sink ?? Deno.stderr;
    this.#columns = options.columns ?? terminalColumns;
    this.#now = options.now ?? (() => performance.now());
    this.#tty = this.#sink.isTerminal();
    this.#start = this.#now();
    this.#lastLogLine = this.#start;
  }

  /**
   * Announces or revises the units of work a task takes (e.g. a model that
   * stopped early needs fewer iterations than its budget).
   *
   * @param task A key naming the task.
   * @param units Units of work, at least 0.
   */
  expect(task: string, units: number): void {
    this.#expected.set(task, Math.max(0, units));
  }

  /**
   * Records the units of a task done so far and redraws (when due).
   *
   * @param task A key given to {@linkcode Progress.expect}.
   * @param units Units done (capped at the task's expected units).
   * @param label What is running.
   */
  advance(task: string, units: number, label: string): void {
    this.#done.set(task, Math.max(0, units));
    this.#draw(label);
  }

  /**
   * Marks a task finished: its expected units become the units it took.
   *
   * @param task A key given to {@linkcode Progress.expect}.
   * @param units Units the task took; its expected units when absent.
   */
  finish(task: string, units?: number): void {
    const u = Math.max(0, units ?? this.#expected.get(task) ?? 0);
    this.#expected.set(task, u);
    this.#done.set(task, u);
    this.#finished.add(task);
  }

  /**
   * Whether a task is announced and not finished.
   *
   * @param task A key given to {@linkcode Progress.expect}.
   * @returns True while the task's work is still to do.
   */
  pending(task: string): boolean {
    return this.#expected.has(task) && !this.#finished.has(task);
  }

  /**
   * Share of the expected work done, in [0, 1].
   *
   * @returns The share (1 when nothing is expected).
   */
  share(): number {
    let total = 0, done = 0;
    for (const [task, units] of this.#expected) {
      total += units;
      done += Math.min(units, this.#done.get(task) ?? 0);
    }
    return total > 0 ? done / total : 1;
  }

  /**
   * Prints a line that stays (a finished cell, a note); hidden by `quiet`.
   *
   * @param text The line.
   */
  log(text: string): void {
    if (!this.#quiet) this.#line(text);
  }

  /**
   * Prints a failure, even when `quiet`.
   *
   * @param text The line.
   */
  fail(text: string): void {
    this.#line(text);
  }

  /** Ends the progress line. */
  done(): void {
    if (this.#tty && this.#drawn) this.#write("\r\x1b[K");
    this.#drawn = false;
  }

  #line(text: string): void {
    this.#write(this.#tty && this.#drawn ? `\r\x1b[K${text}\n` : `${text}\n`);
    this.#drawn = false;
  }

  #draw(label: string): void {
    if (this.#quiet) return;
    const now = this.#now();
    if (
      this.#tty
        ? now - this.#lastDraw < this.#interval
        : now - this.#lastLogLine < this.#logInterval
    ) {
      return;
    }
    this.#lastDraw = now;
    this.#lastLogLine = now;
    const share = this.share();
    const elapsed = (now - this.#start) / 1000;
    const eta = share > 0.01 && share < 1 ? elapsed * (1 - share) / share : share >= 1 ? 0 : NaN;
    const head = `[${(share * 100).toFixed(0).padStart(3)}%] `;
    const tail = ` | elapsed ${formatSeconds(elapsed)} | ETA ${
      Number.isFinite(eta) ? formatSeconds(eta) : "?"
    }`;
    if (!this.#tty) {
      this.#write(`${head}${label}${tail}\n`);
      return;
    }
    // One column short of the width: a line filling the last column wraps in some terminals.
    this.#write(`\r${fitWidth(head, label, tail, this.#columns() - 1)}\x1b[K`);
    this.#drawn = true;
  }

  #write(text: string): void {
    this.#sink.writeSync(new TextEncoder().encode(text));
  }
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns || 80;
  } catch {
    return 80;
  }
}

/**
 * Joins `head + label + tail` in at most `width` characters: the label is cut
 * first (ending in "…"), then the tail, then the head.
 *
 * @param head Text kept first (the percentage).
 * @param label Text cut first.
 * @param tail Text cut second (elapsed and ETA).
 * @param width Most characters.
 * @returns The line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fitWidth } from "./progress.ts";
 * ok(fitWidth("[ 5%] ", "a long label", " | ETA 3s", 20) === "[ 5%] a lo… | ETA 3s");
 * ```
 */
export function fitWidth(head: string, label: string, tail: string, width: number): string {
  const w = Math.max(0, width);
  const room = w - head.length - tail.length;
  if (room >= label.length) return head + label + tail;
  if (room >= 2) return head + label.slice(0, room - 1) + "…" + tail;
  return (head + tail).slice(0, w);
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
  const rest = Math.round(s - m * 60);
  return rest === 60 ? `${m + 1}m00s` : `${m}m${String(rest).padStart(2, "0")}s`;
}
