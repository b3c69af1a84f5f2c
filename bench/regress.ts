/**
 * `deno task regress`: a fixed small benchmark on the embedded data, compared
 * with `reports/baselines/synthetic.json` under per-metric tolerances. A moved
 * metric (either way) prints a table and fails; `--update` rewrites the
 * baselines after a deliberate change.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { MODELS } from "../models/mod.ts";
import type { ResultsFile } from "./results.ts";
import { writeTextAtomic } from "./results.ts";
import { runBench } from "./run.ts";

/** The baselines file. */
export interface Baselines {
  /** How to refresh. */
  note: string;
  /** The fixed run. */
  run: { dataset: string; protocols: ("sequential" | "cf")[]; seed: number };
  /** Absolute tolerance for metrics without their own entry. */
  defaultTolerance: number;
  /** Absolute tolerance per metric family (`"recall"`) or key (`"recall@20"`). */
  tolerances: Record<string, number>;
  /** Baseline values: model -> protocol -> metric -> value. */
  models: Record<string, Record<string, Record<string, number>>>;
}

/** One metric that moved beyond its tolerance, or a missing baseline. */
export interface Movement {
  /** Model. */
  model: string;
  /** Protocol. */
  protocol: string;
  /** Metric key, or a description of what is missing. */
  metric: string;
  /** Baseline value (NaN if none). */
  baseline: number;
  /** Current value (NaN if none). */
  current: number;
  /** The tolerance applied. */
  tolerance: number;
}

/** Where the baselines live. */
export const BASELINE_PATH = new URL("../reports/baselines/synthetic.json", import.meta.url);

/**
 * The tolerance for a metric key: its own entry, else its family's, else the default.
 *
 * @param b Baselines.
 * @param key Metric key like `"ndcg@20"`.
 * @returns Absolute tolerance.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { toleranceFor } from "./regress.ts";
 * const b = { note: "", run: { dataset: "synthetic", protocols: [], seed: 1 },
 *   defaultTolerance: 1e-9, tolerances: { ndcg: 1e-6 }, models: {} };
 * ok(toleranceFor(b, "ndcg@20") === 1e-6);
 * ```
 */
export function toleranceFor(b: Baselines, key: string): number {
  return b.tolerances[key] ?? b.tolerances[key.split("@")[0]] ?? b.defaultTolerance;
}

/**
 * Compares a run with the baselines.
 *
 * @param b Baselines.
 * @param results The fresh run.
 * @returns Everything that moved or is missing (empty when all is within tolerance).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { compareWithBaselines } from "./regress.ts";
 * const b = { note: "", run: { dataset: "synthetic", protocols: [], seed: 1 },
 *   defaultTolerance: 1e-6, tolerances: {}, models: { pop: { cf: { "recall@20": 0.5 } } } };
 * const run = { model: "pop", dataset: "synthetic", protocol: "cf" as const, seed: 1,
 *   state: "completed" as const, metrics: { "recall@20": 0.4 }, config: { model: {}, protocol: {} },
 *   datasetChecksum: "", revision: "", deno: "", timings: { fitSeconds: 0, evalSeconds: 0, evalUsersPerSecond: 0 },
 *   parameters: 0, rssMiB: 0, evaluatedUsers: 1 };
 * const file = { schema: 1 as const, seeds: [1], datasets: {}, models: {}, results: [run],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } };
 * const moved = compareWithBaselines(b, file);
 * ok(moved.length === 1 && moved[0].metric === "recall@20");
 * ```
 */
export function compareWithBaselines(b: Baselines, results: ResultsFile): Movement[] {
  const moved: Movement[] = [];
  const seen = new Set<string>();
  for (const r of results.results) {
    seen.add(`${r.model}/${r.protocol}`);
    const base = b.models[r.model]?.[r.protocol];
    if (r.state === "errored") {
      moved.push({
        model: r.model,
        protocol: r.protocol,
        metric: `run failed: ${r.error.split("\n")[0]}`,
        baseline: NaN,
        current: NaN,
        tolerance: 0,
      });
      continue;
    }
    if (!base) {
      moved.push({
        model: r.model,
        protocol: r.protocol,
        metric: "no baseline (run with --update)",
        baseline: NaN,
        current: NaN,
        tolerance: 0,
      });
      continue;
    }
    for (const key of [...new Set([...Object.keys(base), ...Object.keys(r.metrics)])]) {
      const tol = toleranceFor(b, key);
      const was = base[key] ?? NaN;
      const now = r.metrics[key] ?? NaN;
      if (!(Math.abs(now - was) <= tol)) {
        moved.push({
          model: r.model,
          protocol: r.protocol,
          metric: key,
          baseline: was,
          current: now,
          tolerance: tol,
        });
      }
    }
  }
  for (const model of Object.keys(b.models).sort()) {
    for (const protocol of Object.keys(b.models[model]).sort()) {
      if (!seen.has(`${model}/${protocol}`)) {
        moved.push({
          model,
          protocol,
          metric: "baseline has no run (model removed?)",
          baseline: NaN,
          current: NaN,
          tolerance: 0,
        });
      }
    }
  }
  return moved;
}

