/**
 * `deno task bench --list`: what a run would train (models x datasets x grid
 * points x seeds), which datasets are missing and how to get them, and the
 * projected wall time from the speeds measured in `bench/presets_speeds.json`,
 * without running anything.
 *
 * @module
 */
import { datasetSource } from "../data/datasets.ts";
import { DOWNLOADS } from "../data/fetch.ts";
import type { ProtocolName } from "../data/split.ts";
import { DEFAULT_MODELS, MODELS } from "../models/mod.ts";
import type { TrainingBudget } from "../models/types.ts";
import { type PresetDataset, presetFor } from "./presets.ts";
import type { BenchOptions } from "./run.ts";
import { tunePoints } from "./tune.ts";
import SPEEDS from "./presets_speeds.json" with { type: "json" };

/** Size of a dataset after preparation. */
export interface DatasetSize {
  /** Users. */
  users: number;
  /** Items. */
  items: number;
  /** Interactions. */
  interactions: number;
}

/** One model's measured speed under one protocol on the reference dataset. */
export interface ModelSpeed {
  /** Seconds per training iteration (iterative models). */
  secondsPerIteration?: number;
  /** Seconds of the whole fit (models without iterations). */
  fitSeconds?: number;
  /** Seconds per evaluated user (ranking every item of the reference dataset). */
  evalSecondsPerUser: number;
}

/** The committed table of measured speeds (`bench/presets_speeds.json`). */
export interface SpeedTable {
  /** Where, when and how the figures were measured. */
  measured: { machine: string; date: string; load: string; commands: string[] };
  /** The dataset the per-model figures come from, with its size per protocol. */
  reference: { dataset: string } & Record<ProtocolName, DatasetSize>;
  /**
   * ComiRec-SA's seconds per iteration at two item-table sizes (`bench:speed
   * --items`): the sequential family's dense Adam moves every item row at
   * every step, so its iteration time grows with the items.
   */
  sequentialItemScaling: { items: number; secondsPerIteration: number }[];
  /** Speeds by model name, then protocol. */
  models: Record<string, Partial<Record<ProtocolName, ModelSpeed>>>;
}

/** The committed speeds. */
export const MEASURED_SPEEDS: SpeedTable = SPEEDS as SpeedTable;

/**
 * Projected seconds of one cell (training with validations, then the test),
 * an upper bound where early stopping ends training sooner. Sequential
 * training scales with the item table (linear between the two measured
 * sizes, extended beyond them), `cf` training with users + items +
 * interactions (graph propagation and dense Adam over both tables), ranking
 * with users x items; test and validation users: a tenth of the users
 * (sequential), every user (cf).
 *
 * @param speed The model's measured speed.
 * @param protocol The protocol.
 * @param size The dataset's size.
 * @param budget Iterations, validation interval.
 * @param table The speed table.
 * @returns Seconds.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MEASURED_SPEEDS, projectCellSeconds } from "./presets_plan.ts";
 * const ref = MEASURED_SPEEDS.reference.cf;
 * const s = projectCellSeconds({ secondsPerIteration: 1, evalSecondsPerUser: 0 }, "cf", ref,
 *   { maxIterations: 10, evalEvery: 10, patience: 1 });
 * ok(Math.abs(s - 10) < 1e-9);
 * ```
 */
export function projectCellSeconds(
  speed: ModelSpeed,
  protocol: ProtocolName,
  size: DatasetSize,
  budget: TrainingBudget,
  table: SpeedTable = MEASURED_SPEEDS,
): number {
  const ref = table.reference[protocol];
  const evalUsers = protocol === "sequential" ? Math.ceil(size.users / 10) : size.users;
  const perUser = speed.evalSecondsPerUser * size.items / ref.items;
  const test = evalUsers * perUser;
  if (speed.secondsPerIteration === undefined) {
    return (speed.fitSeconds ?? 0) * size.interactions / ref.interactions + test;
  }
  const scale = protocol === "sequential"
    ? sequentialIterationSeconds(size.items, table) / sequentialIterationSeconds(ref.items, table)
    : (size.users + size.items + size.interactions) /
      (ref.users + ref.items + ref.interactions);
  const validations = Math.floor(budget.maxIterations / budget.evalEvery);
  return budget.maxIterations * speed.secondsPerIteration * scale + validations * test + test;
}

