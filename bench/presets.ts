/**
 * Paper presets (`deno task bench --preset NAME`): the datasets, protocol,
 * models, per-dataset settings, budget and tuning grids a seed paper states,
 * each value with where it comes from (`why`), filled into the run's options
 * under every explicit flag. The presets themselves are data files in
 * `bench/presets/`; `docs/presets.md` lists every value.
 *
 * A model or dataset recbench does not have yet is a `pending` entry: the run
 * skips it with a visible note and `--list` prints it as not available.
 * Switching one on is deleting its `pending` line.
 *
 * @module
 */
import type { ProtocolName } from "../data/split.ts";
import type { TrainingBudget } from "../models/types.ts";
import { MODELS } from "../models/mod.ts";
import type { BenchOptions } from "./run.ts";
import type { TuneGrid } from "./tune.ts";
import { COMIREC_PRESET } from "./presets/comirec.ts";
import { EFFICIENTREC_PRESET } from "./presets/efficientrec.ts";
import { IDSF_PRESET } from "./presets/idsf.ts";
import { LIGHTGCN_PRESET } from "./presets/lightgcn.ts";
import { MIFAIR_PRESET } from "./presets/mifair.ts";
import { REMI_PRESET } from "./presets/remi.ts";
import { SIMEMB_PRESET } from "./presets/simemb.ts";

/** A value a preset sets, with its source (a paper's section or table, the authors' code) or why it was chosen. */
export interface Sourced<T> {
  /** The value. */
  value: T;
  /** Where it comes from, or what the preset chose and why when the paper leaves it out. */
  why: string;
}

/** A dataset of a preset. */
export interface PresetDataset {
  /** recbench dataset name (`--datasets`). */
  name: string;
  /** Why it is in the preset (the paper's section or table). */
  why: string;
  /** Sequential history length on this dataset. */
  maxlen?: Sourced<number>;
  /** Model config values on this dataset only, by model then key. */
  config?: Record<string, Record<string, Sourced<unknown>>>;
  /** Size after preparation as the paper prints it, for the projected time of `--list`. */
  stats?: { users: number; items: number; interactions: number; why: string };
  /** Set when recbench cannot read it yet: what is missing. The run skips it with this note. */
  pending?: string;
}

/** A model of a preset. */
export interface PresetModel {
  /** recbench model name (`--models`). */
  name: string;
  /** Why it is in the preset (the paper's table or section). */
  why: string;
  /** Config values on every dataset (`--set`). */
  set?: Record<string, Sourced<unknown>>;
  /** Grids tuned on validation (`--tune`), values in the paper's order. */
  tune?: Record<string, Sourced<unknown[]>>;
  /**
   * Set when recbench has no such model yet (it is being added): the run
   * skips it with this note. Delete this line to switch it on once the model
   * is registered under `name`.
   */
  pending?: string;
}

/** A paper's protocol as a preset. */
export interface Preset {
  /** `--preset` name. */
  name: string;
  /** Citation. */
  paper: string;
  /** What it reproduces (tables). */
  reproduces: string;
  /** Protocols. */
  protocols: Sourced<ProtocolName[]>;
  /** `given`: evaluate the datasets' predefined split as it is. */
  split?: Sourced<"given">;
  /** `cf` split order. */
  cfOrder?: Sourced<"random" | "temporal">;
  /** Seeds. */
  seeds: Sourced<number[]>;
  /** The training budget, the same for all models of the run. */
  budget: { [K in keyof TrainingBudget]: Sourced<number> };
  /** Validation metric that chooses grid points. */
  tuneMetric?: Sourced<string>;
  /** Datasets in the paper's order. */
  datasets: PresetDataset[];
  /** Models; the last one is the paper's own (the report's focus). */
  models: PresetModel[];
  /** What the preset cannot reproduce, in words. */
  notes?: string[];
}

/** Every preset, by `--preset` name. */
export const PRESETS: Readonly<Record<string, Preset>> = {
  remi: REMI_PRESET,
  comirec: COMIREC_PRESET,
  lightgcn: LIGHTGCN_PRESET,
  mifair: MIFAIR_PRESET,
  idsf: IDSF_PRESET,
  simemb: SIMEMB_PRESET,
  efficientrec: EFFICIENTREC_PRESET,
};

/**
 * Looks a preset up by name.
 *
 * @param name A `--preset` value.
 * @returns The preset.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { presetFor } from "./presets.ts";
 * ok(presetFor("remi").models.at(-1)?.name === "remi");
 * ```
 */