/**
 * Formats movements as a Markdown table.
 *
 * @param moved The movements.
 * @returns The table.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { formatMovements } from "./regress.ts";
 * ok(formatMovements([]).includes("| model |"));
 * ```
 */
export function formatMovements(moved: readonly Movement[]): string {
  const f = (x: number) => Number.isFinite(x) ? x.toFixed(6) : "-";
  const rows = moved.map((m) => {
    const delta = m.current - m.baseline;
    const change = Number.isFinite(delta)
      ? `${delta > 0 ? "+" : ""}${delta.toFixed(6)} (${delta > 0 ? "up" : "down"})`
      : "-";
    return `| ${m.model} | ${m.protocol} | ${m.metric} | ${f(m.baseline)} | ${
      f(m.current)
    } | ${change} | ${m.tolerance} |`;
  });
  return [
    "| model | protocol | metric | baseline | now | change | tolerance |",
    "|---|---|---|---:|---:|---:|---:|",
    ...rows,
  ]
    .join("\n");
}

/**
 * Builds a baselines file from a run, keeping the old tolerances.
 *
 * @param results The run.
 * @param previous Old baselines, for their tolerances.
 * @returns New baselines.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { baselinesFrom } from "./regress.ts";
 * const file = { schema: 1 as const, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } };
 * ok(baselinesFrom(file).defaultTolerance === 1e-6);
 * ```
 */
export function baselinesFrom(results: ResultsFile, previous?: Baselines): Baselines {
  const models: Baselines["models"] = {};
  for (const r of results.results) {
    if (r.state !== "completed") {
      throw new Error(`Cannot record a baseline: ${r.model} failed: ${r.error}`);
    }
    (models[r.model] ??= {})[r.protocol] = r.metrics;
  }
  return {
    note:
      "Metric baselines for `deno task regress` (seed 1, embedded synthetic data). Refresh on purpose with `deno task regress --update` and say why in the commit.",
    run: REGRESS_RUN,
    defaultTolerance: previous?.defaultTolerance ?? 1e-6,
    tolerances: previous?.tolerances ?? {},
    models,
  };
}

/**
 * Trained models run small and on the TypeScript backend in the gate: its
 * arithmetic (V8's own Math functions, float32 storage) is the same on every
 * x86-64 machine, while ONNX Runtime picks CPU-specific kernels whose
 * rounding can differ between the machine that recorded a baseline and CI's.
 */
const REGRESS_ENGINE = {
  backend: "typescript" as const,
  budget: { maxIterations: 150, evalEvery: 50, patience: 2 },
};

/** Smaller shapes (batch, negatives, embedding size) for every model that has those settings. */
function regressModelConfig(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, spec] of Object.entries(MODELS)) {
    const small: Record<string, unknown> = { batchSize: 32, negativeRatio: 4, dim: 16 };
    const keys = Object.keys(small).filter((k) => k in spec.defaults);
    if (keys.length > 0) out[name] = Object.fromEntries(keys.map((k) => [k, small[k]]));
  }
  return out;
}

const REGRESS_RUN: Baselines["run"] = {
  dataset: "synthetic",
  protocols: ["sequential", "cf"],
  seed: 1,
};

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { update: { type: "boolean" }, out: { type: "string" }, quiet: { type: "boolean" } },
  });
  const out = values.out ?? "out/regress";
  const results = await runBench({
    datasets: [REGRESS_RUN.dataset],
    protocols: REGRESS_RUN.protocols,
    seeds: [REGRESS_RUN.seed],
    models: Object.keys(MODELS),
    out,
    // A scratch folder, rerun at every revision.
    overwrite: true,
    quiet: values.quiet ?? true,
    command: ["deno task regress", ...Deno.args].join(" "),
    ...REGRESS_ENGINE,
    modelConfig: regressModelConfig(),
  });
  let previous: Baselines | undefined;
  try {
    previous = JSON.parse(await Deno.readTextFile(BASELINE_PATH));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  if (values.update) {
    const next = baselinesFrom(results, previous);
    await writeTextAtomic(BASELINE_PATH.pathname, JSON.stringify(next, null, 2) + "\n");
    console.log(`Baselines updated: ${BASELINE_PATH.pathname}`);
    return 0;
  }
  if (!previous) {
    console.error(`No baselines at ${BASELINE_PATH.pathname}: run deno task regress --update`);
    return 1;
  }
  const moved = compareWithBaselines(previous, results);
  const cells = results.results.length;
  if (moved.length === 0) {
    console.log(`regress: ${cells} runs match the baselines (report: ${out}/report.md)`);
    return 0;
  }
  console.error(
    `regress: ${moved.length} metric(s) moved beyond tolerance:\n\n${formatMovements(moved)}\n`,
  );
  console.error(
    "If the change is deliberate, run `deno task regress --update` and commit the baselines with the reason.",
  );
  return 1;
}

if (import.meta.main) Deno.exit(await main());
