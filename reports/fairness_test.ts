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

Deno.test("fairnessLines() names the genre weighting and shows diversity against activity", () => {
  const r = result(1, [0.2, 0.6]);
  const paper = {
    ...r,
    fairness: {
      ...r.fairness!,
      weighting: "genre" as const,
      activity: { pearson: 0.61234, spearman: 0.5, perBin: [12, 40.25] },
    },
  };
  const lines = fairnessLines([paper], ["m"], (m) => m);
  ok(lines.some((l) => l.includes("each genre of an item counts 1")));
  ok(lines.some((l) => l.includes("Pearson r 0.6123, Spearman rho 0.5000")));
  ok(lines.some((l) => l.includes("mean training items per bin: 12.0, 40.3")));
  // An older result without a weighting used the 1/m weighting and has no activity line.
  const old = fairnessLines([r], ["m"], (m) => m);
  ok(old.some((l) => l.includes("weigh 1/m each")));
  ok(!old.some((l) => l.includes("Pearson")));
});
