/**
 * Training checkpoints in the run folder: one file per training cell,
 * `OUT/checkpoints/<cell>.ckpt`, written atomically (a temporary file,
 * fsync, rename) at each validation (or every `--checkpoint-every`
 * iterations), when training ends and when the process is asked to stop
 * (SIGTERM, SIGINT). A rerun of the same command resumes the cell from it
 * and ends with the same results as an uninterrupted run.
 *
 * File layout (all integers little-endian):
 *
 * | bytes | content |
 * | --- | --- |
 * | 8 | `RBCKPT01` |
 * | 4 | header length H |
 * | H | header, JSON: cell, fingerprint, iteration, the state with arrays replaced by `{"$array": type, "offset", "length"}` |
 * | pad | zeros to a multiple of 8 |
 * | ... | the arrays' bytes, each starting at a multiple of 8 |
 * | 32 | SHA-256 of everything before it |
 *
 * A file whose hash does not match (truncated, damaged) is reported, removed
 * and the cell restarts from scratch; a file whose fingerprint (revision,
 * configs, budget, dataset checksum, Deno version) differs from the cell's is
 * reported and ignored, never mixed in.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CheckpointStore, StateValue, TrainingState } from "../models/engine/checkpoint.ts";

const MAGIC = new TextEncoder().encode("RBCKPT01");
const HASH_BYTES = 32;
const ARRAY_TYPES = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint8Array,
} as const;
type ArrayName = keyof typeof ARRAY_TYPES;
type StateArray = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A checkpoint as read back. */
export interface CheckpointFile {
  /** The cell it belongs to. */
  cell: string;
  /** What it was made with (compared with the cell's before resuming). */
  fingerprint: Record<string, unknown>;
  /** The training state. */
  state: TrainingState;
}

/** A checkpoint file that cannot be used: truncated, damaged or not a checkpoint. */
export class CorruptCheckpointError extends Error {
  /**
   * @param path The file.
   * @param reason What is wrong with it.
   */
  constructor(readonly path: string, reason: string) {
    super(`Checkpoint ${path} is damaged: ${reason}`);
    this.name = "CorruptCheckpointError";
  }
}

/**
 * The checkpoint path of a cell: `OUT/checkpoints/<cell key with / as __>.ckpt`.
 *
 * @param out The run folder (the shard's folder in a sharded run).
 * @param cell The cell key (`dataset/protocol/seed/model`).
 * @returns The path.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { checkpointPath } from "./checkpoint.ts";
 * ok(checkpointPath("out", "synthetic/cf/1/bprmf") === "out/checkpoints/synthetic__cf__1__bprmf.ckpt");
 * ```
 */
export function checkpointPath(out: string, cell: string): string {
  return `${out}/checkpoints/${
    cell.replaceAll("/", "__").replace(/[^A-Za-z0-9_.=,+-]/g, "-")
  }.ckpt`;
}

/**
 * Encodes a checkpoint as the pieces of its file (header, arrays, padding;
 * the hash is added by the writer).
 *
 * @param file Cell, fingerprint and state.
 * @returns The pieces in file order.
 */
