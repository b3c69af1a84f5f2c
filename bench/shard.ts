/**
 * Deterministic slices of the benchmark grid, and resuming an interrupted run.
 *
 * The grid's cells are listed in run order (dataset, protocol, seed, model, as
 * given on the command line; cells a model cannot run are left out) and cell
 * `k` (0-based) belongs to shard `k mod N + 1`, so every shard gets a mix of
 * models and seeds. A shard `I/N` may come from `--shard`, from Slurm's
 * `SLURM_ARRAY_TASK_ID`/`SLURM_ARRAY_TASK_COUNT` (with `SLURM_ARRAY_TASK_MIN`
 * as the first index) or from a CI matrix that passes `--shard`.
 *
 * @module
 */
import type { CompletedResult, GridPlan, ResultsFile, RunResult } from "./results.ts";

/** One slice of the grid: the `index`-th (1-based) of `count`. */
export interface Shard {
  /** 1-based index. */
  index: number;
  /** Number of shards. */
  count: number;
}

/** The whole grid as one shard. */
export const WHOLE_GRID: Readonly<Shard> = Object.freeze({ index: 1, count: 1 });

/**
 * Parses `I/N` (1-based, `1 <= I <= N`).
 *
 * @param text Like `"2/3"`.
 * @returns The shard.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { parseShard } from "./shard.ts";
 * ok(parseShard("2/3").index === 2);
 * ```
 */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new TypeError(`--shard expects I/N like 2/3, got "${text}"`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) {
    throw new RangeError(`--shard ${text}: need 1 <= I <= N`);
  }
  return { index, count };
}

/**
 * The shard of a Slurm job-array task, from `SLURM_ARRAY_TASK_ID`,
 * `SLURM_ARRAY_TASK_MIN` (default 0) and `SLURM_ARRAY_TASK_COUNT`; the array
 * must be a contiguous range such as `--array=1-3` or `--array=0-7%2`.
 *
 * @param env Reads an environment variable.
 * @returns The shard, or `undefined` outside a job array.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { shardFromSlurm } from "./shard.ts";
 * const env: Record<string, string> = { SLURM_ARRAY_TASK_ID: "3", SLURM_ARRAY_TASK_MIN: "1", SLURM_ARRAY_TASK_COUNT: "3" };
 * ok(shardFromSlurm((k) => env[k])?.index === 3);
 * ok(shardFromSlurm(() => undefined) === undefined);
 * ```
 */
export function shardFromSlurm(env: (name: string) => string | undefined): Shard | undefined {
  const id = env("SLURM_ARRAY_TASK_ID");
  const count = env("SLURM_ARRAY_TASK_COUNT");
  if (id === undefined || count === undefined) return undefined;
  const min = Number(env("SLURM_ARRAY_TASK_MIN") ?? "0");
  return parseShard(`${Number(id) - min + 1}/${Number(count)}`);
}

/**
 * Where a shard writes: the output folder itself for the whole grid, else a
 * `shard-I-of-N` subfolder, so shards sharing `--out` never collide.
 *
 * @param out The `--out` folder.
 * @param shard The shard.
 * @returns The folder.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { shardOut } from "./shard.ts";
 * ok(shardOut("out/grid", { index: 2, count: 3 }) === "out/grid/shard-2-of-3");
 * ```
 */
export function shardOut(out: string, shard: Shard): string {
  return shard.count === 1 ? out : `${out}/shard-${shard.index}-of-${shard.count}`;
}

/**
 * A cell's key, `dataset/protocol/seed/model`.
 *
 * @param r The cell.
 * @returns The key.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { cellKey } from "./shard.ts";
 * ok(cellKey({ dataset: "synthetic", protocol: "cf", seed: 1, model: "mostpop" }) === "synthetic/cf/1/mostpop");
 * ```
 */
export function cellKey(
  r: { dataset: string; protocol: string; seed: number; model: string },
): string {
  return `${r.dataset}/${r.protocol}/${r.seed}/${r.model}`;
}

/** What {@linkcode planGrid} needs to know. */
export interface GridSpec {
  /** Dataset names, in run order. */
  datasets: readonly string[];
  /** Protocols, in run order. */
  protocols: readonly GridPlan["protocols"][number][];
  /** Seeds, in run order. */
  seeds: readonly number[];
  /** Models with the protocols each supports, in run order. */
  models: readonly { name: string; protocols: readonly string[] }[];
  /** Options that change numbers (compared when resuming and merging). */
  options: Record<string, unknown>;
}

/**
 * Lists the cells of one shard of the grid.
 *
 * @param spec The grid.
 * @param shard Which slice.
 * @returns The plan, recorded in `results.json`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { planGrid } from "./shard.ts";
 * const spec = { datasets: ["d"], protocols: ["cf" as const], seeds: [1, 2], options: {},
 *   models: [{ name: "a", protocols: ["cf"] }, { name: "b", protocols: ["cf"] }] };
 * deepStrictEqual(planGrid(spec, { index: 2, count: 3 }).cells, ["d/cf/1/b"]);
 * ```
 */
