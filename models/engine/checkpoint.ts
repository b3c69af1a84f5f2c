/**
 * What a training checkpoint holds, and the one small interface through which
 * a model, a sampler or an optimiser adds its part: `checkpointState()`
 * returns named values (typed arrays, numbers, strings, nested records),
 * `restoreState()` takes them back. The training loop
 * ({@linkcode trainWithEarlyStopping}) gathers the parts, adds its own
 * counters and the best snapshot, and hands the whole to a
 * {@linkcode CheckpointStore} that the runner gives (models never touch
 * files); a resumed run continues exactly where the saved one stopped.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";

/** One value of a training state. */
export type StateValue =
  | number
  | string
  | boolean
  | null
  | Float32Array
  | Float64Array
  | Int32Array
  | Uint8Array
  | readonly StateValue[]
  | TrainingState;

/** Named values: everything a resumed training run needs besides the code and the data. */
export interface TrainingState {
  readonly [name: string]: StateValue;
}

/**
 * Carries state from one training step to the next beyond what the loop
 * already saves (parameters, Adam's moments, the seeded streams): a sampler's
 * epoch order, a model's own stream. Implement both methods; the shared
 * resume test (`models/registry_test.ts`) fails for a model that forgets
 * some state.
 */
export interface Checkpointable {
  /**
   * The state to save, as copies or as arrays nothing will change before the
   * checkpoint is written (the loop writes it at once).
   *
   * @returns Named values.
   */
  checkpointState(): TrainingState;
  /**
   * Puts a saved state back.
   *
   * @param state From `checkpointState` of an object made the same way.
   */
  restoreState(state: TrainingState): void;
}

/** Where the training loop saves and loads checkpoints; the runner gives one per cell. */
export interface CheckpointStore {
  /** Iterations between checkpoints. @default {the budget's evalEvery} */
  readonly every?: number;
  /**
   * The state saved by an earlier run of the same cell, if any (a checkpoint
   * of another revision or config, or a damaged one, is reported and not returned).
   *
   * @returns The state, or undefined to start from scratch.
   */
  load(): TrainingState | undefined;
  /**
   * Saves a state (atomically: a reader sees the old or the new one).
   *
   * @param state The whole training state.
   */
  save(state: TrainingState): void;
  /**
   * Whether the process was asked to stop (SIGTERM, SIGINT): the loop then
   * saves and throws {@linkcode TrainingInterrupted}.
   *
   * @returns True once a stop was requested.
   */
  stopRequested?(): boolean;
}

/**
 * Training stopped on request after saving a checkpoint; rerunning the same
 * command resumes from it. Runners let it through instead of recording the
 * cell as failed.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TrainingInterrupted } from "./checkpoint.ts";
 * ok(new TrainingInterrupted(120).message.includes("iteration 120"));
 * ```
 */
export class TrainingInterrupted extends Error {
  /** @param iteration The last iteration saved. */
  constructor(readonly iteration: number) {
    super(`Training stopped on request after saving a checkpoint at iteration ${iteration}`);
    this.name = "TrainingInterrupted";
  }
}

/**
 * The seeded streams a training run draws from, made once per label through
 * `make` (the fit context's `rng`), saved and restored together, so a new
 * sampler that takes its stream from here is resumed without code of its own.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { deriveRng } from "../../data/rng.ts";
 * import { Streams } from "./checkpoint.ts";
 * const a = new Streams((label) => deriveRng(1, label));
 * a.get("sampling").uint32();
 * const saved = a.checkpointState();
 * const next = a.get("sampling").uint32();
 * const b = new Streams((label) => deriveRng(1, label));
 * b.restoreState(saved);
 * ok(b.get("sampling").uint32() === next);
 * ```
 */
export class Streams implements Checkpointable {
  readonly #streams = new Map<string, Rng>();
  #pending: TrainingState = {};

  /** @param make Makes the stream of a label (the fit context's `rng`). */
  constructor(readonly make: (label: string) => Rng) {}

  /**
   * The stream of `label`, the same object on every call.
   *
   * @param label What it is for (`"init"`, `"sampling"`, ...).
   * @returns The stream.
   */
  get(label: string): Rng {
    let rng = this.#streams.get(label);
    if (!rng) {
      rng = this.make(label);
      const saved = this.#pending[label];
      if (saved !== undefined) rng.setState(stateArray(saved, Int32Array, `stream "${label}"`, 4));
      this.#streams.set(label, rng);
    }
    return rng;
  }

