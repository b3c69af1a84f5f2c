/**
 * The results file: one entry per model x dataset x protocol x seed, a union
 * keyed on `state` so a failing model does not stop a sweep.
 *
 * @module
 */
import type { RetrievalReport } from "../retrieval/exact.ts";
import type { ProtocolName } from "../data/split.ts";
import type { TrainingReport } from "../models/types.ts";
import type { FairnessSummary } from "../metrics/diversity_fairness.ts";
import type { ItemFeaturesSummary } from "../data/item_features.ts";
import type { TuningRecord } from "./tune.ts";

/** Runtime and source provenance of a run. */
export interface Provenance {
  /** `git rev-parse HEAD`, with `-dirty` if the tree had changes; `"unknown"` outside git. */
  revision: string;
  /** Deno, V8 and TypeScript versions. */
  runtime: {
    deno: string;
    v8: string;
    typescript: string;
    os: string;
    arch: string;
    /** The CPU the run used (absent in results written before it was recorded). */
    cpu?: { model: string; cores: number };
  };
  /** npm packages used and their versions. */
  packages: Record<string, string>;
  /** The exact command line. */
  command: string;
}

/** Statistics of a prepared dataset. */
export interface DatasetSummary {
  /** Name. */
  name: string;
  /** Content checksum (SHA-256). */
  checksum: string;
  /** Users after preparation. */
  users: number;
  /** Items after preparation. */
  items: number;
  /** Interactions after preparation. */
  interactions: number;
  /** interactions / (users * items). */
  density: number;
  /** Mean interactions per user. */
  meanPerUser: number;
  /** Median interactions per user. */
  medianPerUser: number;
  /** Preparation options and what was dropped or skipped. */
  preparation: Record<string, unknown>;
  /**
   * Events repeating an earlier event of the same user and item, which the
   * `cf` protocol removes before its split (absent in older results).
   */
  repeatedEvents?: number;
  /** Seconds to read the raw files. */
  loadSeconds: number;
  /** Seconds to prepare (filter, renumber, sort, checksum). */
  prepareSeconds: number;
  /**
   * `--item-features`: the file, its SHA-256 and what matched the dataset's
   * items; one entry per file when several were given.
   */
  itemFeatures?: ItemFeaturesSummary | ItemFeaturesSummary[];
}

/** Fields shared by completed and errored entries. */
interface ResultBase {
  /** Model registry name. */
  model: string;
  /** Dataset name. */
  dataset: string;
  /** Protocol. */
  protocol: ProtocolName;
  /** Seed. */
  seed: number;
  /** Model config, protocol config and preparation options. */
  config: {
    model: Record<string, unknown>;
    protocol: Record<string, unknown>;
    /** Compute backend, threads and training budget given to the model. */
    engine?: Record<string, unknown>;
  };
  /** Dataset checksum. */
  datasetChecksum: string;
  /**
   * `--item-features`: the file and its SHA-256 (NPY: and the item-id
   * file's); one entry per file when several were given.
   */
  itemFeatures?: ItemFeatureSource | ItemFeatureSource[];
  /** Git revision the run came from (as in the provenance block). */
  revision: string;
  /** Deno version the run came from. */
  deno: string;
  /**
   * Why this cell's numbers should not be read at face value (an `onnx:` model
   * evaluated on other users than it was trained on, scores that tie every
   * item); printed on the console and in the report.
   */
  warnings?: string[];
  /**
   * `--tune`: a grid point (its `metrics` are validation numbers) or the
   * chosen point's test cell, with every point's validation value.
   */
  tuning?: TuningRecord;
}