function sequentialIterationSeconds(items: number, table: SpeedTable): number {
  const [a, b] = table.sequentialItemScaling;
  const slope = (b.secondsPerIteration - a.secondsPerIteration) / (b.items - a.items);
  return Math.max(a.secondsPerIteration, a.secondsPerIteration + slope * (items - a.items));
}

/** What `--list` found for one dataset. */
interface DatasetStatus {
  name: string;
  available: boolean;
  how?: string;
  size?: DatasetSize;
  sizeSource?: string;
}

async function datasetStatus(
  name: string,
  dataDir: string | undefined,
  fromPreset: PresetDataset | undefined,
): Promise<DatasetStatus> {
  let available = true;
  let how: string | undefined;
  try {
    const source = datasetSource(name);
    if (source.needsDataDir) {
      if (dataDir === undefined) throw new TypeError("no --data-dir");
      await source.files?.(dataDir);
    }
  } catch (error) {
    available = false;
    const download = DOWNLOADS[name];
    how = download && download.files.length > 0
      ? `get it with: deno task data:fetch ${name} --data-dir DIR, then pass --data-dir DIR`
      : download?.note
      ? `get it by hand: ${download.note}`
      : `not found (${(error as Error).message.split("\n")[0]}); see docs/datasets.md`;
  }
  const ref = MEASURED_SPEEDS.reference;
  const size = fromPreset?.stats ??
    (name === ref.dataset ? ref.cf : undefined);
  return {
    name,
    available,
    ...(how ? { how } : {}),
    ...(size ? { size, sizeSource: fromPreset?.stats?.why ?? "the speed table's reference" } : {}),
  };
}

function formatHours(s: number): string {
  return s < 120
    ? `${Math.round(s)} s`
    : s < 7200
    ? `${(s / 60).toFixed(0)} min`
    : `${(s / 3600).toFixed(1)} h`;
}

/**
 * The text `--list` prints: the preset (if any) with its skipped entries,
 * each dataset with whether it is present (and how to get it), each model
 * with its grid, the number of trainings, and the projected wall time per
 * dataset and in total. Nothing is trained or read beyond file names.
 *
 * @param options The run's options, after the preset was applied.
 * @returns The text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { describePlan } from "./presets_plan.ts";
 * ok((await describePlan({ models: ["mostpop"], protocols: ["cf"] })).includes("mostpop"));
 * ```
 */
