/**
 * Runs the benchmark grid (datasets x protocols x seeds x models) and writes
 * `results.json` (atomically, after every cell) and `report.md`.
 *
 * @module
 */
import { datasetSource, type ReadOptions } from "../data/datasets.ts";
import { type GivenDataset, splitGiven, splitGivenSequential } from "../data/given_split.ts";
import {
  attachItemFeatures,
  describeItemFeatures,
  readItemFeatureFile,
} from "../data/item_features.ts";
import { loadDataset, type SplitSource } from "../data/load.ts";
import {
  REFERENCE_DATASET_SETTINGS,
  referenceModelSettings,
} from "../models/_sequential/dataset_settings.ts";
import type { Dataset } from "../data/dataset.ts";
import type { PrepareOptions } from "../data/prepare.ts";
import { deriveRng } from "../data/rng.ts";
import { diversityFairness } from "../metrics/diversity_fairness.ts";
import type { LabelWeighting } from "../metrics/diversity.ts";
import {
  firstOccurrences,
  type ProtocolName,
  type Split,
  splitPerUser,
  splitSequential,
} from "../data/split.ts";
import {
  DEFAULT_MODELS,
  loadModelSpec,
  MODELS,
  type ModelSpec,
  type TrainingBudget,
} from "../models/mod.ts";
import { writeReport } from "../reports/write.ts";
import { createEngine, type Engine } from "./engine.ts";
import { evaluateModel } from "./evaluate.ts";
import { type AnnOptions, createAnnRanker } from "../retrieval/ann.ts";
import type { Ranker } from "../retrieval/exact.ts";
import { createExactRanker } from "../retrieval/select.ts";
import { exportOnnx } from "../models/export/onnx.ts";
import { checkOnnxProtocol } from "../models/export/onnx_model.ts";
import type { Model } from "../models/types.ts";
import { PeakMemory } from "./memory.ts";
import { constantScores, originMismatch, recordedOrigin, type TrainedOn } from "./cell_checks.ts";
import { sidecarPath } from "../models/export/onnx.ts";
import { perUserPath, writePerUser } from "./per_user.ts";
import { Progress } from "./progress.ts";
import { collectProvenance } from "./provenance.ts";
import {
  type CompletedResult,
  type DatasetSummary,
  type ErroredResult,
  readResults,
  type ResultsFile,
  type RunResult,
  writeTextAtomic,
} from "./results.ts";
import {
  cellKey,
  gridDifferences,
  planGrid,
  resumableCells,
  type Shard,
  shardOut,
  WHOLE_GRID,
} from "./shard.ts";
import {
  checkTuneGrid,
  CHOICE_RULE,
  choosePoint,
  measuredSpeed,
  planTunedGrid,
  pointName,
  pointValue,
  projectTuning,
  siblingPoints,
  tuneMetric,
  type TuneOptions,
  type TunePoint,
  type TuneSpeed,
} from "./tune.ts";
import { acquireRunLock, FolderLockedError, type RunLock, staleLockNote } from "./lock.ts";
import { cellCheckpoint, type CheckpointOptions, RunStopped, StopSignals } from "./checkpoint.ts";
import { TrainingInterrupted } from "../models/engine/checkpoint.ts";
import { cellBudget, type RunPreset, runPreset } from "./budget.ts";
import type { DatasetSettings, PresetRecord } from "./presets.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Dataset names. @default {["synthetic"]} */
  datasets?: readonly string[];
  /** Folder holding original dataset files. */
  dataDir?: string;
  /** Registry names or module paths. @default {DEFAULT_MODELS} */
  models?: readonly string[];
  /** Protocols. @default {["sequential", "cf"]} */
  protocols?: readonly ProtocolName[];
  /** Seeds. @default {[1]} */
  seeds?: readonly number[];
  /** Output folder. @default {"out/bench"} */
  out?: string;
  /** Silence the progress line. @default {false} */
  quiet?: boolean;
  /** `cf` split order. @default {"random"} */
  cfOrder?: "random" | "temporal";
  /** Remove history items from sequential candidates (labelled in the report). @default {false} */
  excludeHistory?: boolean;
  /**
   * `cf` fairness: how a multi-genre item counts in a user's interest
   * diversity (`--fairness-weighting`, see `metrics/diversity.ts`). @default {"genre"}
   */
  fairnessWeighting?: LabelWeighting;
  /** Sequential protocol history length. @default {20} */
  maxlen?: number;
  /** Training budget of iterative models, the same for all. @default {DEFAULT_BUDGET} */
  budget?: Partial<TrainingBudget>;
  /**
   * A named budget (`--budget paper`, see `bench/budget.ts`) under the
   * explicit `budget` values; recorded in the results.
   */
  budgetPreset?: string;
  /** Compute backend for trained models. @default {"onnxruntime"} */
  backend?: "onnxruntime" | "typescript";
  /** CPU threads (ONNX Runtime and graph propagation; no result depends on it). @default {2} */
  threads?: number;
  /** Per-model config overrides, by model name. */
  modelConfig?: Record<string, Record<string, unknown>>;
  /** Command line recorded in the provenance. @default {"(library call)"} */
  command?: string;
  /** Loader options: bad-line policy, event types (`--on-bad-line`, `--events`). */
  read?: ReadOptions;
  /** Preparation options over each dataset's defaults (`--dedupe`, `--filter`, ...). */
  prepare?: PrepareOptions;
  /**
   * `given` evaluates a dataset's predefined split as it is: a per-user split
   * under `cf`, disjoint users (`comirec:<name>`) under `sequential`. @default {"protocol"}
   */
  split?: SplitSource;
  /** Folder of the prepared-data cache; none when absent. */
  cacheDir?: string;
  /**
   * Run only this slice of the grid, writing to `out/shard-I-of-N`
   * (see `bench/shard.ts`). @default {{ index: 1, count: 1 }}
   */
  shard?: Shard;
  /**
   * How test queries are ranked: `score` (model.score + the shared top-K),
   * `exact` (from the models' embeddings, ONNX Runtime MatMul + TopK, same
   * lists) or `ann` (usearch HNSW; the report adds its recall of the exact
   * lists). Models without embeddings always use `score`. @default {"score"}
   */
  retrieval?: "score" | "exact" | "ann";
  /**
   * How validation queries are ranked during training (early stopping):
   * `exact` (the models' embeddings through the exact ranker: ONNX Runtime
   * with the certified re-rank, batched; the same lists as `score`, which
   * models without embeddings use anyway) or `score`. @default {"exact"}
   */
  validation?: "score" | "exact";
  /** HNSW settings for `retrieval: "ann"`. */
  ann?: AnnOptions;
  /**
   * Replace what `out` holds (its results, per-user files, report and charts)
   * when it comes from a different grid or revision; without it such a folder
   * is refused (`--overwrite`). @default {false}
   */
  overwrite?: boolean;
  /** Folder to write each trained model's ONNX export into (`--export-onnx`). */
  exportOnnx?: string;
  /**
   * Dense item-feature files (`--item-features [name=]PATH`, CSV, NPY or the
   * Amazon image `.b`, see `data/item_features.ts`), attached to every
   * dataset by raw item id; IDSF reads each as a modality, other models
   * ignore them.
   */
  itemFeatures?: string | string[];
  /**
   * `--tune`: grids of model configs scored on validation; only each grid's
   * best point is scored on test (see `bench/tune.ts`).
   */
  tune?: TuneOptions;
  /**
   * Training checkpoints in `out/checkpoints/` (`--checkpoint-every`,
   * `--keep-checkpoints`, see `bench/checkpoint.ts`): on by default, at each validation.
   */
  checkpoints?: CheckpointOptions;
  /** `--preset`: the paper preset whose values filled these options, recorded in the results. */
  preset?: PresetRecord;
  /** `--list`: `bench/main.ts` prints the plan instead of running (runBench ignores it). */
  list?: boolean;
  /** Per-dataset maxlen and model config values (a preset's), under `maxlen` and `modelConfig`. */
  datasetSettings?: Record<string, DatasetSettings>;
}

