/**
 * Runs the benchmark grid (datasets x protocols x seeds x models) and writes
 * `results.json` (atomically, after every cell) and `report.md`.
 *
 * @module
 */
import { datasetSource } from "../data/datasets.ts";
import type { Dataset } from "../data/dataset.ts";
import { prepareDataset } from "../data/prepare.ts";
import { deriveRng } from "../data/rng.ts";
import { type ProtocolName, type Split, splitPerUser, splitSequential } from "../data/split.ts";
import { loadModelSpec, MODELS, type ModelSpec } from "../models/mod.ts";
import { renderReport } from "../reports/markdown.ts";
import { evaluateModel } from "./evaluate.ts";
import { Progress } from "./progress.ts";
import { collectProvenance } from "./provenance.ts";
import {
  type DatasetSummary,
  type ResultsFile,
  type RunResult,
  writeTextAtomic,
} from "./results.ts";

/** Options of {@linkcode runBench}. */
export interface BenchOptions {
  /** Dataset names. @default {["synthetic"]} */
  datasets?: readonly string[];
  /** Folder holding original dataset files. */
  dataDir?: string;
  /** Registry names or module paths. @default every registered model */
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
  /** Sequential protocol history length. @default {20} */
  maxlen?: number;
  /** Per-model config overrides, by model name. */
  modelConfig?: Record<string, Record<string, unknown>>;
  /** Command line recorded in the provenance. @default {"(library call)"} */
  command?: string;
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
    loadSeconds: timing.loadSeconds,
    prepareSeconds: timing.prepareSeconds,
  };
}

function splitFor(ds: Dataset, protocol: ProtocolName, seed: number, o: BenchOptions): Split {
  return protocol === "sequential"
    ? splitSequential(ds, {
      seed,
      excludeHistory: o.excludeHistory ?? false,
      maxlen: o.maxlen ?? 20,
    })
    : splitPerUser(ds, { seed, order: o.cfOrder ?? "random" });
}

/**
 * Runs the grid and writes `results.json` and `report.md` into `options.out`.
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
  const protocols = options.protocols ?? ["sequential", "cf"];
  const seeds = options.seeds ?? [1];
  const out = options.out ?? "out/bench";
  const specs: ModelSpec<object>[] = [];
  for (const ref of options.models ?? Object.keys(MODELS)) {
    specs.push(await loadModelSpec(ref, MODELS));
  }
  const configs = new Map<string, object>();
  for (const spec of specs) {
    configs.set(spec.name, spec.configure(options.modelConfig?.[spec.name] ?? {}));
  }
  for (const name of Object.keys(options.modelConfig ?? {})) {
    if (!specs.some((s) => s.name === name)) {
      throw new RangeError(`Config given for model "${name}", which is not in --models`);
    }
  }
  for (const name of datasets) datasetSource(name); // fail fast on unknown names
  await Deno.mkdir(out, { recursive: true });

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
  const cellsPerDataset = protocols.length * seeds.length * specs.length;
  const progress = new Progress(datasets.length * cellsPerDataset, {
    quiet: options.quiet ?? false,
  });
  let done = 0;
  for (const name of datasets) {
    const source = datasetSource(name);
    progress.update(done, 0, `loading ${name}`);
    const t0 = performance.now();
    const log = await source.read(options.dataDir);
    const t1 = performance.now();
    const ds = prepareDataset(log, source.prepare);
    const t2 = performance.now();
    file.datasets[name] = summarizeDataset(ds, {
      loadSeconds: (t1 - t0) / 1000,
      prepareSeconds: (t2 - t1) / 1000,
    });
    progress.log(
      `${name}: ${ds.numUsers} users, ${ds.numItems} items, ${ds.items.length} interactions; ` +
        `loaded in ${((t1 - t0) / 1000).toFixed(2)}s, prepared in ${
          ((t2 - t1) / 1000).toFixed(2)
        }s`,
    );
    for (const protocol of protocols) {
      for (const seed of seeds) {
        const split = splitFor(ds, protocol, seed, options);
        for (const spec of specs) {
          const label = `${spec.name} on ${name} (${protocol}, seed ${seed})`;
          if (!spec.protocols.includes(protocol)) {
            progress.log(`skip ${label}: the model does not support this protocol`);
            done++;
            continue;
          }
          const result = await runCell(
            spec,
            configs.get(spec.name)!,
            { ds, split, seed, revision: file.provenance.revision },
            (f) => progress.update(done, f, label),
          );
          file.results.push(result);
          done++;
          progress.log(
            result.state === "completed"
              ? `done ${label}: recall@20 ${result.metrics["recall@20"].toFixed(4)}, ` +
                `fit ${result.timings.fitSeconds.toFixed(2)}s, eval ${
                  result.timings.evalSeconds.toFixed(2)
                }s`
              : `FAILED ${label}: ${result.error}`,
          );
          await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
        }
      }
    }
  }
  progress.done();
  await writeTextAtomic(`${out}/results.json`, JSON.stringify(file, null, 1) + "\n");
  await writeTextAtomic(`${out}/report.md`, renderReport(file));
  return file;
}

async function runCell(
  spec: ModelSpec<object>,
  config: object,
  cell: { ds: Dataset; split: Split; seed: number; revision: string },
  onProgress: (fraction: number) => void,
): Promise<RunResult> {
  const { ds, split, seed } = cell;
  const base = {
    model: spec.name,
    dataset: ds.name,
    protocol: split.protocol,
    seed,
    config: { model: { ...config } as Record<string, unknown>, protocol: split.config },
    datasetChecksum: ds.checksum,
    revision: cell.revision,
    deno: Deno.version.deno,
  };
  try {
    const model = spec.create(config);
    const t0 = performance.now();
    await model.fit(split.train, {
      seed,
      rng: (label) => deriveRng(seed, `${spec.name}:${label}`),
      progress: (f) => onProgress(0.5 * f),
    });
    const t1 = performance.now();
    const ev = evaluateModel(model, split.test, ds.numItems, {
      progress: (f) => onProgress(0.5 + 0.5 * f),
    });
    const t2 = performance.now();
    const evalSeconds = (t2 - t1) / 1000;
    return {
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
    };
  } catch (error) {
    return { ...base, state: "errored", error: (error as Error).stack ?? String(error) };
  }
}