function encode(file: CheckpointFile): Uint8Array[] {
  const arrays: StateArray[] = [];
  let offset = 0;
  const walk = (value: StateValue, at: string): unknown => {
    if (typeof value === "number") {
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : { $number: Object.is(value, -0) ? "-0" : String(value) };
    }
    if (value === null || typeof value === "string" || typeof value === "boolean") return value;
    if (ArrayBuffer.isView(value)) {
      const name = value.constructor.name;
      if (!(name in ARRAY_TYPES)) throw new TypeError(`Checkpoint: ${at} is a ${name}`);
      arrays.push(value);
      const entry = { $array: name, offset, length: value.length };
      offset += align8(value.byteLength);
      return entry;
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${at}[${i}]`));
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value as TrainingState)) {
      if (key.startsWith("$")) {
        throw new TypeError(`Checkpoint: state key "${key}" at ${at} may not start with "$"`);
      }
      out[key] = walk(v, `${at}.${key}`);
    }
    return out;
  };
  const state = walk(file.state, "state");
  const header = new TextEncoder().encode(
    JSON.stringify({ cell: file.cell, fingerprint: file.fingerprint, littleEndian: true, state }),
  );
  const head = new Uint8Array(align8(12 + header.length));
  head.set(MAGIC, 0);
  new DataView(head.buffer).setUint32(8, header.length, true);
  head.set(header, 12);
  const pieces: Uint8Array[] = [head];
  for (const a of arrays) {
    pieces.push(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const pad = align8(a.byteLength) - a.byteLength;
    if (pad > 0) pieces.push(new Uint8Array(pad));
  }
  return pieces;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

/**
 * Writes a checkpoint atomically: a temporary file beside it, fsync, rename
 * (then an fsync of the folder where the system allows it).
 *
 * @param path Where.
 * @param file Cell, fingerprint and state.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readCheckpoint, writeCheckpoint } from "./checkpoint.ts";
 * const path = `${await Deno.makeTempDir()}/a.ckpt`;
 * writeCheckpoint(path, { cell: "c", fingerprint: {}, state: { w: Float32Array.of(1.5) } });
 * ok((readCheckpoint(path).state.w as Float32Array)[0] === 1.5);
 * ```
 */
export function writeCheckpoint(path: string, file: CheckpointFile): void {
  const dir = path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
  Deno.mkdirSync(dir, { recursive: true });
  const tmp = `${path}.${Deno.pid}.tmp`;
  const hash = createHash("sha256");
  const f = Deno.openSync(tmp, { write: true, create: true, truncate: true });
  try {
    for (const piece of encode(file)) {
      hash.update(piece);
      writeAll(f, piece);
    }
    writeAll(f, new Uint8Array(hash.digest()));
    f.syncSync();
  } finally {
    f.close();
  }
  Deno.renameSync(tmp, path);
  try {
    const d = Deno.openSync(dir, { read: true });
    try {
      d.syncSync();
    } finally {
      d.close();
    }
  } catch {
    // Not every system can open or fsync a folder; the rename is done either way.
  }
}

function writeAll(f: Deno.FsFile, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.length;) done += f.writeSync(bytes.subarray(done));
}

/**
 * Reads a checkpoint and checks its hash.
 *
 * @param path The file.
 * @returns Cell, fingerprint and state (arrays are copies).
 * @throws {CorruptCheckpointError} When the file is truncated, damaged or not a checkpoint.
 * @throws {Deno.errors.NotFound} When there is no file.
 */
export function readCheckpoint(path: string): CheckpointFile {
  const bytes = Deno.readFileSync(path);
  const bad = (reason: string) => new CorruptCheckpointError(path, reason);
  if (bytes.length < 12 + HASH_BYTES) throw bad(`${bytes.length} bytes, too short`);
  if (!MAGIC.every((b, i) => bytes[i] === b)) throw bad("it does not start with RBCKPT01");
  const body = bytes.subarray(0, bytes.length - HASH_BYTES);
  const expected = bytes.subarray(bytes.length - HASH_BYTES);
  const actual = new Uint8Array(createHash("sha256").update(body).digest());
  if (!actual.every((b, i) => b === expected[i])) {
    throw bad("its SHA-256 does not match its content (truncated or damaged)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(8, true);
  let header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + length)));
  } catch (error) {
    throw bad(`its header is not JSON (${(error as Error).message})`);
  }
  if (header.littleEndian !== true) throw bad("it was written big-endian");
  const payload = align8(12 + length);
  const walk = (value: unknown): StateValue => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value as StateValue;
    const v = value as Record<string, unknown>;
    if (typeof v.$number === "string") return v.$number === "-0" ? -0 : Number(v.$number);
    if (typeof v.$array === "string") {
      const type = ARRAY_TYPES[v.$array as ArrayName];
      const offset = payload + (v.offset as number);
      const n = v.length as number;
      if (!type || offset + n * type.BYTES_PER_ELEMENT > body.length) {
        throw bad(`array ${v.$array} at ${v.offset} lies outside the file`);
      }
      // A copy: the arrays outlive the file's bytes and are aligned whatever the buffer.
      return new type(bytes.slice(offset, offset + n * type.BYTES_PER_ELEMENT).buffer);
    }
    return Object.fromEntries(Object.entries(v).map(([key, x]) => [key, walk(x)]));
  };
  return {
    cell: String(header.cell),
    fingerprint: header.fingerprint ?? {},
    state: walk(header.state) as TrainingState,
  };
}

/** Options of {@linkcode CellCheckpoint}. */
export interface CellCheckpointOptions {
  /** Iterations between checkpoints; the budget's evalEvery when absent. */
  every?: number;
  /** Prints a warning (a damaged or foreign checkpoint). */
  warn: (text: string) => void;
  /** Prints a note (resuming). */
  note?: (text: string) => void;
  /** Whether a stop was requested (SIGTERM, SIGINT): see {@linkcode StopSignals}. */
  stopRequested?: () => boolean;
}