/**
 * Summarises a prepared dataset.
 *
 * @param ds The dataset.
 * @param timing Load and prepare seconds.
 * @returns The summary.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { summarizeDataset } from "./run.ts";
 * import { generateSynthetic } from "../data/synthetic.ts";
 * const s = summarizeDataset(generateSynthetic({ numUsers: 50, numItems: 40 }), { loadSeconds: 0, prepareSeconds: 0 });
 * ok(s.users === 50);
 * ```
 */
export function summarizeDataset(
  ds: Dataset,
  timing: { loadSeconds: number; prepareSeconds: number },
): DatasetSummary {
  const lengths = Int32Array.from(
    { length: ds.numUsers },
    (_, u) => ds.userPtr[u + 1] - ds.userPtr[u],
  )
    .sort();
  const mid = lengths.length >> 1;
  const median = lengths.length === 0
    ? 0
    : lengths.length % 2
    ? lengths[mid]
    : (lengths[mid - 1] + lengths[mid]) / 2;
  return {
    name: ds.name,
    checksum: ds.checksum,
    users: ds.numUsers,
    items: ds.numItems,
    interactions: ds.items.length,
    density: ds.items.length / Math.max(1, ds.numUsers * ds.numItems),
    meanPerUser: ds.items.length / Math.max(1, ds.numUsers),
    medianPerUser: median,
    preparation: { ...ds.preparation },
    repeatedEvents: firstOccurrences(ds).repeats,
    loadSeconds: timing.loadSeconds,
    prepareSeconds: timing.prepareSeconds,
  };
}

function splitFor(ds: Dataset, protocol: ProtocolName, seed: number, o: BenchOptions): Split {
  return protocol === "sequential"
    ? splitSequential(ds, {
      seed,
      excludeHistory: o.excludeHistory ?? false,
      maxlen: o.maxlen ?? o.datasetSettings?.[ds.name]?.maxlen ??
        REFERENCE_DATASET_SETTINGS[ds.name]?.maxlen ?? 20,
    })
    : splitPerUser(ds, { seed, order: o.cfOrder ?? "random" });
}

/** A given split: per-user parts under `cf`, disjoint users (ComiRec's files) under `sequential`. */
function givenSplitFor(given: GivenDataset, protocol: ProtocolName, o: BenchOptions): Split {
  return protocol === "sequential"
    ? splitGivenSequential(given, {
      excludeHistory: o.excludeHistory ?? false,
      maxlen: o.maxlen ?? o.datasetSettings?.[given.dataset.name]?.maxlen ??
        REFERENCE_DATASET_SETTINGS[given.dataset.name]?.maxlen ?? 20,
    })
    : splitGiven(given);
}