export function planGrid(spec: GridSpec, shard: Shard = WHOLE_GRID): GridPlan {
  const cells: string[] = [];
  let k = 0;
  for (const dataset of spec.datasets) {
    for (const protocol of spec.protocols) {
      for (const seed of spec.seeds) {
        for (const m of spec.models) {
          if (!m.protocols.includes(protocol)) continue;
          if (k++ % shard.count === shard.index - 1) {
            cells.push(cellKey({ dataset, protocol, seed, model: m.name }));
          }
        }
      }
    }
  }
  return {
    datasets: [...spec.datasets],
    protocols: [...spec.protocols],
    seeds: [...spec.seeds],
    models: spec.models.map((m) => m.name),
    options: spec.options,
    shard: { ...shard },
    cells,
  };
}

/**
 * JSON with object keys sorted, for comparing configs whatever their key order.
 *
 * @param value Any JSON value.
 * @returns Canonical JSON text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { canonicalJson } from "./shard.ts";
 * ok(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }) === canonicalJson({ a: [2, { c: 4, d: 3 }], b: 1 }));
 * ```
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
        : v,
  );
}

/**
 * The completed cells of an interrupted run that a rerun may keep: only when
 * the previous `results.json` planned exactly the same grid and slice, came
 * from the same revision and did not finish (a finished run is rerun from
 * scratch). Errored cells are run again.
 *
 * @param previous The previous results file, if any.
 * @param plan The new plan.
 * @param revision The current git revision.
 * @returns Completed results by cell key (empty when nothing can be kept), and why.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { resumableCells } from "./shard.ts";
 * ok(resumableCells(undefined, { datasets: [], protocols: [], seeds: [], models: [], options: {},
 *   shard: { index: 1, count: 1 }, cells: [] }, "abc").kept.size === 0);
 * ```
 */
export function resumableCells(
  previous: ResultsFile | undefined,
  plan: GridPlan,
  revision: string,
): { kept: Map<string, CompletedResult>; reason: string } {
  const kept = new Map<string, CompletedResult>();
  if (!previous) return { kept, reason: "no previous results" };
  if (!previous.grid || canonicalJson(previous.grid) !== canonicalJson(plan)) {
    return { kept, reason: "the previous results planned a different grid" };
  }
  if (previous.provenance.revision !== revision) {
    return {
      kept,
      reason: `the previous results came from revision ${previous.provenance.revision}`,
    };
  }
  const planned = new Set(plan.cells);
  const found = new Map<string, RunResult>();
  for (const r of previous.results) if (planned.has(cellKey(r))) found.set(cellKey(r), r);
  if (found.size === planned.size) return { kept, reason: "the previous run finished" };
  for (const [key, r] of found) if (r.state === "completed") kept.set(key, r);
  return { kept, reason: `the previous run stopped after ${found.size} of ${planned.size} cells` };
}

/**
 * What differs between the grid a results folder holds and a new plan, as
 * short phrases (`models: mostpop,itemknn -> mostpop`, `options.engine.budget.maxIterations:
 * 1000 -> 300`, `revision: abc -> def`); empty when the new run may resume there.
 *
 * @param previous The folder's results file.
 * @param plan The new plan.
 * @param revision The current git revision.
 * @returns The differences, at most 8 option paths.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { gridDifferences, planGrid } from "./shard.ts";
 * const spec = { datasets: ["d"], protocols: ["cf" as const], seeds: [1], options: { maxlen: 20 },
 *   models: [{ name: "a", protocols: ["cf"] }] };
 * const previous = { grid: planGrid(spec), provenance: { revision: "r1" } };
 * deepStrictEqual(gridDifferences(previous, planGrid({ ...spec, seeds: [1, 2] }), "r1"), ["seeds: 1 -> 1,2"]);
 * ```
 */
export function gridDifferences(
  previous: { grid?: GridPlan; provenance: { revision: string } },
  plan: GridPlan,
  revision: string,
): string[] {
  const old = previous.grid;
  if (!old) return ["the folder's results.json has no grid plan (written by an older recbench)"];
  const out: string[] = [];
  for (const key of ["datasets", "protocols", "seeds", "models"] as const) {
    const a = old[key].join(","), b = plan[key].join(",");
    if (a !== b) out.push(`${key}: ${a} -> ${b}`);
  }
  // Configs of models only one side runs are already said by the models line.
  const common = (options: Record<string, unknown>, other: GridPlan) => {
    const models = options.models as Record<string, unknown> | undefined;
    if (!models || typeof models !== "object") return options;
    return {
      ...options,
      models: Object.fromEntries(
        Object.entries(models).filter(([name]) => other.models.includes(name)),
      ),
    };
  };
  const paths: string[] = [];
  diffPaths(common(old.options, plan), common(plan.options, old), "options", paths);
  out.push(...paths.slice(0, 8));
  if (paths.length > 8) out.push(`and ${paths.length - 8} more options`);
  if (old.shard.index !== plan.shard.index || old.shard.count !== plan.shard.count) {
    out.push(
      `shard: ${old.shard.index}/${old.shard.count} -> ${plan.shard.index}/${plan.shard.count}`,
    );
  }
  if (previous.provenance.revision !== revision) {
    out.push(`revision: ${previous.provenance.revision} -> ${revision}`);
  }
  return out;
}

function diffPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object" && !Array.isArray(v);
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffPaths(a[k], b[k], `${path}.${k}`, out);
    }
  } else if (canonicalJson(a) !== canonicalJson(b)) {
    const show = (v: unknown) => v === undefined ? "(unset)" : canonicalJson(v);
    out.push(`${path}: ${show(a)} -> ${show(b)}`);
  }
}
