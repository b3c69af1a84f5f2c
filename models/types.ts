/**
 * The one model interface. Models only learn and score: ranking, seen-item
 * exclusion, top-k, tie breaking, multi-interest merging and metrics are
 * shared code in `metrics/` and `bench/`, so every model is judged the same way.
 *
 * @module
 */
import type { Rng } from "../data/rng.ts";
import type { Backend } from "./engine/backend.ts";
import type { CheckpointStore } from "./engine/checkpoint.ts";
import type { GraphSpec } from "./engine/onnx_proto.ts";
import type { ProtocolName, Query, TrainingData } from "../data/split.ts";

export type { CheckpointStore, ProtocolName, Query, TrainingData };

/** What a model gets while fitting, besides the data. */
export interface FitContext {
  /** The run seed. */
  readonly seed: number;
  /**
   * An independent random stream for a purpose such as `"init"`, `"sampling"`
   * or `"batch-order"`; the model name is already mixed in.
   */
  rng(label: string): Rng;
  /** Reports progress of long work, `fraction` in [0, 1]. */
  progress(fraction: number, detail?: string): void;
  /**
   * Validation Recall@50 of the model as it is now, computed by the shared
   * ranking path on `data.validation` (for early stopping). Models never
   * rank or compute metrics themselves.
   */
  validate?(): number;
  /** Where dense products run; models fall back to the TypeScript backend without it. */
  backend?: Backend;
  /** Training budget of iterative models; the runner gives every model the same one. */
  budget?: TrainingBudget;
  /**
   * Where a trained model's loop saves and resumes its checkpoints
   * (`models/engine/checkpoint.ts`); none: no checkpoints.
   */
  checkpoint?: CheckpointStore;
  /**
   * Milliseconds from a monotonic clock, for training-speed figures only
   * (models read no clock themselves; without it they report no speed).
   */
  clock?(): number;
  /**
   * Raw item ids of the dense item indices (`data/` owns the map), for models
   * trained elsewhere that name items by raw id (`onnx:` models).
   */
  itemIds?: readonly string[];
  /**
   * Raw user ids of the dense user indices, for models trained elsewhere whose
   * user table is keyed by raw id (`onnx:` models of the `cf` protocol).
   */
  userIds?: readonly string[];
  /**
   * CPU threads a model may use for its own loops (the `cf` family's graph
   * propagation: Deno workers over shared memory). Results do not depend on
   * it. Models use 1 without it; the runner gives its engine's (default 2).
   */
  threads?: number;
}

/** How long iterative models train (the same for every model in a run). */
export interface TrainingBudget {
  /** Most training iterations (batches). Reference code: 1,000,000. */
  maxIterations: number;
  /** Iterations between validations. Reference code: 1,000. */
  evalEvery: number;
  /** Validations without improvement before stopping. Reference code: 50. */
  patience: number;
}

/** What an iterative model reports about its training, for the results and the report. */
export interface TrainingReport {
  /** Iterations run. */
  iterations: number;
  /** Iteration whose parameters were kept (best validation). */
  bestIteration: number;
  /** Validation Recall@50 after every validation: `[iteration, recall]`. */
  curve: [number, number][];
  /** Wall-clock seconds per 1,000 training iterations (validation excluded). */
  secondsPer1000: number;
  /** Model-specific diagnostics, e.g. routing collapse measures. */
  diagnostics: Record<string, number>;
}

/**
 * Query and item vectors of a model that scores by inner product.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import type { Embeddings } from "./types.ts";
 * // One query, one interest, two items, dim 2: scores 1 and 2.
 * const e: Embeddings = { users: Float32Array.of(1, 0), items: Float32Array.of(1, 5, 2, 0), dim: 2 };
 * ok(e.items.length / e.dim === 2);
 * ```
 */
export interface Embeddings {
  /** Interest vectors `[Q, K, dim]`, row-major. */
  users: Float32Array;
  /** The item table `[numItems, dim]`, row-major. */
  items: Float32Array;
  /** Vector size. */
  dim: number;
}