  /**
   * Every stream's state by label.
   *
   * @returns Named states.
   */
  checkpointState(): TrainingState {
    const out: Record<string, StateValue> = { ...this.#pending };
    for (const [label, rng] of this.#streams) out[label] = rng.state();
    return out;
  }

  /**
   * Restores the streams made so far; streams made later start from their saved state.
   *
   * @param state From `checkpointState`.
   */
  restoreState(state: TrainingState): void {
    this.#pending = { ...state };
    for (const [label, rng] of this.#streams) {
      const saved = state[label];
      if (saved === undefined) {
        throw new RangeError(`Checkpoint has no state for the stream "${label}"`);
      }
      rng.setState(stateArray(saved, Int32Array, `stream "${label}"`, 4));
    }
  }
}

type ArrayType = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor;

/**
 * A typed array from a restored state, checked: its type and, when given, its length.
 *
 * @param value The restored value.
 * @param type The array type expected.
 * @param what What it is, for the message.
 * @param length The length expected.
 * @returns The array.
 * @throws {TypeError} When the value is not such an array or has another length.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stateArray } from "./checkpoint.ts";
 * ok(stateArray(Float32Array.of(1, 2), Float32Array, "w", 2).length === 2);
 * ```
 */
export function stateArray<T extends ArrayType | Uint8ArrayConstructor>(
  value: StateValue | undefined,
  type: T,
  what: string,
  length?: number,
): InstanceType<T> {
  if (!(value instanceof type)) {
    throw new TypeError(`Checkpoint: ${what} must be a ${type.name}, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new TypeError(
      `Checkpoint: ${what} holds ${value.length} values, the model has ${length}: ` +
        `was it saved with another config or data?`,
    );
  }
  return value as InstanceType<T>;
}

/**
 * A number from a restored state, checked.
 *
 * @param value The restored value.
 * @param what What it is, for the message.
 * @returns The number.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stateNumber } from "./checkpoint.ts";
 * ok(stateNumber(3, "steps") === 3);
 * ```
 */
export function stateNumber(value: StateValue | undefined, what: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`Checkpoint: ${what} must be a number, got ${describe(value)}`);
  }
  return value;
}

/**
 * A nested record from a restored state, checked.
 *
 * @param value The restored value.
 * @param what What it is, for the message.
 * @returns The record.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stateRecord } from "./checkpoint.ts";
 * ok(stateRecord({ a: 1 }, "adam").a === 1);
 * ```
 */
export function stateRecord(value: StateValue | undefined, what: string): TrainingState {
  if (
    value === null || typeof value !== "object" || Array.isArray(value) ||
    ArrayBuffer.isView(value)
  ) {
    throw new TypeError(`Checkpoint: ${what} must be a record, got ${describe(value)}`);
  }
  return value as TrainingState;
}

/**
 * A list from a restored state, checked.
 *
 * @param value The restored value.
 * @param what What it is, for the message.
 * @param length The length expected.
 * @returns The list.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { stateList } from "./checkpoint.ts";
 * ok(stateList([1, 2], "curve", 2).length === 2);
 * ```
 */
export function stateList(
  value: StateValue | undefined,
  what: string,
  length?: number,
): readonly StateValue[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`Checkpoint: ${what} must be a list, got ${describe(value)}`);
  }
  if (length !== undefined && value.length !== length) {
    throw new TypeError(`Checkpoint: ${what} holds ${value.length} entries, expected ${length}`);
  }
  return value;
}

function describe(value: StateValue | undefined): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name}`;
  return Array.isArray(value) ? "a list" : typeof value;
}

/**
 * The state of a part that may implement {@linkcode Checkpointable} (a
 * sampler): its `checkpointState()`, or an empty record.
 *
 * @param part The sampler or other part.
 * @returns Its state.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { partState } from "./checkpoint.ts";
 * deepStrictEqual(partState({}), {});
 * ```
 */
export function partState(part: object): TrainingState {
  return isCheckpointable(part) ? part.checkpointState() : {};
}

/**
 * Restores a part saved by {@linkcode partState} (nothing for a part without state).
 *
 * @param part The sampler or other part.
 * @param state Its saved state.
 * @example
 * ```ts
 * import { restorePart } from "./checkpoint.ts";
 * restorePart({}, {});
 * ```
 */
export function restorePart(part: object, state: StateValue | undefined): void {
  if (isCheckpointable(part)) part.restoreState(stateRecord(state, part.constructor.name));
}

function isCheckpointable(part: object): part is Checkpointable {
  const p = part as Partial<Checkpointable>;
  return typeof p.checkpointState === "function" && typeof p.restoreState === "function";
}
