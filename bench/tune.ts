/**
 * Tuning on validation (`--tune model.key=v1,v2,...`): a grid of configs per
 * model, each point a cell that trains on the training part and is scored on
 * the validation users only; the best point by the validation metric is
 * retrained (with the full budget) and only it is scored on test.
 *
 * Cells: a point is `dataset/protocol/seed/model@key=value,...`; the chosen
 * point's test cell is the model's ordinary key `dataset/protocol/seed/model`.
 * Points shard round robin like every cell; the test cells of tuned models come
 * after all other cells, in the last shard, which reads the points other shards
 * scored from their folders (`OUT/shard-J-of-N/results.json`).
 *
 * @module
 */
import type { ProtocolName } from "../data/split.ts";
import type { ModelSpec } from "../models/types.ts";
import type { CompletedResult, GridPlan, ResultsFile, RunResult } from "./results.ts";
import { canonicalJson, cellKey, type GridSpec, planGrid, type Shard } from "./shard.ts";

/** Values to try per config key, per model (`--tune`). */
export type TuneGrid = Record<string, Record<string, unknown[]>>;

/** Options of tuning. */
export interface TuneOptions {
  /** The grid, by model name then config key. */
  grid: TuneGrid;
  /**
   * Validation metric that chooses the point (`--tune-metric`).
   * @default {"recall@50 (sequential), recall@20 (cf)"}
   */
  metric?: string;
  /** Iterations each point may train at most (`--tune-budget`); the chosen point gets the full budget. */
  budget?: number;
}

/** One grid point of a model. */
export interface TunePoint {
  /** `key=value,...` in key order, e.g. `K=2,lr=0.01`. */
  label: string;
  /** The config overrides of the point. */
  overrides: Record<string, unknown>;
}

/** What a tuning cell records in its result. */
export interface TuningRecord {
  /** `point` (validation numbers only) or `chosen` (the test cell of the chosen point). */
  role: "point" | "chosen";
  /** The tuned model's name. */
  model: string;
  /** The validation metric that chooses. */
  metric: string;
  /** The point's label. */
  point: string;
  /** The point's overrides. */
  overrides: Record<string, unknown>;
  /** `chosen` only: every point's validation value (null: the point errored), in grid order. */
  points?: { point: string; validation: number | null }[];
  /** `chosen` only: how the choice was made, ties included. */
  rule?: string;
  /** Iterations each point could train (`--tune-budget`), if limited. */
  pointBudget?: number;
}

/** Separator between a model's name and its point label in a point's cell key. */
export const POINT_SEPARATOR = "@";

/**
 * Parses `--tune model.key=v1,v2,...` values into a grid (numbers and booleans
 * parsed as `--set` does; a key given twice is refused).
 *
 * @param args The flag values.
 * @param parseValue Parses one value as `--set` does.
 * @returns The grid.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { parseTuneArgs } from "./tune.ts";
 * deepStrictEqual(parseTuneArgs(["comirec-sa.K=2,4"], Number), { "comirec-sa": { K: [2, 4] } });
 * ```
 */
export function parseTuneArgs(
  args: readonly string[],
  parseValue: (raw: string) => unknown,
): TuneGrid {
  const grid: TuneGrid = {};
  for (const arg of args) {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(arg);
    if (!m) throw new TypeError(`--tune expects model.key=v1,v2,..., got "${arg}"`);
    const values = m[3].split(",").map((s) => s.trim());
    if (values.some((v) => v === "")) {
      throw new TypeError(`--tune ${arg}: empty value in the list "${m[3]}"`);
    }
    const parsed = values.map(parseValue);
    const seen = new Set(parsed.map((v) => canonicalJson(v)));
    if (seen.size !== parsed.length) {
      throw new RangeError(`--tune ${arg}: a value is repeated (each point must differ)`);
    }
    const keys = grid[m[1]] ??= {};
    if (m[2] in keys) throw new RangeError(`--tune ${m[1]}.${m[2]} is given twice`);
    keys[m[2]] = parsed;
  }
  return grid;
}

/**
 * The grid points of one model: the cartesian product of its keys (sorted by
 * name), values in the order given, the last key varying fastest.
 *
 * @param keys Values per key.
 * @returns The points, in grid order.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { tunePoints } from "./tune.ts";
 * deepStrictEqual(tunePoints({ b: [1, 2], a: ["x"] }).map((p) => p.label), ["a=x,b=1", "a=x,b=2"]);
 * ```
 */
export function tunePoints(keys: Record<string, unknown[]>): TunePoint[] {
  let points: TunePoint[] = [{ label: "", overrides: {} }];
  for (const key of Object.keys(keys).sort()) {
    points = points.flatMap((p) =>
      keys[key].map((v) => ({
        label: `${p.label}${p.label ? "," : ""}${key}=${String(v)}`,
        overrides: { ...p.overrides, [key]: v },
      }))
    );
  }
  return points;
}

