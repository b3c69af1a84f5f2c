import { ok } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { renderReport } from "./markdown.ts";

function result(model: string, seed: number, recall: number, gini: number): CompletedResult {
  return {
    model,
    dataset: "toy",
    protocol: "cf",
    seed,
    state: "completed",
    config: { model: {}, protocol: {} },
    datasetChecksum: "c".repeat(64),
    revision: "abc",
    deno: "2",
    metrics: { "recall@20": recall, "gini@20": gini },
    timings: { fitSeconds: 1, evalSeconds: 1, evalUsersPerSecond: 10 },
    parameters: 0,
    rssMiB: 100,
    evaluatedUsers: 10,
  };
}

const file: ResultsFile = {
  schema: 1,
  seeds: [1, 2],
  datasets: {},
  models: {
    a: { title: "Alpha", reference: "ref A.", deviations: "none A." },
    b: { title: "Beta", reference: "ref B.", deviations: "none B." },
  },
  provenance: {
    revision: "abc",
    command: "deno task bench",
    packages: {},
    runtime: { deno: "2", v8: "1", typescript: "5", os: "linux", arch: "x86_64" },
  },
  results: [
    result("a", 1, 0.1, 0.5),
    result("a", 2, 0.3, 0.7),
    result("b", 1, 0.15, 0.9),
    result("b", 2, 0.15, 0.9),
  ],
};

Deno.test("renderReport() shows mean ± std over seeds and bolds the best per row", () => {
  const md = renderReport(file);
  // a: mean 0.2, sample std sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.1414; b: 0.15 ± 0.
  ok(md.includes("| recall@20 | **0.2000 ± 0.1414** | 0.1500 ± 0.0000 |"), md);
  // Gini: lower is better, a (0.6) wins.
  ok(md.includes("| gini@20 (lower is better) | **0.6000 ± 0.1414** | 0.9000 ± 0.0000 |"), md);
});

Deno.test("renderReport() prints each model's deviation note and the provenance", () => {
  const md = renderReport(file);
  ok(md.includes("**Alpha** (`a`): ref A. Deviations: none A."));
  ok(md.includes("- Revision: `abc`"));
  ok(md.includes("- Command: `deno task bench`"));
});