/**
 * Runs the grid and writes `results.json`, per-user values, `report.md` and
 * charts into `options.out` (or its `shard-I-of-N` subfolder). An interrupted
 * run in the same folder resumes: its completed cells are kept, not rerun.
 *
 * @param options What to run.
 * @returns The results.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { runBench } from "./run.ts";
 * const out = await Deno.makeTempDir();
 * const r = await runBench({ models: ["mostpop"], protocols: ["cf"], out, quiet: true });
 * ok(r.results[0].state === "completed");
 * ```
 */
export async function runBench(options: BenchOptions = {}): Promise<ResultsFile> {
  const datasets = options.datasets ?? ["synthetic"];
  const given = options.split === "given";
  const protocols = options.protocols ?? (given ? ["cf"] : ["sequential", "cf"]);
  const seeds = options.seeds ?? [1];
  const repeated = seeds.filter((s, i) => seeds.indexOf(s) !== i);
  if (repeated.length > 0) {
    throw new RangeError(
      `--seeds repeats ${[...new Set(repeated)].join(", ")}: a repeated seed reruns the same ` +
        `cell and makes the spread across seeds look smaller than it is`,
    );
  }
  if (options.dataDir !== undefined && options.datasets === undefined) {
    throw new RangeError(
      `--data-dir ${options.dataDir} is given without --datasets: name the datasets to read ` +
        `from it (the default is the embedded synthetic data, which reads no folder)`,
    );
  }
  const shard = options.shard ?? WHOLE_GRID;
  const out = shardOut(options.out ?? "out/bench", shard);
  const specs: ModelSpec<object>[] = [];
  const refs = options.models ?? DEFAULT_MODELS;
  // What each onnx: file was trained on, to flag cells that evaluate it on other users.
  const origins = new Map<string, TrainedOn>();
  for (const ref of refs.length === 1 && refs[0] === "all" ? Object.keys(MODELS) : refs) {
    const spec = await loadModelSpec(ref, MODELS);
    specs.push(spec);
    if (ref.startsWith("onnx:")) {
      const sidecar = JSON.parse(await Deno.readTextFile(sidecarPath(ref.slice(5))));
      const origin = recordedOrigin(sidecar);
      if (origin) origins.set(spec.name, origin);
    }
  }
  const configs = new Map<string, object>();
  for (const spec of specs) {
    checkOnnxProtocol(spec, protocols);
    configs.set(spec.name, spec.configure(options.modelConfig?.[spec.name] ?? {}));
  }
  const tunePlan = options.tune
    ? checkTuneGrid(options.tune.grid, specs, options.modelConfig)
    : new Map<string, TunePoint[]>();
  const ranker = await createRetrieval(options);
  // Validation ranks exactly: through --retrieval's ranker when it is exact, never through ANN.
  const validationRanker = (options.validation ?? "exact") === "score"
    ? undefined
    : ranker?.name.startsWith("exact-")
    ? ranker
    : await createExactRanker({
      backend: options.backend ?? "onnxruntime",
      ...(options.threads !== undefined ? { threads: options.threads } : {}),
    });
  // Read (and checked) before any training, so a malformed file stops the run at once.
  const featureFiles = [];
  for (const spec of [options.itemFeatures ?? []].flat()) {
    featureFiles.push(await readItemFeatureFile(spec));
  }
  const features = featureFiles.length > 0 ? featureFiles : undefined;
  /** One entry as before for a single file, a list for several. */
  const oneOrMany = <T>(xs: T[]): T | T[] => xs.length === 1 ? xs[0] : xs;
  if (options.exportOnnx !== undefined) await checkWritable(options.exportOnnx, "--export-onnx");
  const preset = options.budgetPreset !== undefined
    ? runPreset(options.budgetPreset, options.budget ?? {})
    : undefined;
  const engine = await createEngine({
    backend: options.backend ?? "onnxruntime",
    budget: { ...preset?.preset.sequential, ...options.budget },
    ...(options.threads !== undefined ? { threads: options.threads } : {}),
  });
  for (const name of Object.keys(options.modelConfig ?? {})) {
    if (!specs.some((s) => s.name === name)) {
      throw new RangeError(`Config given for model "${name}", which is not in --models`);
    }
  }
  for (const name of datasets) datasetSource(name); // fail fast on unknown names
  // Before any training: the folder must be writable, and no other run may use it.
  using lock = await lockResultsFolder(out);
  // A stop signal during training saves the cell's checkpoint before the run exits.
  using stopSignals = options.checkpoints?.every === 0 ? undefined : await StopSignals.start();

  const file: ResultsFile = {
    schema: 1,
    provenance: await collectProvenance(options.command ?? "(library call)"),
    seeds: [...seeds],
    datasets: {},
    models: Object.fromEntries(
      specs.map((
        s,
      ) => [s.name, { title: s.title, reference: s.reference, deviations: s.deviations }]),
    ),
    results: [],
  };
  file.grid = planGrid({
    datasets,
    protocols,
    seeds,
    models: specs,
    options: {
      maxlen: options.maxlen ?? 20,
      cfOrder: options.cfOrder ?? "random",
      excludeHistory: options.excludeHistory ?? false,
      ...(options.tune ? { tune: { ...options.tune } } : {}),
      ...(options.fairnessWeighting ? { fairnessWeighting: options.fairnessWeighting } : {}),
      ...(options.datasetSettings ? { datasetSettings: options.datasetSettings } : {}),
      ...(options.preset ? { preset: options.preset } : {}),
      models: Object.fromEntries(configs),
      engine: {
        backend: engine.backend.name,
        budget: { ...engine.budget },
        ...(preset ? { budgetPreset: preset.name } : {}),
      },
      // Data options too, so a rerun with other data flags never keeps old cells.
      data: {
        read: options.read ?? null,
        prepare: options.prepare ?? null,
        split: options.split ?? "protocol",
        dataDir: options.dataDir ?? null,
        // By content, so resuming or merging never mixes runs with different features.
        ...(features
          ? {
            itemFeatures: oneOrMany(
              features.map((f) => ({
                ...(f.modality !== "dense" ? { modality: f.modality } : {}),
                sha256: f.sha256,
                idsSha256: f.ids?.sha256 ?? null,
              })),
            ),
          }
          : {}),
      },
    },
  }, shard);
  if (tunePlan.size > 0) {
    const { options: gridOptions } = file.grid;
    file.grid = planTunedGrid(
      { datasets, protocols, seeds, models: specs, options: gridOptions },
      tunePlan,
      shard,
    );
  }
  const planned = new Set(file.grid.cells);
  const previous = await previousRun(out, file, options.overwrite ?? false);
  const { kept, reason } = resumableCells(previous, file.grid, file.provenance.revision);
  const progress = new Progress({ quiet: options.quiet ?? false });
  // Warnings are printed even with --quiet.
  const warn = (text: string) => options.quiet ? console.error(text) : progress.log(text);
  const stale = staleLockNote(lock);
  if (stale) warn(stale);
  // Work, not cells: a cell is its training iterations plus its evaluated users,
  // estimated from the budget and the data, then revised as cells finish.
  for (const key of planned) {
    if (kept.has(key)) continue;
    progress.expect(`${key}:fit`, engine.budget.maxIterations);
    progress.expect(`${key}:eval`, 0);
  }
  // Tuning: what will train, and how long it should take where a speed was measured.
  const tuneSpeeds = new Map<string, TuneSpeed>();
  const tuneBudgets = {
    point: Math.min(options.tune?.budget ?? Infinity, engine.budget.maxIterations),
    full: engine.budget.maxIterations,
  };
  const projectRest = () =>
    projectTuning(
      file.grid!.cells.filter((k) => !kept.has(k) && !file.results.some((r) => cellKey(r) === k)),
      [...tunePlan.keys()],
      tuneBudgets,
      tuneSpeeds,
    );
  for (const r of kept.values()) {
    if (r.tuning?.role === "point" && !tuneSpeeds.has(r.tuning.model)) {
      tuneSpeeds.set(
        r.tuning.model,
        measuredSpeed(r, tuneBudgets.full, `its point ${r.model} kept from the interrupted run`),
      );
    }
  }
  for (const s of options.preset?.skipped ?? []) {
    warn(`preset ${options.preset!.name}: skipping ${s.kind} ${s.name} (${s.why})`);
  }
  if (tunePlan.size > 0) warn(projectRest());
  if (kept.size > 0) {
    progress.log(`resuming: ${kept.size} of ${planned.size} cells kept (${reason})`);
  }
  for (const name of datasets) {
    const cellsHere = file.grid.cells.filter((k) => k.startsWith(`${name}/`));
    if (cellsHere.length === 0) continue;
    if (cellsHere.every((k) => kept.has(k)) && previous?.datasets[name]) {
      file.datasets[name] = previous.datasets[name];
      for (const k of cellsHere) file.results.push(kept.get(k)!);
      continue;
    }
    const source = datasetSource(name);
    progress.advance(`${name}:load`, 0, `loading ${name}`);
    let t0 = performance.now(), t1 = t0, t2 = t0;
    const loaded = await loadDataset(source.name, {
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.read ? { read: options.read } : {}),
      ...(options.prepare ? { prepare: options.prepare } : {}),
      ...(options.split ? { split: options.split } : {}),
      ...(options.cacheDir !== undefined ? { cacheDir: options.cacheDir } : {}),
      onWarning: warn,
      onPhase: (phase) => {
        if (phase === "read") t0 = performance.now();
        else if (phase === "prepare") t1 = performance.now();
        else t2 = performance.now();
      },
    });
    if (loaded.cache === "hit") t1 = t2;
    let ds = loaded.dataset;
    const summaries = [];
    for (const f of features ?? []) {
      const attached = attachItemFeatures(ds, f);
      ds = attached.dataset;
      summaries.push(attached.summary);
    }
    file.datasets[name] = summarizeDataset(ds, {
      loadSeconds: (t1 - t0) / 1000,
      prepareSeconds: (t2 - t1) / 1000,
    });
    progress.log(
      `${name}: ${ds.numUsers} users, ${ds.numItems} items, ${ds.items.length} interactions; ` +
        `loaded in ${((t1 - t0) / 1000).toFixed(2)}s, prepared in ${
          ((t2 - t1) / 1000).toFixed(2)
        }s${loaded.cache === "hit" ? ` (from the cache ${loaded.cachePath})` : ""}`,
    );
    for (const k of cellsHere) {
      // Until the split says: a tenth of the users (sequential), every user (cf).
      if (!kept.has(k)) {
        progress.expect(`${k}:eval`, ds.numUsers * (k.split("/").at(-3) === "cf" ? 1 : 0.1));
      }
    }
    if (summaries.length > 0) {
      file.datasets[name].itemFeatures = oneOrMany(summaries);
      for (const s of summaries) progress.log(describeItemFeatures(name, s));
    }
    for (const protocol of protocols) {
      for (const seed of seeds) {
        let split: Split | undefined;
        for (const spec of specs) {
          const label = `${spec.name} on ${name} (${protocol}, seed ${seed})`;
          if (!spec.protocols.includes(protocol)) {
            if (shard.count === 1) {
              progress.log(`skip ${label}: the model does not support this protocol`);
            }
            continue;
          }
          const key = cellKey({ dataset: name, protocol, seed, model: spec.name });
          // What every cell of this model gets; test cells add the ranker and the export.
          const context = (split: Split, text: string) => ({
            ds,
            split,
            seed,
            revision: file.provenance.revision,
            out,
            engine,
            warn: (message: string) => warn(`WARNING ${text}: ${message}`),
            ...(origins.has(spec.name) ? { origin: origins.get(spec.name)! } : {}),
            ...(validationRanker ? { validationRanker } : {}),
            fairnessWeighting: options.fairnessWeighting ?? "genre",
            ...(preset ? { preset } : {}),
            checkpoints: {
              ...options.checkpoints,
              note: warn, // printed even with --quiet: a resumed cell is worth a line in a log
              ...(stopSignals ? { stopSignals } : {}),
            },
          });
          const testContext = (split: Split) => ({
            ...context(split, label),
            ...(ranker ? { ranker } : {}),
            ...(options.exportOnnx !== undefined ? { exportOnnx: options.exportOnnx } : {}),
          });
          if (tunePlan.has(spec.name)) {
            // Points on validation (each at most --tune-budget iterations), then the chosen one on test.
            const metric = tuneMetric(protocol, options.tune!.metric);
            const points = tunePlan.get(spec.name)!;
            const reference = {
              ...referenceModelSettings(name, spec.defaults),
              ...options.datasetSettings?.[name]?.models?.[spec.name],
            };
            const configOf = (p: TunePoint) =>
              spec.configure({ ...reference, ...options.modelConfig?.[spec.name], ...p.overrides });
            const record = { model: spec.name, metric, ...tuneBudgetRecord(options.tune!) };
            const jobs = points.map((p) => ({
              key: cellKey({ dataset: name, protocol, seed, model: pointName(spec.name, p) }),
              p,
            }));
            for (const { key: pointKey, p } of jobs) {
              if (!planned.has(pointKey) || kept.has(pointKey)) {
                if (kept.has(pointKey)) file.results.push(kept.get(pointKey)!);
                continue;
              }
              split ??= loaded.parts
                ? givenSplitFor({ dataset: ds, parts: loaded.parts }, protocol, options)
                : splitFor(ds, protocol, seed, options);
              const pointLabel = `${
                pointName(spec.name, p)
              } on ${name} (${protocol}, seed ${seed}, validation)`;
              const result = await runCell(
                spec,
                configOf(p),
                {
                  ...context(split, pointLabel),
                  checkpointKey: pointKey,
                  engine: options.tune!.budget === undefined ? engine : {
                    ...engine,
                    budget: {
                      ...engine.budget,
                      maxIterations: Math.min(options.tune!.budget, engine.budget.maxIterations),
                    },
                  },
                  scoreOn: "validation",
                },
                (phase, units, detail) =>
                  progress.advance(
                    `${pointKey}:${phase}`,
                    units,
                    detail ? `${pointLabel} | ${detail}` : pointLabel,
                  ),
              );
              const named = {
                ...result,
                model: pointName(spec.name, p),
                tuning: {
                  role: "point" as const,
                  point: p.label,
                  overrides: p.overrides,
                  ...record,
                },
              };
              file.results.push(named);
              progress.finish(
                `${pointKey}:fit`,
                result.state === "completed" ? result.training?.iterations ?? 0 : 0,
              );
              progress.finish(`${pointKey}:eval`, 0);
              if (result.state === "completed" && !tuneSpeeds.has(spec.name)) {
                tuneSpeeds.set(
                  spec.name,
                  measuredSpeed(result, tuneBudgets.full, `its point ${named.model}, measured now`),
                );
                warn(projectRest());
              }
              if (result.state === "completed") {
                progress.log(
                  `done ${pointLabel}: validation ${metric} ${
                    pointValue(result, metric)?.toFixed(4)
                  }`,
                );
              } else progress.fail(`FAILED ${pointLabel}: ${result.error}`);
              await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
            }
            if (!planned.has(key) || kept.has(key)) {
              if (kept.has(key)) file.results.push(kept.get(key)!);
              continue;
            }
            // Validation values of every point: this shard's, then other shards' folders.
            const byKey = new Map(file.results.map((r) => [cellKey(r), r]));
            const missing = jobs.filter((j) => !byKey.has(j.key));
            if (missing.length > 0) {
              for (
                const [k, r] of await siblingPoints(
                  options.out ?? "out/bench",
                  file.grid!,
                  file.provenance.revision,
                )
              ) byKey.set(k, r);
            }
            const waiting = jobs.filter((j) => !byKey.has(j.key));
            if (waiting.length > 0) {
              warn(
                `tuning ${label} waits for ${waiting.length} grid point(s) other shards score ` +
                  `(first ${waiting[0].key}): rerun this shard once they finish; it resumes`,
              );
              continue;
            }
            const values = jobs.map((j) => pointValue(byKey.get(j.key)!, metric));
            const best = choosePoint(values);
            const tuning = {
              role: "chosen" as const,
              ...record,
              point: best >= 0 ? points[best].label : "(none)",
              overrides: best >= 0 ? points[best].overrides : {},
              points: jobs.map((j, i) => ({ point: j.p.label, validation: values[i] })),
              rule: CHOICE_RULE,
            };
            split ??= loaded.parts
              ? givenSplitFor({ dataset: ds, parts: loaded.parts }, protocol, options)
              : splitFor(ds, protocol, seed, options);
            const result = best < 0
              ? {
                ...erroredBase(
                  spec.name,
                  name,
                  protocol,
                  seed,
                  ds.checksum,
                  file.provenance.revision,
                ),
                error: `${spec.name}: no grid point of --tune completed on validation`,
              }
              : await runCell(
                spec,
                configOf(points[best]),
                testContext(split),
                (phase, units, detail) =>
                  progress.advance(
                    `${key}:${phase}`,
                    units,
                    detail ? `${label} | ${detail}` : label,
                  ),
              );
            file.results.push({ ...result, tuning });
            progress.finish(
              `${key}:fit`,
              result.state === "completed" ? result.training?.iterations ?? 0 : 0,
            );
            progress.finish(`${key}:eval`, result.state === "completed" ? undefined : 0);
            if (result.state === "completed") {
              progress.log(
                `done ${label}: chose ${tuning.point} by validation ${metric}; test recall@20 ${
                  result.metrics["recall@20"].toFixed(4)
                }`,
              );
            } else progress.fail(`FAILED ${label}: ${result.error}`);
            sortByPlan(file);
            await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
            continue;
          }
          if (!planned.has(key)) continue;
          if (kept.has(key)) {
            file.results.push(kept.get(key)!);
            continue;
          }
          split ??= loaded.parts
            ? givenSplitFor({ dataset: ds, parts: loaded.parts }, protocol, options)
            : splitFor(ds, protocol, seed, options);
          progress.expect(`${key}:eval`, split.test.queries.length);
          // The reference runs' per-dataset settings (REMI's beta, MIND's ReLU layer), under --set.
          const reference = {
            ...referenceModelSettings(name, spec.defaults),
            ...options.datasetSettings?.[name]?.models?.[spec.name],
          };
          const result = await runCell(
            spec,
            Object.keys(reference).length > 0
              ? spec.configure({ ...reference, ...options.modelConfig?.[spec.name] })
              : configs.get(spec.name)!,
            testContext(split),
            (phase, units, detail) =>
              progress.advance(`${key}:${phase}`, units, detail ? `${label} | ${detail}` : label),
          );
          file.results.push(result);
          const iterations = result.state === "completed" ? result.training?.iterations ?? 0 : 0;
          progress.finish(`${key}:fit`, iterations);
          progress.finish(`${key}:eval`, result.state === "completed" ? undefined : 0);
          // The model's later cells likely train as long as this one did.
          for (const k of planned) {
            if (k.endsWith(`/${spec.name}`) && !kept.has(k) && progress.pending(`${k}:fit`)) {
              progress.expect(`${k}:fit`, iterations);
            }
          }
          if (result.state === "completed") {
            progress.log(
              `done ${label}: recall@20 ${result.metrics["recall@20"].toFixed(4)}, ` +
                `fit ${result.timings.fitSeconds.toFixed(2)}s, eval ${
                  result.timings.evalSeconds.toFixed(2)
                }s`,
            );
          } else progress.fail(`FAILED ${label}: ${result.error}`);
          await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
        }
      }
    }
  }
  progress.done();
  if (tunePlan.size > 0) sortByPlan(file);
  await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
  await writeReport(out, file);
  return file;
}