/** A run that finished. */
export interface CompletedResult extends ResultBase {
  /** Discriminant. */
  state: "completed";
  /** Mean test metrics keyed like `"recall@20"`, then catalog metrics. */
  metrics: Record<string, number>;
  /** Wall-clock figures in seconds, and users per second. */
  timings: { fitSeconds: number; evalSeconds: number; evalUsersPerSecond: number };
  /** Learned parameters. */
  parameters: number;
  /** Resident memory after the run, MiB. */
  rssMiB: number;
  /** Users evaluated. */
  evaluatedUsers: number;
  /** Training curve, iterations, speed and diagnostics of iterative models. */
  training?: TrainingReport;
  /**
   * Per-user metric values, a file relative to the results folder
   * (see `bench/per_user.ts`); used by the report's significance tests.
   */
  perUser?: string;
  /** Peak resident memory during the cell, MiB (sampled at progress callbacks, `bench/memory.ts`). */
  peakRssMiB?: number;
  /**
   * Retrieval from embeddings (`--retrieval exact|ann`): method, speed and,
   * for ANN, its recall of the exact lists, build time and the exact figures.
   */
  retrieval?: RetrievalReport;
  /**
   * `sequential` only: the metric variants ComiRec's and REMI's code compute
   * (`recall_repeats@k`, `ndcg_comirec@k`, see `metrics/variants.ts`), for
   * comparison with their code; not comparable with `metrics`.
   */
  referenceVariants?: Record<string, number>;
  /** The ONNX file written by `--export-onnx`, if the model has an export. */
  onnx?: string;
  /**
   * `cf` only: metrics per quantile bin of users' interest diversity (entropy of
   * their training items' genres or item clusters), with std and max-min gap
   * across bins (`metrics/diversity_fairness.ts`).
   */
  fairness?: FairnessSummary;
}

/** A run that threw. */
export interface ErroredResult extends ResultBase {
  /** Discriminant. */
  state: "errored";
  /** The error message. */
  error: string;
}

/** One grid cell's result. */
export type RunResult = CompletedResult | ErroredResult;

/** What the report says about each model. */
export interface ModelNote {
  /** Display name. */
  title: string;
  /** Paper or method reference. */
  reference: string;
  /** Deviations from the paper. */
  deviations: string;
}

/** The whole results file. */
export interface ResultsFile {
  /** Format version. */
  schema: 1;
  /** Where the numbers came from. */
  provenance: Provenance;
  /** Seeds of the grid. */
  seeds: number[];
  /** Dataset statistics by name. */
  datasets: Record<string, DatasetSummary>;
  /** Model notes by registry name. */
  models: Record<string, ModelNote>;
  /** The grid, in run order. */
  results: RunResult[];
  /** The planned grid, for resuming and merging shards (absent in older files). */
  grid?: GridPlan;
}

/** The grid a run was asked for, and which slice of it this file holds. */
export interface GridPlan {
  /** Dataset names. */
  datasets: string[];
  /** Protocols. */
  protocols: ProtocolName[];
  /** Seeds. */
  seeds: number[];
  /** Model names. */
  models: string[];
  /** Options that change numbers: protocol options and per-model configs. */
  options: Record<string, unknown>;
  /** This file's slice: 1-based index of `count` shards. */
  shard: { index: number; count: number };
  /** Cell keys (`dataset/protocol/seed/model`) of this slice, in run order. */
  cells: string[];
}

/**
 * Writes a file atomically: to a temporary name in the same folder, then renamed.
 *
 * @param path Destination.
 * @param text Content.
 * @example
 * ```ts
 * import { writeTextAtomic } from "./results.ts";
 * const dir = await Deno.makeTempDir();
 * await writeTextAtomic(`${dir}/a.json`, "{}");
 * ```
 */
export async function writeTextAtomic(path: string, text: string): Promise<void> {
  const tmp = `${path}.${Deno.pid}.tmp`;
  await Deno.writeTextFile(tmp, text);
  await Deno.rename(tmp, path);
}

/**
 * Reads and checks a results file.
 *
 * @param path Path to `results.json`.
 * @returns The parsed results.
 * @example
 * ```ts ignore
 * import { readResults } from "./results.ts";
 * const results = await readResults("out/results.json");
 * ```
 */
export async function readResults(path: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (cause) {
    throw new Error(`Cannot read results "${path}": ${(cause as Error).message}`, { cause });
  }
  let parsed: ResultsFile;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new SyntaxError(`${path}: not valid JSON: ${(cause as Error).message}`, { cause });
  }
  if (parsed.schema !== 1 || !Array.isArray(parsed.results)) {
    throw new TypeError(`${path}: not a recbench results file (schema 1 with a results array)`);
  }
  return parsed;
}

/** Where dense item features came from: the file and its SHA-256 (NPY: and the item-id file's). */
export interface ItemFeatureSource {
  /** Path of the file. */
  file: string;
  /** SHA-256 (hex) of its bytes. */
  sha256: string;
  /** NPY only: the item-id file and its SHA-256. */
  ids?: { file: string; sha256: string };
}
