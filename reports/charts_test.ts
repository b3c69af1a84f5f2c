import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { MODEL_COLORS, planCharts, renderSvg } from "./charts.ts";

function result(model: string, seed: number, recall: number, curve?: [number, number][]) {
  return {
    model,
    dataset: "toy",
    protocol: "cf",
    seed,
    state: "completed",
    config: { model: {}, protocol: {} },
    datasetChecksum: "",
    revision: "",
    deno: "",
    metrics: { "recall@20": recall, "recall@50": 2 * recall, "ndcg@20": recall / 2 },
    timings: { fitSeconds: 1, evalSeconds: 1, evalUsersPerSecond: 1 },
    parameters: 0,
    rssMiB: 1,
    evaluatedUsers: 1,
    ...(curve
      ? {
        training: {
          iterations: 2000,
          bestIteration: 2000,
          curve,
          secondsPer1000: 1,
          diagnostics: {},
        },
      }
      : {}),
  } as CompletedResult;
}

const file: ResultsFile = {
  schema: 1,
  seeds: [1, 2],
  datasets: {},
  models: {
    pop: { title: "MostPopular", reference: "", deviations: "" },
    remi: { title: "REMI", reference: "", deviations: "" },
  },
  provenance: {
    revision: "",
    command: "",
    packages: {},
    runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" },
  },
  results: [
    result("pop", 1, 0.1),
    result("remi", 1, 0.2, [[1000, 0.11], [2000, 0.17]]),
    result("pop", 2, 0.12),
    result("remi", 2, 0.22, [[1000, 0.12], [2000, 0.19]]),
  ],
};

Deno.test("planCharts() plans a metrics chart per table and a curve chart where training curves exist", () => {
  const plans = planCharts(file);
  deepStrictEqual(plans.map((p) => p.path), [
    "charts/toy-cf-metrics.svg",
    "charts/toy-cf-curve.svg",
  ]);
  const noCurves = { ...file, results: file.results.filter((r) => r.model === "pop") };
  deepStrictEqual(planCharts(noCurves).map((p) => p.path), ["charts/toy-cf-metrics.svg"]);
});

Deno.test("renderSvg() draws every model and gives the same bytes twice", async () => {
  for (const plan of planCharts(file)) {
    const svg = await renderSvg(plan.spec);
    ok(svg.startsWith("<svg"), plan.path);
    ok(
      svg.includes("REMI") &&
        svg.includes(plan.path.endsWith("curve.svg") ? "training iteration" : "recall@50"),
      plan.path,
    );
    strictEqual(await renderSvg(plan.spec), svg, plan.path);
  }
});

Deno.test("charts give a model one colour in every chart, even where others are missing", async () => {
  // REMI alone in the sequential protocol: it keeps the colour it has beside MostPopular.
  const sequential = file.results.filter((r) => r.model === "remi").map((r) => ({
    ...r,
    protocol: "sequential" as const,
  }));
  const both: ResultsFile = { ...file, results: [...file.results, ...sequential] };
  const plans = planCharts(both);
  const remi = MODEL_COLORS[1];
  for (const path of ["charts/toy-sequential-metrics.svg", "charts/toy-sequential-curve.svg"]) {
    const svg = await renderSvg(plans.find((p) => p.path === path)!.spec);
    ok(svg.includes(`fill="${remi}"`) || svg.includes(`stroke="${remi}"`), path);
    ok(!svg.includes(MODEL_COLORS[0]), `${path} uses MostPopular's colour`);
  }
});

Deno.test("charts tell seeds apart and print metric names horizontally", async () => {
  const plans = planCharts(file);
  const curve = await renderSvg(plans.find((p) => p.path.endsWith("curve.svg"))!.spec);
  ok(curve.includes("stroke-dasharray"), "seed 2's curve is dashed");
  ok(curve.includes(">seed<"), "a legend names the seeds");
  const bars = await renderSvg(plans.find((p) => p.path.endsWith("metrics.svg"))!.spec);
  ok(!/rotate\((270|-90)\)[^>]*>recall@20/.test(bars), "recall@20 is not turned on its side");
});