/**
 * Checks a grid against the models: every tuned model is in the run, every
 * point is a valid config (validated as `--set` is, through the model's
 * `configure`), and no key is both `--set` and tuned.
 *
 * @param grid The grid.
 * @param specs The run's models.
 * @param fixed `--set` overrides by model.
 * @returns The points by model name.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkTuneGrid } from "./tune.ts";
 * import { MODELS } from "../models/mod.ts";
 * throws(() => checkTuneGrid({ mostpop: { nope: [1] } }, [MODELS.mostpop]), TypeError);
 * ```
 */
export function checkTuneGrid(
  grid: TuneGrid,
  specs: readonly ModelSpec<object>[],
  fixed: Record<string, Record<string, unknown>> = {},
): Map<string, TunePoint[]> {
  const out = new Map<string, TunePoint[]>();
  for (const name of Object.keys(grid)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      throw new RangeError(
        `--tune names model "${name}", which is not in --models (${
          specs.map((s) => s.name).join(", ")
        })`,
      );
    }
    for (const key of Object.keys(grid[name])) {
      if (fixed[name] && key in fixed[name]) {
        throw new RangeError(`${name}.${key} is both --set and --tune: give it in one of them`);
      }
    }
    const points = tunePoints(grid[name]);
    for (const p of points) {
      try {
        spec.configure({ ...fixed[name], ...p.overrides });
      } catch (error) {
        const Kind = error instanceof RangeError ? RangeError : TypeError;
        throw new Kind(`--tune ${name} point ${p.label}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    out.set(name, points);
  }
  return out;
}

/**
 * The validation metric that chooses: `--tune-metric`, else the papers' own
 * (Recall@50 for the sequential papers, Recall@20 for the cf papers).
 *
 * @param protocol The cell's protocol.
 * @param metric `--tune-metric`, if given.
 * @returns A metric key such as `"recall@50"`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tuneMetric } from "./tune.ts";
 * ok(tuneMetric("cf") === "recall@20" && tuneMetric("sequential", "ndcg@20") === "ndcg@20");
 * ```
 */
export function tuneMetric(protocol: ProtocolName, metric?: string): string {
  return metric ?? (protocol === "sequential" ? "recall@50" : "recall@20");
}

/** The rule {@linkcode choosePoint} applies, as the report prints it. */
export const CHOICE_RULE =
  "highest validation value; a tie goes to the point listed first in the grid " +
  "(keys sorted by name, values in the order given); errored points are not candidates";

/**
 * Chooses the point with the highest validation value; ties go to the first
 * point in grid order; points without a value (errored) are skipped.
 *
 * @param values Each point's validation value (null: errored), in grid order.
 * @returns The index of the chosen point, or -1 when none has a value.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { choosePoint } from "./tune.ts";
 * ok(choosePoint([0.1, 0.3, 0.3, null]) === 1);
 * ```
 */
export function choosePoint(values: readonly (number | null)[]): number {
  let best = -1;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || Number.isNaN(v)) continue;
    if (best < 0 || v > values[best]!) best = i;
  }
  return best;
}

/**
 * A point's model name, `model@label`, used in its cell key and result.
 *
 * @param model The model's name.
 * @param point The point.
 * @returns The name.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { pointName } from "./tune.ts";
 * ok(pointName("comirec-sa", { label: "K=2", overrides: { K: 2 } }) === "comirec-sa@K=2");
 * ```
 */
export function pointName(model: string, point: TunePoint): string {
  return `${model}${POINT_SEPARATOR}${point.label}`;
}

/**
 * Plans a grid with tuned models: their points take their place in the round
 * robin, and their chosen-point test cells come after every other cell, all in
 * the last shard (so a run of shards 1..N in order finishes in one pass).
 *
 * @param spec The grid, models as given.
 * @param points Points of the tuned models.
 * @param shard Which slice.
 * @returns The plan.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { planTunedGrid } from "./tune.ts";
 * const spec = { datasets: ["d"], protocols: ["cf" as const], seeds: [1], options: {},
 *   models: [{ name: "a", protocols: ["cf"] }] };
 * const points = new Map([["a", [{ label: "k=1", overrides: {} }, { label: "k=2", overrides: {} }]]]);
 * deepStrictEqual(planTunedGrid(spec, points, { index: 2, count: 2 }).cells, ["d/cf/1/a@k=2", "d/cf/1/a"]);
 * ```
 */
export function planTunedGrid(
  spec: GridSpec,
  points: ReadonlyMap<string, readonly TunePoint[]>,
  shard: Shard,
): GridPlan {
  const expanded = spec.models.flatMap((m) =>
    points.has(m.name)
      ? points.get(m.name)!.map((p) => ({ name: pointName(m.name, p), protocols: m.protocols }))
      : [m]
  );
  const plan = planGrid({ ...spec, models: expanded }, shard);
  if (shard.index === shard.count) {
    for (const dataset of spec.datasets) {
      for (const protocol of spec.protocols) {
        for (const seed of spec.seeds) {
          for (const m of spec.models) {
            if (points.has(m.name) && m.protocols.includes(protocol)) {
              plan.cells.push(cellKey({ dataset, protocol, seed, model: m.name }));
            }
          }
        }
      }
    }
  }
  return { ...plan, models: spec.models.map((m) => m.name) };
}

/**
 * How many cells at the end of a shard's list are chosen-point test cells
 * (see {@linkcode planTunedGrid}): none but in the last shard of a tuned grid.
 *
 * @param grid A shard's plan.
 * @returns The count.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { chosenCellCount } from "./tune.ts";
 * ok(chosenCellCount({ datasets: [], protocols: [], seeds: [], models: [],
 *   options: { tune: { grid: { a: { k: [1] } } } }, shard: { index: 1, count: 1 },
 *   cells: ["d/cf/1/a@k=1", "d/cf/1/a"] }) === 1);
 * ```
 */
export function chosenCellCount(grid: GridPlan): number {
  const tune = grid.options.tune as { grid?: TuneGrid } | undefined;
  if (!tune?.grid || grid.shard.index !== grid.shard.count) return 0;
  const tuned = new Set(Object.keys(tune.grid));
  let n = 0;
  for (let i = grid.cells.length - 1; i >= 0; i--) {
    const model = grid.cells[i].split("/").at(-1)!;
    if (!tuned.has(model)) break;
    n++;
  }
  return n;
}

/**
 * Point results of the other shards of the same grid (same options, same
 * revision) that have written any, read from `OUT/shard-J-of-N/results.json`.
 *
 * @param root The `--out` folder the shards share.
 * @param grid This shard's plan.
 * @param revision This run's revision.
 * @returns Completed and errored point results by cell key.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { siblingPoints } from "./tune.ts";
 * const grid = { datasets: [], protocols: [], seeds: [], models: [], options: {},
 *   shard: { index: 1, count: 1 }, cells: [] };
 * ok((await siblingPoints(await Deno.makeTempDir(), grid, "r")).size === 0);
 * ```
 */
export async function siblingPoints(
  root: string,
  grid: GridPlan,
  revision: string,
): Promise<Map<string, RunResult>> {
  const found = new Map<string, RunResult>();
  const same = (g: GridPlan) =>
    canonicalJson({ ...g, shard: { count: g.shard.count }, cells: undefined });
  for (let j = 1; j <= grid.shard.count; j++) {
    if (j === grid.shard.index) continue;
    let other: ResultsFile;
    try {
      other = JSON.parse(
        await Deno.readTextFile(`${root}/shard-${j}-of-${grid.shard.count}/results.json`),
      );
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    if (!other.grid || same(other.grid) !== same(grid)) continue;
    if (other.provenance.revision !== revision) continue;
    for (const r of other.results) {
      if ((r as RunResult & { tuning?: TuningRecord }).tuning?.role === "point") {
        found.set(cellKey(r), r);
      }
    }
  }
  return found;
}

/**
 * The validation value a point result holds for `metric` (null if it errored).
 *
 * @param r A point's result.
 * @param metric The metric key.
 * @returns The value.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { pointValue } from "./tune.ts";
 * ok(pointValue({ state: "errored" } as never, "recall@20") === null);
 * ```
 */
export function pointValue(r: RunResult, metric: string): number | null {
  if (r.state !== "completed") return null;
  const v = (r as CompletedResult).metrics[metric];
  if (v === undefined) {
    throw new RangeError(
      `--tune-metric ${metric}: the validation metrics have no such key (known: ${
        Object.keys((r as CompletedResult).metrics).join(", ")
      })`,
    );
  }
  return v;
}

/**
 * Tuning options from parsed `--tune`, `--tune-metric` and `--tune-budget`
 * values (the last two need `--tune`).
 *
 * @param values Parsed flag values.
 * @param parseValue Parses one value as `--set` does.
 * @param gridFromPreset A `--preset` may bring the grid: `--tune-metric` and
 *   `--tune-budget` are then accepted without `--tune` (an empty grid here).
 * @returns The options, or undefined without `--tune` (and without a preset).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tuneOptionsFrom } from "./tune.ts";
 * ok(tuneOptionsFrom({ tune: ["a.k=1,2"], "tune-budget": "5" }, Number)?.budget === 5);
 * ```
 */
export function tuneOptionsFrom(
  values: { tune?: string[]; "tune-metric"?: string; "tune-budget"?: string },
  parseValue: (raw: string) => unknown,
  gridFromPreset = false,
): TuneOptions | undefined {
  const tune = values.tune ?? [];
  if (tune.length === 0 && !gridFromPreset) {
    for (const flag of ["tune-metric", "tune-budget"] as const) {
      if (values[flag] !== undefined) throw new RangeError(`--${flag} needs --tune`);
    }
    return undefined;
  }
  if (
    tune.length === 0 && values["tune-metric"] === undefined && values["tune-budget"] === undefined
  ) {
    return undefined;
  }
  const options: TuneOptions = { grid: parseTuneArgs(tune, parseValue) };
  const metric = values["tune-metric"];
  if (metric !== undefined) {
    if (!/^[a-z_]+@\d+$/.test(metric)) {
      throw new TypeError(`--tune-metric expects a metric key like recall@50, got "${metric}"`);
    }
    options.metric = metric;
  }
  const raw = values["tune-budget"];
  if (raw !== undefined) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`--tune-budget must be a positive integer, got "${raw}"`);
    }
    options.budget = n;
  }
  return options;
}