export function presetFor(name: string): Preset {
  if (!Object.hasOwn(PRESETS, name)) {
    throw new RangeError(
      `Unknown preset "${name}" (known: ${Object.keys(PRESETS).join(", ")})`,
    );
  }
  return PRESETS[name];
}

/** One value a preset set, as the results and the report record it. */
export interface PresetValue {
  /** What it sets, e.g. `seeds`, `budget.maxIterations`, `set remi.lambda`, `amazon-books: maxlen`. */
  key: string;
  /** The preset's value. */
  value: unknown;
  /** Its source, or why it was chosen. */
  why: string;
  /** Set when an explicit flag replaced it: the flag's value (`null`: the flag dropped it, e.g. --models without it). */
  overriddenBy?: unknown;
}

/** What a run records of its preset (`grid.options.preset` of results.json). */
export interface PresetRecord {
  /** The preset's name. */
  name: string;
  /** Its paper. */
  paper: string;
  /** What it reproduces. */
  reproduces: string;
  /** Every value it set, in order, with the ones a flag overrode. */
  values: PresetValue[];
  /** Pending models and datasets the run skips, with why. */
  skipped: { kind: "model" | "dataset"; name: string; why: string }[];
  /** The preset's notes. */
  notes: string[];
}

/** Per-dataset settings a preset passes to the runner (`BenchOptions.datasetSettings`). */
export interface DatasetSettings {
  /** Sequential history length. */
  maxlen?: number;
  /** Model config values by model then key. */
  models?: Record<string, Record<string, unknown>>;
}

/**
 * Fills a preset into the options the flags gave: every field the flags left
 * out comes from the preset; a flag's value wins and is recorded as an
 * override. `--models` or `--datasets` drop the preset's settings of what they
 * leave out; `--set model.key` drops the preset's grid of that key.
 *
 * @param preset The preset.
 * @param explicit Options from the flags.
 * @param registered Whether a model name is registered (pending models are skipped either way).
 * @returns The options to run, with `preset` and `datasetSettings` set.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { applyPreset, presetFor } from "./presets.ts";
 * const o = applyPreset(presetFor("lightgcn"), { budget: { maxIterations: 5 } });
 * ok(o.budget?.maxIterations === 5 && o.split === "given");
 * ok(o.preset?.values.find((v) => v.key === "budget.maxIterations")?.overriddenBy === 5);
 * ```
 */
