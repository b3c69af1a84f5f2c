import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "./results.ts";
import { type Baselines, compareWithBaselines, formatMovements } from "./regress.ts";

function file(metrics: Record<string, number>): ResultsFile {
  const r: CompletedResult = {
    model: "itemknn",
    dataset: "synthetic",
    protocol: "cf",
    seed: 1,
    state: "completed",
    metrics,
    config: { model: {}, protocol: {} },
    datasetChecksum: "",
    revision: "",
    deno: "",
    timings: { fitSeconds: 0, evalSeconds: 0, evalUsersPerSecond: 0 },
    parameters: 0,
    rssMiB: 0,
    evaluatedUsers: 1,
  };
  return {
    schema: 1,
    seeds: [1],
    datasets: {},
    models: {},
    results: [r],
    provenance: {
      revision: "",
      command: "",
      packages: {},
      runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" },
    },
  };
}

const baselines: Baselines = {
  note: "",
  run: { dataset: "synthetic", protocols: ["cf"], seed: 1 },
  defaultTolerance: 1e-6,
  tolerances: { ndcg: 0.01 },
  models: { itemknn: { cf: { "recall@20": 0.25, "ndcg@20": 0.1 } } },
};

Deno.test("compareWithBaselines() passes values within tolerance", () => {
  deepStrictEqual(
    compareWithBaselines(baselines, file({ "recall@20": 0.2500001, "ndcg@20": 0.105 })),
    [],
  );
});

Deno.test("compareWithBaselines() flags a drop and a rise beyond tolerance", () => {
  const moved = compareWithBaselines(baselines, file({ "recall@20": 0.24, "ndcg@20": 0.2 }));
  deepStrictEqual(moved.map((m) => m.metric), ["recall@20", "ndcg@20"]);
  const table = formatMovements(moved);
  ok(
    table.includes("| itemknn | cf | recall@20 | 0.250000 | 0.240000 | -0.010000 (down) |"),
    table,
  );
  ok(table.includes("+0.100000 (up)"), table);
});

Deno.test("compareWithBaselines() flags new metrics, missing baselines and removed models", () => {
  const extra = compareWithBaselines(
    baselines,
    file({ "recall@20": 0.25, "ndcg@20": 0.1, "mrr@20": 0.3 }),
  );
  deepStrictEqual(extra.map((m) => m.metric), ["mrr@20"]);
  const none = compareWithBaselines({ ...baselines, models: {} }, file({ "recall@20": 0.25 }));
  strictEqual(none[0].metric, "no baseline (run with --update)");
  const gone = compareWithBaselines(
    { ...baselines, models: { ...baselines.models, old: { cf: {} } } },
    file({ "recall@20": 0.25, "ndcg@20": 0.1 }),
  );
  strictEqual(gone[0].model, "old");
});
