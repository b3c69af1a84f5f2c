import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { planCharts, renderSvg } from "./charts.ts";

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