export function applyPreset(
  preset: Preset,
  explicit: BenchOptions,
  registered: (model: string) => boolean = (m) => Object.hasOwn(MODELS, m),
): BenchOptions {
  const values: PresetValue[] = [];
  const skipped: PresetRecord["skipped"] = [];
  const o: BenchOptions = { ...explicit };
  /** Records a preset value and whether the flag `given` replaced it. */
  const note = (key: string, s: Sourced<unknown>, given: unknown) =>
    values.push({
      key,
      value: s.value,
      why: s.why,
      ...(given !== undefined ? { overriddenBy: given } : {}),
    });

  note("protocols", preset.protocols, explicit.protocols);
  o.protocols ??= [...preset.protocols.value];
  if (preset.split) {
    note("split", preset.split, explicit.split);
    o.split ??= preset.split.value;
  }
  if (preset.cfOrder) {
    note("cfOrder", preset.cfOrder, explicit.cfOrder);
    o.cfOrder ??= preset.cfOrder.value;
  }
  note("seeds", preset.seeds, explicit.seeds);
  o.seeds ??= [...preset.seeds.value];
  const budget: Partial<TrainingBudget> = { ...explicit.budget };
  for (const key of ["maxIterations", "evalEvery", "patience"] as const) {
    // An explicit --budget NAME is a flag too: it replaces the preset's budget
    // (its own values apply, under any explicit --max-iterations etc.).
    const given = explicit.budget?.[key] ??
      (explicit.budgetPreset ? `--budget ${explicit.budgetPreset}` : undefined);
    note(`budget.${key}`, preset.budget[key], given);
    if (!explicit.budgetPreset) budget[key] ??= preset.budget[key].value;
  }
  if (Object.keys(budget).length > 0 || !explicit.budgetPreset) o.budget = budget;

  // Datasets: the preset's available ones unless --datasets names others.
  const available = preset.datasets.filter((d) => !d.pending);
  for (const d of preset.datasets.filter((d) => d.pending)) {
    skipped.push({ kind: "dataset", name: d.name, why: d.pending! });
  }
  note("datasets", {
    value: available.map((d) => d.name),
    why: preset.datasets.map((d) => `${d.name}: ${d.why}`).join("; "),
  }, explicit.datasets);
  o.datasets ??= available.map((d) => d.name);

  // Models: pending ones and unregistered ones are skipped, with a note.
  const runnable: PresetModel[] = [];
  for (const m of preset.models) {
    if (m.pending) skipped.push({ kind: "model", name: m.name, why: m.pending });
    else if (!registered(m.name)) {
      skipped.push({ kind: "model", name: m.name, why: "not registered in models/mod.ts" });
    } else runnable.push(m);
  }
  note("models", {
    value: runnable.map((m) => m.name),
    why: preset.models.map((m) => `${m.name}: ${m.why}`).join("; "),
  }, explicit.models);
  o.models ??= runnable.map((m) => m.name);
  const inRun = new Set(o.models);
  const datasetsInRun = new Set(o.datasets);

  // Config values on every dataset (--set), under the flags' --set.
  const modelConfig: Record<string, Record<string, unknown>> = {};
  for (const [model, keys] of Object.entries(explicit.modelConfig ?? {})) {
    modelConfig[model] = { ...keys };
  }
  const given = (model: string, key: string) => explicit.modelConfig?.[model]?.[key];
  const tuned = (model: string, key: string) => explicit.tune?.grid[model]?.[key];
  for (const m of runnable) {
    for (const [key, s] of Object.entries(m.set ?? {})) {
      const flag = !inRun.has(m.name) ? null : given(m.name, key) ?? tuned(m.name, key);
      note(`set ${m.name}.${key}`, s, flag);
      if (flag === undefined) (modelConfig[m.name] ??= {})[key] = s.value;
    }
  }
  if (Object.keys(modelConfig).length > 0) o.modelConfig = modelConfig;

  // Grids (--tune), under the flags' --tune and --set.
  const grid: TuneGrid = {};
  for (const [model, keys] of Object.entries(explicit.tune?.grid ?? {})) grid[model] = { ...keys };
  for (const m of runnable) {
    for (const [key, s] of Object.entries(m.tune ?? {})) {
      const flag = !inRun.has(m.name) ? null : given(m.name, key) ?? tuned(m.name, key);
      note(`tune ${m.name}.${key}`, s, flag);
      if (flag === undefined) (grid[m.name] ??= {})[key] = [...s.value];
    }
  }
  if (Object.keys(grid).length === 0 && explicit.tune) {
    throw new RangeError(
      `--tune-metric and --tune-budget need a grid: preset ${preset.name} tunes nothing in this run ` +
        `and no --tune is given`,
    );
  }
  if (Object.keys(grid).length > 0) {
    o.tune = { ...explicit.tune, grid };
    if (preset.tuneMetric) {
      note("tuneMetric", preset.tuneMetric, explicit.tune?.metric);
      o.tune.metric ??= preset.tuneMetric.value;
    }
  }

  // Per-dataset settings of the datasets that run, under --maxlen and --set.
  const settings: Record<string, DatasetSettings> = {};
  for (const d of available) {
    const inThisRun = datasetsInRun.has(d.name);
    if (d.maxlen) {
      note(`${d.name}: maxlen`, d.maxlen, !inThisRun ? null : explicit.maxlen);
      if (inThisRun && explicit.maxlen === undefined) {
        (settings[d.name] ??= {}).maxlen = d.maxlen.value;
      }
    }
    for (const [model, keys] of Object.entries(d.config ?? {})) {
      for (const [key, s] of Object.entries(keys)) {
        const flag = !inThisRun || !inRun.has(model)
          ? null
          : given(model, key) ?? tuned(model, key);
        note(`${d.name}: set ${model}.${key}`, s, flag);
        if (flag === undefined) {
          ((settings[d.name] ??= {}).models ??= {})[model] ??= {};
          settings[d.name].models![model][key] = s.value;
        }
      }
    }
  }
  if (Object.keys(settings).length > 0) o.datasetSettings = settings;
  o.preset = {
    name: preset.name,
    paper: preset.paper,
    reproduces: preset.reproduces,
    values,
    skipped,
    notes: [...(preset.notes ?? [])],
  };
  return o;
}