export async function describePlan(options: BenchOptions): Promise<string> {
  const out: string[] = [];
  const preset = options.preset ? presetFor(options.preset.name) : undefined;
  if (options.preset) {
    out.push(`Preset ${options.preset.name}: ${options.preset.paper}`);
    out.push(`  reproduces ${options.preset.reproduces}`);
    const overridden = options.preset.values.filter((v) => v.overriddenBy !== undefined);
    if (overridden.length > 0) {
      out.push(
        `  overridden by flags: ${
          overridden.map((v) => `${v.key} = ${JSON.stringify(v.overriddenBy)}`).join("; ")
        }`,
      );
    }
  }
  const datasets = options.datasets ?? ["synthetic"];
  const protocols = options.protocols ??
    (options.split === "given" ? ["cf"] : ["sequential", "cf"]);
  const seeds = options.seeds ?? [1];
  const models = options.models ?? DEFAULT_MODELS;
  const budget: TrainingBudget = {
    maxIterations: options.budget?.maxIterations ?? 1000,
    // A given split has no validation users: nothing is validated.
    evalEvery: options.split === "given" ? Infinity : options.budget?.evalEvery ?? 250,
    patience: options.budget?.patience ?? 3,
  };
  out.push(
    `Protocols: ${protocols.join(", ")}${
      options.split === "given" ? " (the datasets' given split)" : ""
    }; seeds: ${seeds.join(", ")}; budget: at most ${budget.maxIterations} iterations, ` +
      (options.split === "given"
        ? "no validation users (given split)"
        : `validation every ${budget.evalEvery}, patience ${budget.patience}`) +
      (options.tune?.budget ? `; grid points at most ${options.tune.budget} iterations` : ""),
  );
  out.push("Datasets:");
  const statuses: DatasetStatus[] = [];
  for (const name of datasets) {
    const s = await datasetStatus(
      name,
      options.dataDir,
      preset?.datasets.find((d) => d.name === name),
    );
    statuses.push(s);
    const settings = options.datasetSettings?.[name];
    const set = [
      ...(settings?.maxlen !== undefined ? [`maxlen ${settings.maxlen}`] : []),
      ...Object.entries(settings?.models ?? {}).flatMap(([m, keys]) =>
        Object.entries(keys).map(([k, v]) => `${m}.${k}=${JSON.stringify(v)}`)
      ),
    ];
    out.push(
      `  ${name}: ${s.available ? "present" : `MISSING, ${s.how}`}${
        set.length > 0 ? `; ${set.join(", ")}` : ""
      }${
        s.size
          ? ` (${s.size.users} users, ${s.size.items} items, ${s.size.interactions} interactions: ${s.sizeSource})`
          : ""
      }`,
    );
  }
  for (const s of options.preset?.skipped.filter((x) => x.kind === "dataset") ?? []) {
    out.push(`  ${s.name}: not available, skipped (${s.why})`);
  }
  out.push("Models (grid points per dataset, protocol and seed):");
  const runs = new Map<string, { points: number; chosen: number }>();
  for (const m of models) {
    const grid = options.tune?.grid[m];
    const points = grid ? tunePoints(grid) : [];
    runs.set(m, { points: points.length, chosen: grid ? 1 : 0 });
    const fixed = Object.entries(options.modelConfig?.[m] ?? {}).map(([k, v]) =>
      `${k}=${JSON.stringify(v)}`
    );
    const known = Object.hasOwn(MODELS, m) || m.startsWith("onnx:") || m.includes("/");
    out.push(
      `  ${m}: ${
        grid
          ? `${points.length} points (${
            Object.entries(grid).map(([k, vs]) => `${k} in {${vs.join(", ")}}`).join(" x ")
          }) on validation + 1 chosen retraining`
          : "1 run"
      }${fixed.length > 0 ? `; ${fixed.join(", ")}` : ""}${known ? "" : " (NOT REGISTERED)"}`,
    );
  }
  for (const s of options.preset?.skipped.filter((x) => x.kind === "model") ?? []) {
    out.push(`  ${s.name}: not available, skipped (${s.why})`);
  }
  let trainings = 0;
  let total = 0, validating = 0;
  let unknown: string[] = [];
  const perDataset: string[] = [];
  for (const s of statuses) {
    let seconds = 0, projected = false;
    for (const protocol of protocols) {
      for (const m of models) {
        const spec = MODELS[m];
        if (spec && !spec.protocols.includes(protocol)) continue;
        const r = runs.get(m)!;
        const n = (r.points + (r.chosen || 1)) * seeds.length;
        trainings += n;
        const speed = MEASURED_SPEEDS.models[m]?.[protocol];
        if (!speed || !s.size) {
          unknown.push(`${m} on ${s.name}`);
          continue;
        }
        const full = projectCellSeconds(speed, protocol, s.size, budget);
        const pointBudget = {
          ...budget,
          maxIterations: Math.min(options.tune?.budget ?? Infinity, budget.maxIterations),
        };
        const point = projectCellSeconds(speed, protocol, s.size, pointBudget);
        seconds += seeds.length * (r.points * point + full);
        const size = s.size;
        const quiet = (b: TrainingBudget) =>
          projectCellSeconds(speed, protocol, size, { ...b, evalEvery: Infinity });
        validating += seeds.length *
          (r.points * (point - quiet(pointBudget)) + full - quiet(budget));
        projected = true;
      }
    }
    total += seconds;
    if (projected) perDataset.push(`${s.name} ${formatHours(seconds)}`);
  }
  unknown = [...new Set(unknown)];
  out.push(
    `Trainings: ${trainings} (${datasets.length} datasets x ${protocols.length} protocols x ` +
      `${seeds.length} seeds x models and grid points)`,
  );
  const m = MEASURED_SPEEDS.measured;
  out.push(
    `Projected wall time, one process, an upper bound (every training runs its full budget; early ` +
      `stopping ends most sooner): ${perDataset.join(", ") || "-"}; total ${formatHours(total)}` +
      (unknown.length > 0 ? ` + what cannot be projected (${unknown.join(", ")})` : "") + "." +
      (validating > 0
        ? ` Validations are ${
          Math.round(100 * validating / total)
        }% of it (ranking every item for the validation users every ${budget.evalEvery} iterations; ` +
          "a larger --eval-every cuts them)."
        : ""),
    `  From the speeds in bench/presets_speeds.json, measured on ${m.machine} on ${m.date} ` +
      `(load ${m.load}) on ${MEASURED_SPEEDS.reference.dataset}, scaled to each dataset's size ` +
      `(see projectCellSeconds); --shard I/N divides it over N machines.`,
  );
  return out.join("\n");
}