/**
 * The checkpoint store of one training cell (given to the model's fit context).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { CellCheckpoint } from "./checkpoint.ts";
 * const dir = await Deno.makeTempDir();
 * const a = new CellCheckpoint(dir, "d/cf/1/m", { revision: "r1" }, { warn: () => {} });
 * a.save({ iteration: 5 });
 * ok(a.load()?.iteration === 5);
 * const warnings: string[] = [];
 * const b = new CellCheckpoint(dir, "d/cf/1/m", { revision: "r2" }, { warn: (t) => warnings.push(t) });
 * ok(b.load() === undefined && warnings[0].includes("revision"));
 * ```
 */
export class CellCheckpoint implements CheckpointStore {
  /** The file. */
  readonly path: string;
  /** Iterations between checkpoints. */
  readonly every?: number;
  readonly #options: CellCheckpointOptions;

  /**
   * @param out The run folder.
   * @param cell The cell key.
   * @param fingerprint What the cell is run with; a checkpoint made otherwise is not used.
   * @param options Interval, messages, stop requests.
   */
  constructor(
    out: string,
    readonly cell: string,
    readonly fingerprint: Record<string, unknown>,
    options: CellCheckpointOptions,
  ) {
    this.path = checkpointPath(out, cell);
    if (options.every !== undefined) this.every = options.every;
    this.#options = options;
  }

  /**
   * The saved state, if a usable checkpoint exists: a damaged one is removed
   * with a warning, one of another revision or config is ignored with a warning.
   *
   * @returns The state, or undefined.
   */
  load(): TrainingState | undefined {
    let file: CheckpointFile;
    try {
      file = readCheckpoint(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      this.#options.warn(
        `${(error as Error).message}; ${this.cell} restarts from scratch (the file is removed)`,
      );
      this.remove();
      return undefined;
    }
    const differences = fingerprintDifferences(file.fingerprint, this.fingerprint);
    if (file.cell !== this.cell) differences.unshift(`cell ${file.cell} vs ${this.cell}`);
    if (differences.length > 0) {
      this.#options.warn(
        `checkpoint ${this.path} was made by another run (${differences.join("; ")}): ` +
          `not used, ${this.cell} starts from scratch and replaces it`,
      );
      return undefined;
    }
    this.#options.note?.(
      `resuming ${this.cell} from its checkpoint at iteration ${file.state.iteration}`,
    );
    return file.state;
  }

  /**
   * Writes the state atomically.
   *
   * @param state The training state.
   */
  save(state: TrainingState): void {
    writeCheckpoint(this.path, { cell: this.cell, fingerprint: this.fingerprint, state });
  }

  /**
   * Whether the process was asked to stop.
   *
   * @returns True once requested.
   */
  stopRequested(): boolean {
    return this.#options.stopRequested?.() ?? false;
  }

  /** Removes the checkpoint (the cell finished), if there is one, and its folder once empty. */
  remove(): void {
    try {
      Deno.removeSync(this.path);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    try {
      Deno.removeSync(this.path.slice(0, this.path.lastIndexOf("/")));
    } catch {
      // Not empty (other cells' checkpoints) or already gone.
    }
  }
}

/**
 * The keys whose values differ between two fingerprints, with both values.
 *
 * @param saved The checkpoint's.
 * @param current The cell's.
 * @returns Lines such as `revision abc vs def`; empty when equal.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { fingerprintDifferences } from "./checkpoint.ts";
 * deepStrictEqual(fingerprintDifferences({ a: 1 }, { a: 2 }), ["a 1 vs 2"]);
 * ```
 */
export function fingerprintDifferences(
  saved: Record<string, unknown>,
  current: Record<string, unknown>,
): string[] {
  const keys = [...new Set([...Object.keys(saved), ...Object.keys(current)])].sort();
  return keys
    .filter((k) => canonical(saved[k]) !== canonical(current[k]))
    .map((k) => `${k} ${canonical(saved[k])} vs ${canonical(current[k])}`);
}

/** JSON with sorted keys, so key order never counts as a difference. */
function canonical(value: unknown): string {
  return JSON.stringify(
    value,
    (_key, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0))
        : v,
  ) ?? "undefined";
}

/**
 * Watches for SIGTERM and SIGINT from a worker, so a training loop running
 * synchronously on the main thread sees the request at its next iteration
 * (the main thread's own listeners run only at its next await). The worker
 * sets a flag in shared memory; `requested()` reads it.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { StopSignals } from "./checkpoint.ts";
 * using stop = await StopSignals.start();
 * ok(!stop.requested());
 * ```
 */