/** Measured seconds of one model's tuning cells (see {@linkcode measuredSpeed}). */
export interface TuneSpeed {
  /** Seconds a grid point takes (training at most the point budget, validation). */
  pointSeconds: number;
  /** Seconds the chosen point takes (training with the full budget, test). */
  chosenSeconds: number;
  /** Where the figure comes from, for the printed line. */
  source: string;
}

/**
 * A model's tuning speed from one finished point: its fit and validation
 * seconds; the chosen point's retraining is scaled to the full budget by
 * iterations when the point's training was cut (a model without a training
 * report counts as taking as long).
 *
 * @param r A completed point result.
 * @param fullIterations The full budget's iterations.
 * @param source What to name as the figure's origin.
 * @returns The speed.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { measuredSpeed } from "./tune.ts";
 * const r = { timings: { fitSeconds: 2, evalSeconds: 1 }, training: { iterations: 100 } } as never;
 * ok(measuredSpeed(r, 1000, "x").chosenSeconds === 21);
 * ```
 */
export function measuredSpeed(
  r: CompletedResult,
  fullIterations: number,
  source: string,
): TuneSpeed {
  const it = r.training?.iterations;
  const scale = it && it > 0 ? Math.max(1, fullIterations / it) : 1;
  return {
    pointSeconds: r.timings.fitSeconds + r.timings.evalSeconds,
    chosenSeconds: r.timings.fitSeconds * scale + r.timings.evalSeconds,
    source,
  };
}