async function runCell(
  spec: ModelSpec<object>,
  config: object,
  cell: {
    ds: Dataset;
    split: Split;
    seed: number;
    revision: string;
    out: string;
    engine: Engine;
    ranker?: Ranker;
    /** Ranks validation queries (the `score()` path without it). */
    validationRanker?: Ranker;
    exportOnnx?: string;
    fairnessWeighting: LabelWeighting;
    /** Prints a warning about this cell (also kept in its result). */
    warn: (text: string) => void;
    /** What an `onnx:` model was trained on. */
    origin?: TrainedOn;
    /** `validation`: a `--tune` grid point, scored on the validation users only (no test). */
    scoreOn?: "validation";
    /** Training checkpoints of the cell (none without). */
    checkpoints?: CheckpointOptions & { note: (text: string) => void; stopSignals?: StopSignals };
    /** The checkpoint's key when it is not the cell's (a tuning point's). */
    checkpointKey?: string;
    /** `--budget`'s preset (the `cf` family's budget then follows from each cell's data). */
    preset?: RunPreset;
  },
  onProgress: (phase: "fit" | "eval", units: number, detail?: string) => void,
): Promise<RunResult> {
  const { ds, split, seed } = cell;
  const { batchesPerEpoch, ...budget } = cellBudget(cell.preset, cell.engine.budget, {
    protocol: split.protocol,
    train: split.train,
    config,
  });
  const base = {
    model: spec.name,
    dataset: ds.name,
    protocol: split.protocol,
    seed,
    config: {
      model: { ...config } as Record<string, unknown>,
      protocol: split.config,
      engine: {
        backend: cell.engine.backend.name,
        threads: cell.engine.threads,
        validation: cell.validationRanker?.name ?? "score",
        budget,
        ...(cell.preset ? { budgetPreset: cell.preset.name } : {}),
        ...(batchesPerEpoch ? { batchesPerEpoch } : {}),
        ...(cell.engine.fallback ? { fallback: cell.engine.fallback } : {}),
      },
    },
    datasetChecksum: ds.checksum,
    ...(ds.itemFeatures?.dense?.length
      ? {
        itemFeatures: ds.itemFeatures.dense.length === 1
          ? ds.itemFeatures.dense[0].source
          : ds.itemFeatures.dense.map((d) => d.source),
      }
      : {}),
    revision: cell.revision,
    deno: Deno.version.deno,
  };
  const warnings: string[] = [];
  const flag = (text: string) => {
    warnings.push(text);
    cell.warn(text);
  };
  const mismatch = cell.origin
    ? originMismatch(cell.origin, {
      dataset: ds.name,
      checksum: ds.checksum,
      protocol: split.protocol,
      seed,
      split: split.config,
    })
    : undefined;
  if (mismatch) flag(mismatch);
  let checkpoint: ReturnType<typeof cellCheckpoint>;
  try {
    if (spec.needsItemFeatures && !hasItemFeatures(ds)) {
      const notes = ds.preparation.notes?.length ? ` (${ds.preparation.notes.join("; ")})` : "";
      throw new Error(
        `${spec.title} needs item side features (categorical fields, titles or ` +
          `--item-features) and ${ds.name} has none${notes}`,
      );
    }
    const peak = new PeakMemory();
    const model = spec.create(config);
    const stop = cell.checkpoints?.stopSignals;
    checkpoint = cell.checkpoints && cellCheckpoint(cell.out, base, {
      ...cell.checkpoints,
      warn: flag,
      ...(cell.checkpointKey ? { key: cell.checkpointKey } : {}),
      ...(stop ? { stopRequested: () => stop.requested() } : {}),
    });
    const t0 = performance.now();
    await model.fit(split.train, {
      seed,
      rng: (label) => deriveRng(seed, `${spec.name}:${label}`),
      progress: (f, detail) => {
        peak.sample();
        onProgress("fit", f * budget.maxIterations, detail);
      },
      // A split without validation users (a given train/test split) has nothing to
      // validate on: models then stop on the training loss instead.
      ...(split.train.validation.queries.length > 0
        ? {
          validate: () =>
            evaluateModel(model, split.train.validation, ds.numItems, {
              cutoffs: [50],
              ...(cell.validationRanker ? { ranker: cell.validationRanker } : {}),
            }).metrics["recall@50"],
        }
        : {}),
      backend: cell.engine.backend,
      budget,
      threads: cell.engine.threads,
      clock: () => performance.now(),
      itemIds: ds.itemIds,
      userIds: ds.userIds,
      ...(checkpoint ? { checkpoint } : {}),
    });
    const t1 = performance.now();
    const onValidation = cell.scoreOn === "validation";
    if (onValidation && split.train.validation.queries.length === 0) {
      throw new RangeError(
        `--tune needs validation users and this split has none (a given train/test split): ` +
          `tuning on test would leak it`,
      );
    }
    const target = onValidation ? split.train.validation : split.test;
    const ev = evaluateModel(model, target, ds.numItems, {
      ...(cell.ranker ? { ranker: cell.ranker } : {}),
      progress: (f) => onProgress("eval", f * target.queries.length),
    });
    const t2 = performance.now();
    const evalSeconds = (t2 - t1) / 1000;
    peak.sample();
    const perUser = onValidation ? undefined : perUserPath(base);
    if (perUser) await writePerUser(cell.out, perUser, ev.users, ev.perUser);
    const result: CompletedResult = {
      ...base,
      state: "completed",
      metrics: ev.metrics,
      timings: {
        fitSeconds: (t1 - t0) / 1000,
        evalSeconds,
        evalUsersPerSecond: ev.users.length / Math.max(evalSeconds, 1e-9),
      },
      parameters: model.parameterCount(),
      rssMiB: Deno.memoryUsage().rss / 2 ** 20,
      evaluatedUsers: ev.users.length,
      ...(model.trainingReport ? { training: model.trainingReport() } : {}),
      ...(perUser ? { perUser } : {}),
      peakRssMiB: peak.mib,
      ...(ev.retrieval ? { retrieval: ev.retrieval } : {}),
      ...(ev.variants ? { referenceVariants: ev.variants } : {}),
      ...(cell.exportOnnx !== undefined && !onValidation
        ? await exportCell(model, cell.exportOnnx, base, ds, split.config)
        : {}),
      ...(split.protocol === "cf" && !onValidation
        ? {
          fairness: diversityFairness(split.train, ev.users, ev.perUser, {
            weighting: cell.fairnessWeighting,
          }),
        }
        : {}),
    };
    // Last, so the extra scoring (which may draw from a model's own stream, as
    // MIND's routing does) cannot change the cell's numbers.
    const probe = split.train.validation.queries.length > 0 ? split.train.validation : split.test;
    if (constantScores(model, probe, ds.numItems)) {
      flag(
        `its scores are the same for every item (${
          probe === split.test ? "test" : "validation"
        } users): every item ties, so its ranking is the tie rule (lower item index), not the model`,
      );
    }
    if (!cell.checkpoints?.keep) checkpoint?.remove();
    return warnings.length > 0 ? { ...result, warnings } : result;
  } catch (error) {
    if (error instanceof TrainingInterrupted) {
      throw new RunStopped(
        checkpoint!.cell,
        error.iteration,
        cell.checkpoints?.stopSignals?.signal() ?? 15,
      );
    }
    if (!cell.checkpoints?.keep) checkpoint?.remove();
    return {
      ...base,
      ...(warnings.length > 0 ? { warnings } : {}),
      state: "errored",
      // Named, so a message read alone (a log line, a report row) says which model failed.
      error: `${spec.name}: ${(error as Error).stack ?? String(error)}`,
    };
  }
}