export class StopSignals implements Disposable {
  readonly #flag: Int32Array;
  readonly #worker: Worker | undefined;

  private constructor(flag: Int32Array, worker: Worker | undefined) {
    this.#flag = flag;
    this.#worker = worker;
  }

  /**
   * Starts the watching worker and waits until its listeners are in place.
   *
   * @returns The watcher; dispose of it (or `stop()`) when the run ends.
   */
  static async start(): Promise<StopSignals> {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(new URL("./_stop_worker.ts", import.meta.url), { type: "module" });
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`The stop-signal worker failed: ${event.message}`));
      };
    });
    worker.postMessage({ flag: flag.buffer, signals: stopSignalNames() });
    await ready;
    return new StopSignals(flag, worker);
  }

  /**
   * The signal number received, or 0.
   *
   * @returns e.g. 15 after SIGTERM.
   */
  signal(): number {
    return Atomics.load(this.#flag, 0);
  }

  /**
   * Whether a stop was requested.
   *
   * @returns True after SIGTERM or SIGINT.
   */
  requested(): boolean {
    return this.signal() !== 0;
  }

  /** Ends the worker. */
  stop(): void {
    this.#worker?.terminate();
  }

  /** Ends the worker. */
  [Symbol.dispose](): void {
    this.stop();
  }
}

/** The signals that request a stop here, with their numbers. */
function stopSignalNames(): [Deno.Signal, number][] {
  return Deno.build.os === "windows" ? [["SIGINT", 2]] : [["SIGINT", 2], ["SIGTERM", 15]];
}

/**
 * The run was stopped by a signal while a cell trained, after that cell's
 * checkpoint was saved; `deno task bench` exits with 128 + the signal's number.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { RunStopped } from "./checkpoint.ts";
 * ok(new RunStopped("d/cf/1/m", 40, 15).message.includes("SIGTERM"));
 * ```
 */
export class RunStopped extends Error {
  /**
   * @param cell The cell that was training.
   * @param iteration The iteration its checkpoint holds.
   * @param signal The signal's number (15 SIGTERM, 2 SIGINT).
   */
  constructor(readonly cell: string, readonly iteration: number, readonly signal: number) {
    super(
      `stopped by ${
        signal === 2 ? "SIGINT" : signal === 15 ? "SIGTERM" : `signal ${signal}`
      } while training ${cell}; its checkpoint at iteration ${iteration} is saved: ` +
        `rerun the same command to resume`,
    );
    this.name = "RunStopped";
  }
}

/** How a run checkpoints its training cells (`--checkpoint-every`, `--keep-checkpoints`). */
export interface CheckpointOptions {
  /** Iterations between checkpoints; 0 turns checkpoints off. @default {the validation interval} */
  every?: number;
  /** Keep a finished cell's checkpoint instead of removing it. @default {false} */
  keep?: boolean;
}

/**
 * The checkpoint store of a cell, made from what the runner records about
 * it: the fingerprint is the cell's configs (model, split, engine without
 * the thread count, which changes no result), the dataset checksum, the git
 * revision and the Deno version.
 *
 * @param out The run folder.
 * @param base What the cell's result records (model, dataset, protocol, seed, config, ...).
 * @param options Interval, messages, stop requests, and the key when it is not the cell's own (a tuning point).
 * @returns The store, or undefined when checkpoints are off.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { cellCheckpoint } from "./checkpoint.ts";
 * const base = { model: "m", dataset: "d", protocol: "cf", seed: 1, config: {}, datasetChecksum: "x", revision: "r", deno: "2" };
 * ok(cellCheckpoint("out", base, { every: 0, warn: () => {} }) === undefined);
 * ok(cellCheckpoint("out", base, { warn: () => {} })?.path.endsWith("d__cf__1__m.ckpt"));
 * ```
 */
export function cellCheckpoint(
  out: string,
  base: {
    model: string;
    dataset: string;
    protocol: string;
    seed: number;
    config: { engine?: Record<string, unknown> } & Record<string, unknown>;
    datasetChecksum: string;
    revision: string;
    deno: string;
  },
  options: CellCheckpointOptions & { key?: string },
): CellCheckpoint | undefined {
  if (options.every === 0) return undefined;
  const { threads: _threads, ...engine } = base.config.engine ?? {};
  const key = options.key ?? `${base.dataset}/${base.protocol}/${base.seed}/${base.model}`;
  return new CellCheckpoint(out, key, {
    revision: base.revision,
    deno: base.deno,
    datasetChecksum: base.datasetChecksum,
    config: { ...base.config, engine },
  }, options);
}