/** A trained or trainable model. */
export interface Model {
  /**
   * Interests per query (1 for single-vector models). `score` writes this many
   * score rows per query; the shared ranking merges them by max score.
   */
  readonly interests: number;
  /**
   * Learns from the training data.
   *
   * @param data Training interactions and validation queries.
   * @param context Seeded random streams and progress reporting.
   */
  fit(data: TrainingData, context: FitContext): void | Promise<void>;
  /**
   * Scores every item for every query and interest: `out[((q * interests) + k) * numItems + i]`.
   * Higher is better. `out` is zero-filled by the caller.
   *
   * @param queries Users with their histories.
   * @param out Destination, length `queries.length * interests * numItems`.
   */
  score(queries: readonly Query[], out: Float32Array): void;
  /**
   * Optional: the query and item embeddings whose inner products are this
   * model's scores (`score` equals `users[q, k] . items[i]`), so the shared
   * ranking path can retrieve from them (exact through ONNX Runtime, or ANN)
   * instead of materialising every score. Models without it are ranked from
   * `score`; a model offering it must give the same rankings (tested for the
   * sequential family).
   *
   * @param queries Users with their histories.
   * @returns `users [Q * interests * dim]` and `items [numItems * dim]`.
   */
  embedQueries?(queries: readonly Query[]): Embeddings;
  /**
   * Optional: the trained user encoder and item table as an ONNX graph
   * (`docs/onnx-contract.md`), for `--export-onnx`.
   *
   * @returns The graph, or undefined when this model has none.
   */
  exportEncoder?(): GraphSpec | undefined;
  /**
   * Learned parameters (0 for models without any), for the efficiency section.
   *
   * @returns The count.
   */
  parameterCount(): number;
  /**
   * Training details of iterative models (absent for the others).
   *
   * @returns The report.
   */
  trainingReport?(): TrainingReport;
}

/**
 * A registered model: how to make one, and what the report says about it.
 *
 * @typeParam C The model's typed config.
 */
export interface ModelSpec<C extends object = Record<string, unknown>> {
  /** Registry key, used by `--models` (lower case). */
  readonly name: string;
  /** Display name in reports. */
  readonly title: string;
  /** The paper it follows (citation), or a description of the method. */
  readonly reference: string;
  /** Deviations from the paper, printed beside the model's numbers (one line). */
  readonly deviations: string;
  /** Protocols it can be judged in. */
  readonly protocols: readonly ProtocolName[];
  /**
   * Set when the model is meaningless without item side features (categorical
   * fields, titles or `--item-features`): on a dataset without any, its cells
   * fail with that reason instead of training on nothing.
   */
  readonly needsItemFeatures?: boolean;
  /** Default config. */
  readonly defaults: Readonly<C>;
  /**
   * Validates a partial config (unknown keys and wrong types throw) and fills defaults.
   *
   * @param overrides Values to change.
   * @returns The full config.
   */
  configure(overrides?: Record<string, unknown>): C;
  /**
   * Makes an untrained model.
   *
   * @param config A config from `configure`.
   * @returns The model.
   */
  create(config: C): Model;
}

/**
 * Checks config overrides against defaults: unknown keys and type mismatches
 * throw `TypeError`; returns defaults merged with overrides.
 *
 * @param model Model name, for messages.
 * @param defaults The defaults.
 * @param overrides The overrides.
 * @returns The merged config.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { mergeConfig } from "./types.ts";
 * const c = mergeConfig("itemknn", { neighbors: 100 }, { neighbors: 50 });
 * ok(c.neighbors === 50);
 * ```
 */
export function mergeConfig<C extends object>(
  model: string,
  defaults: Readonly<C>,
  overrides: Record<string, unknown> = {},
): C {
  const out: Record<string, unknown> = { ...defaults };
  for (const key of Object.keys(overrides).sort()) {
    if (!(key in defaults)) {
      throw new TypeError(
        `Model "${model}" has no config key "${key}" (known: ${Object.keys(defaults).join(", ")})`,
      );
    }
    const want = typeof (defaults as Record<string, unknown>)[key];
    const got = typeof overrides[key];
    if (want !== got) {
      throw new TypeError(`Model "${model}" config "${key}" must be a ${want}, got ${got}`);
    }
    out[key] = overrides[key];
  }
  return out as C;
}

/**
 * Checks that each of `keys` in a model's config is a positive integer, the
 * one message for every model.
 *
 * @param model Model name, for messages.
 * @param config The merged config.
 * @param keys Keys that must hold positive integers.
 * @returns `config`.
 * @throws RangeError naming the model, the key and the value.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkPositiveIntegers } from "./types.ts";
 * throws(() => checkPositiveIntegers("m", { dim: 0 }, ["dim"]), /config "dim" must be a positive integer, got 0/);
 * ```
 */
export function checkPositiveIntegers<C>(model: string, config: C, keys: readonly (keyof C)[]): C {
  for (const key of keys) {
    const value = config[key];
    if (!Number.isInteger(value) || (value as number) < 1) {
      throw new RangeError(
        `Model "${model}" config "${String(key)}" must be a positive integer, got ${value}`,
      );
    }
  }
  return config;
}