/** Creates `dir` and writes a probe file into it, so an unwritable folder stops the run before training. */
async function checkWritable(dir: string, flag: string): Promise<void> {
  const probe = `${dir}/.recbench-write-test.${Deno.pid}`;
  try {
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch (error) {
    throw new Error(`Cannot write to ${flag} ${dir}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Creates `out` and takes its lock; an unwritable folder is reported as such. */
async function lockResultsFolder(out: string): Promise<RunLock> {
  try {
    await Deno.mkdir(out, { recursive: true });
    return acquireRunLock(out);
  } catch (error) {
    if (error instanceof FolderLockedError) throw error;
    throw new Error(`Cannot write to --out ${out}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The results a folder already holds, if the new run may resume there; throws
 * when they come from another grid or revision (or cannot be read), unless
 * `overwrite`, which removes them with their per-user files, report and charts.
 */
async function previousRun(
  out: string,
  file: ResultsFile,
  overwrite: boolean,
): Promise<ResultsFile | undefined> {
  const path = `${out}/results.json`;
  try {
    await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  let differences: string[];
  let previous: ResultsFile | undefined;
  try {
    previous = await readResults(path);
    differences = gridDifferences(previous, file.grid!, file.provenance.revision);
  } catch (error) {
    differences = [`its results.json cannot be read (${(error as Error).message})`];
  }
  if (differences.length === 0) return previous;
  if (!overwrite) {
    const finished = previous?.grid &&
      previous.grid.cells.every((k) => previous.results.some((r) => cellKey(r) === k));
    throw new Error(
      `${out} holds ${
        previous ? (finished ? "a finished" : "a partial") : "another"
      } run of a different grid:\n  ${differences.join("\n  ")}\n` +
        `Choose a new --out, or add --overwrite to replace it.`,
    );
  }
  for (const entry of ["results.json", "report.md", "charts", "per-user", "checkpoints"]) {
    await Deno.remove(`${out}/${entry}`, { recursive: true }).catch((error) => {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    });
  }
  return undefined;
}

/** Whether a dataset has any item side feature a model could read. */
function hasItemFeatures(ds: Dataset): boolean {
  const f = ds.itemFeatures;
  if (!f) return false;
  return (f.dense?.length ?? 0) > 0 || (f.titles?.some((t) => t !== "") ?? false) ||
    Object.values(f.fields).some((field) => field.codes.length > 0);
}

/** The ranker of `--retrieval` (none for the default `score` path). */
async function createRetrieval(o: BenchOptions): Promise<Ranker | undefined> {
  if ((o.retrieval ?? "score") === "score") return undefined;
  const exact = await createExactRanker({
    backend: o.backend ?? "onnxruntime",
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
  });
  return o.retrieval === "ann" ? createAnnRanker(exact, o.ann ?? {}) : exact;
}

/** Writes a cell's model to `DIR/<dataset>_<protocol>_seed<seed>_<model>.onnx` if it has an export. */
async function exportCell(
  model: Model,
  dir: string,
  base: { model: string; dataset: string; protocol: ProtocolName; seed: number },
  ids: { itemIds: readonly string[]; userIds: readonly string[]; checksum: string },
  splitConfig: Record<string, unknown>,
): Promise<{ onnx?: string }> {
  const file = `${base.dataset}_${base.protocol}_seed${base.seed}_${base.model}`.replace(
    /[^A-Za-z0-9_.+-]/g,
    "-",
  );
  const path = `${dir}/${file}.onnx`;
  const source =
    `${base.model} trained by recbench on ${base.dataset} (${base.protocol}, seed ${base.seed})`;
  return await exportOnnx(model, path, {
      protocol: base.protocol,
      trainedOn: {
        dataset: base.dataset,
        checksum: ids.checksum,
        protocol: base.protocol,
        seed: base.seed,
        split: splitConfig,
      },
      items: ids.itemIds,
      ...(base.protocol === "cf" ? { users: ids.userIds } : {}),
      source,
    })
    ? { onnx: path }
    : {};
}

/** Orders results as the plan lists their cells (tuned runs score chosen points last). */
function sortByPlan(file: ResultsFile): void {
  const order = new Map(file.grid!.cells.map((k, i) => [k, i]));
  file.results.sort((a, b) => (order.get(cellKey(a)) ?? 0) - (order.get(cellKey(b)) ?? 0));
}

/** What the results record of `--tune-budget`. */
function tuneBudgetRecord(tune: TuneOptions): { pointBudget?: number } {
  return tune.budget !== undefined ? { pointBudget: tune.budget } : {};
}

/** The fields of an errored result that never ran. */
function erroredBase(
  model: string,
  dataset: string,
  protocol: ProtocolName,
  seed: number,
  datasetChecksum: string,
  revision: string,
): Omit<ErroredResult, "error"> {
  return {
    model,
    dataset,
    protocol,
    seed,
    config: { model: {}, protocol: {} },
    datasetChecksum,
    revision,
    deno: Deno.version.deno,
    state: "errored",
  };
}