/**
 * The line printed before a tuned run starts (and again once a model's first
 * point gives a measured speed): per tuned model, its point and chosen cells in
 * this shard, the iteration caps and, where a speed is known, the projected
 * wall time (an upper bound when early stopping may end trainings sooner).
 *
 * @param cells This shard's cell keys still to run.
 * @param models Tuned model names.
 * @param budget Iterations of a point and of the chosen point.
 * @param speeds Measured speeds by model.
 * @returns The text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { projectTuning } from "./tune.ts";
 * const t = projectTuning(["d/cf/1/a@k=1", "d/cf/1/a@k=2", "d/cf/1/a"], ["a"],
 *   { point: 10, full: 100 }, new Map([["a", { pointSeconds: 1, chosenSeconds: 10, source: "s" }]]));
 * ok(t.includes("12s"));
 * ```
 */
export function projectTuning(
  cells: readonly string[],
  models: readonly string[],
  budget: { point: number; full: number },
  speeds: ReadonlyMap<string, TuneSpeed>,
): string {
  const parts: string[] = [];
  let total = 0, known = true;
  for (const m of models) {
    const names = cells.map((k) => k.split("/").at(-1)!);
    const points = names.filter((n) => n.startsWith(`${m}${POINT_SEPARATOR}`)).length;
    const chosen = names.filter((n) => n === m).length;
    if (points + chosen === 0) continue;
    const speed = speeds.get(m);
    let text = `${m}: ${points} point(s) of at most ${budget.point} iterations + ${chosen} ` +
      `chosen retraining(s) of at most ${budget.full}`;
    if (speed) {
      const s = points * speed.pointSeconds + chosen * speed.chosenSeconds;
      total += s;
      text += ` ~ ${formatSeconds(s)} (from ${speed.source})`;
    } else {
      known = false;
      text += " (no measured speed yet: projected after its first point)";
    }
    parts.push(text);
  }
  return `tuning plan: ${parts.join("; ")}${
    known && parts.length > 0
      ? `; projected tuning wall time ${formatSeconds(total)}` +
        " (an upper bound where early stopping ends trainings sooner)"
      : ""
  }`;
}

function formatSeconds(s: number): string {
  return s < 120
    ? `${Math.round(s)}s`
    : s < 7200
    ? `${(s / 60).toFixed(1)} min`
    : `${(s / 3600).toFixed(1)} h`;
}
