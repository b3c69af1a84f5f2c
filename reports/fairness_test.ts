import { ok, strictEqual } from "node:assert/strict";
import type { CompletedResult } from "../bench/results.ts";
import { fairnessChart, fairnessLines } from "./fairness.ts";

function result(seed: number, perBin: number[]): CompletedResult {
  return {
    model: "m",
    dataset: "d",
    protocol: "cf",
    seed,
    config: { model: {}, protocol: {} },
    datasetChecksum: "",
    revision: "",
    deno: "",
    state: "completed",
    metrics: { "recall@20": 0.5 },
    timings: { fitSeconds: 0, evalSeconds: 0, evalUsersPerSecond: 0 },
    parameters: 0,
    rssMiB: 0,
    evaluatedUsers: 2,
    fairness: {
      basis: "field:genres",
      bins: 2,
      users: [1, 1],
      upperEntropy: [0, 1],
      metrics: { "recall@20": { perBin, std: 0.1 * seed, gap: 0.2 * seed } },
    },
  };
}

Deno.test("fairnessLines() shows bin means and spread averaged over seeds", () => {
  const lines = fairnessLines(
    [result(1, [0.2, 0.6]), result(2, [0.4, 0.8])],
    ["m"],
    (m) => `M-${m}`,
  );
  ok(lines[0].startsWith("### Fairness"));
  ok(lines.some((l) => l.includes("genres")));
  const row = lines.find((l) => l.startsWith("| M-m |"));
  strictEqual(row, "| M-m | 0.5000 | 0.3000 | 0.7000 | 0.1500 | 0.3000 |");
});

Deno.test("fairnessChart() plots one point per model and bin", () => {
  const spec = fairnessChart([result(1, [0.2, 0.6])], (m) => m, "t");
  const values = (spec?.data as { values: unknown[] }).values;
  strictEqual(values.length, 2);
});
