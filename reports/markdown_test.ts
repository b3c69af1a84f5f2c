import { ok, strictEqual } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import type { PerUserLookup } from "./compare.ts";
import { renderReport } from "./markdown.ts";

function result(
  model: string,
  seed: number,
  metrics: Record<string, number>,
  extra: Partial<CompletedResult> = {},
): CompletedResult {
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
    metrics,
    timings: { fitSeconds: 1, evalSeconds: 1, evalUsersPerSecond: 10 },
    parameters: 0,
    rssMiB: 100,
    evaluatedUsers: 10,
    ...extra,
  };
}

const note = (t: string) => ({ title: t, reference: `ref ${t}.`, deviations: `none ${t}.` });
const provenance = {
  revision: "abc",
  command: "deno task bench",
  packages: {},
  runtime: { deno: "2", v8: "1", typescript: "5", os: "linux", arch: "x86_64" },
};

const twoModels: ResultsFile = {
  schema: 1,
  seeds: [1, 2],
  datasets: {},
  models: { a: note("Alpha"), b: note("Beta") },
  provenance,
  results: [
    result("a", 1, { "recall@10": 0.05, "recall@20": 0.1, "gini@20": 0.5 }),
    result("a", 2, { "recall@10": 0.05, "recall@20": 0.3, "gini@20": 0.7 }),
    result("b", 1, { "recall@10": 0.05, "recall@20": 0.15, "gini@20": 0.9 }),
    result("b", 2, { "recall@10": 0.05, "recall@20": 0.15, "gini@20": 0.9 }),
  ],
};

Deno.test("renderReport() shows mean ± std over seeds and bolds the best per row", () => {
  const md = renderReport(twoModels, { focus: "none" });
  // a: mean 0.2, sample std sqrt(((0.1)^2 + (0.1)^2) / 1) = 0.1414; b: 0.15 ± 0.
  ok(md.includes("| recall@20 | **0.2000 ± 0.1414** | 0.1500 ± 0.0000 |\n"), md);
  // Gini: lower is better, a (0.6) wins.
  ok(md.includes("| gini@20 (lower is better) | **0.6000 ± 0.1414** | 0.9000 ± 0.0000 |"), md);
  // Only @20 and @50 rows; no Improv. column without a focus.
  ok(!md.includes("recall@10"), md);
  ok(!md.includes("Improv."), md);
});

Deno.test("renderReport() prints each model's deviation note and the provenance", () => {
  const md = renderReport(twoModels);
  ok(md.includes("**Alpha** (`a`): ref Alpha. Deviations: none Alpha."));
  ok(md.includes("- Revision: `abc`"));
  ok(md.includes("- Command: `deno task bench`"));
});

Deno.test("renderReport() reports the last model's improvement as untested without per-user values", () => {
  const md = renderReport(twoModels);
  // Beta (0.15) against Alpha (0.2): -25%; Gini 0.9 against 0.6: -50% (lower is better).
  ok(md.includes("| recall@20 | **0.2000 ± 0.1414** | 0.1500 ± 0.0000 | -25.00% (untested) |"), md);
  ok(md.includes("| -50.00% (untested) |"), md);
});

// Three models, three seeds, 40 users: C is far better than B on recall@20 for
// every user, and only a hair better than B on ndcg@20 with noise around it.
const users = Array.from({ length: 40 }, (_, i) => i);
const noise = (u: number, seed: number) => ((u * 7919 + seed * 104729) % 13) / 13 - 0.5;
const perUserValues: Record<string, Record<string, number[]>> = {};
const threeModels: ResultsFile = {
  schema: 1,
  seeds: [1, 2, 3],
  datasets: {},
  models: { a: note("A"), b: note("B"), c: note("C") },
  provenance,
  results: [],
};
for (const seed of [1, 2, 3]) {
  const values: Record<string, (u: number) => number> = {
    a: () => 0.1,
    b: (u) => 0.2 + 0.01 * noise(u, seed),
    c: (u) => 0.3 + 0.01 * noise(u, seed + 10),
  };
  const ndcg: Record<string, (u: number) => number> = {
    a: () => 0.05,
    b: (u) => 0.2 + 0.1 * noise(u, seed),
    c: (u) => 0.2005 + 0.1 * noise(u, seed + 20),
  };
  for (const m of ["a", "b", "c"]) {
    const recall = users.map(values[m]);
    const nd = users.map(ndcg[m]);
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    const path = `per-user/${m}-${seed}.json`;
    perUserValues[path] = { "recall@20": recall, "ndcg@20": nd };
    threeModels.results.push(
      result(m, seed, { "recall@20": mean(recall), "ndcg@20": mean(nd) }, { perUser: path }),
    );
  }
}
const lookup: PerUserLookup = (r) =>
  r.perUser ? { users, metrics: perUserValues[r.perUser] } : undefined;

Deno.test("renderReport() bolds the best, underlines the second and stars only significant improvements", () => {
  const md = renderReport(threeModels, { perUser: lookup });
  const recallRow = md.split("\n").find((l) => l.startsWith("| recall@20 |"))!;
  ok(
    /^\| recall@20 \| 0\.1000 ± 0\.0000 \| <u>0\.\d{4} ± 0\.\d{4}<\/u> \| \*\*0\.\d{4} ± 0\.\d{4}\*\* \| \+\d+\.\d\d%\* \|$/
      .test(recallRow),
    recallRow,
  );
  const ndcgRow = md.split("\n").find((l) => l.startsWith("| ndcg@20 |"))!;
  ok(ndcgRow.endsWith("(n.s.) |"), ndcgRow);
  ok(md.includes("| recall@20 | B | 120 |"), md);
  const sigRecall = md.split("\n").find((l) => l.startsWith("| recall@20 | B |"))!;
  ok(sigRecall.endsWith("| improvement |"), sigRecall);
  const sigNdcg = md.split("\n").find((l) => l.startsWith("| ndcg@20 | B |"))!;
  ok(sigNdcg.endsWith("| not significant |"), sigNdcg);
});

Deno.test("renderReport() says when the focus model is significantly worse, not just n.s.", () => {
  const md = renderReport(threeModels, { perUser: lookup, focus: "a" });
  const recallRow = md.split("\n").find((l) => l.startsWith("| recall@20 |"))!;
  ok(recallRow.endsWith("(worse, p < 0.05) |"), recallRow);
  ok(md.includes("| significantly worse |"), md);
});

Deno.test("renderReport() takes the focus model from its options and refuses unknown ones", () => {
  const md = renderReport(threeModels, { perUser: lookup, focus: "b" });
  ok(md.includes("relative improvement of **B**"), md);
  let threw = false;
  try {
    renderReport(threeModels, { focus: "zzz" });
  } catch (error) {
    threw = error instanceof RangeError;
  }
  ok(threw);
});

Deno.test("renderReport() shows training speed, peak memory and diagnostics when results carry them", () => {
  const training = {
    iterations: 2000,
    bestIteration: 1500,
    curve: [[1000, 0.1], [2000, 0.2]] as [number, number][],
    secondsPer1000: 0.5,
    diagnostics: { routingCollapse: 0.25 },
  };
  const file: ResultsFile = {
    ...twoModels,
    results: twoModels.results.map((r) =>
      r.state === "completed" ? { ...r, training, peakRssMiB: 321 } : r
    ),
  };
  const md = renderReport(file);
  ok(md.includes("| Alpha | 0 | 1.00 | 0.500 s / 1000 it | 1.00 | 10 | 321 |"), md);
  ok(md.includes("| Alpha | routingCollapse | 0.2500 |"), md);
  // Integers, per seed: never "2000.0 (1500.0)".
  ok(md.includes("| Beta | iterations run (best kept), per seed | 2000 (1500), 2000 (1500) |"), md);
});

Deno.test("renderReport() links the charts of each table", () => {
  const md = renderReport(twoModels, {
    charts: [{
      path: "charts/toy-cf-metrics.svg",
      title: "toy, cf",
      dataset: "toy",
      protocol: "cf",
    }],
  });
  strictEqual(md.split("](charts/toy-cf-metrics.svg)").length, 2);
});

Deno.test("renderReport() prints the repeated events the cf split removes and the unreachable sequential targets", () => {
  const md = renderReport({
    ...twoModels,
    datasets: {
      toy: {
        name: "toy",
        checksum: "c".repeat(64),
        users: 2,
        items: 3,
        interactions: 12,
        density: 2,
        meanPerUser: 6,
        medianPerUser: 6,
        preparation: { rawInteractions: 12, droppedByRating: 0, droppedByFilter: 0 },
        repeatedEvents: 7,
        loadSeconds: 0,
        prepareSeconds: 0,
      },
    },
    results: [
      result("a", 1, { "recall@20": 0.1 }, {
        protocol: "sequential",
        config: {
          model: {},
          protocol: {
            excludeHistory: true,
            testTargetsInHistory: { targets: 40, alsoInHistory: 3 },
          },
        },
      }),
    ],
  }, { focus: "none" });
  ok(
    md.includes("7 repeated user-item events in the prepared data, which the cf protocol removes"),
  );
  ok(md.includes("3 of 40 test targets are also in the user's history"));
});

const engine = {
  backend: "onnxruntime",
  threads: 2,
  budget: { maxIterations: 1000, evalEvery: 250, patience: 3 },
};

Deno.test("renderReport() carries the setup a paper's table needs: budget, backend, CPU, hyperparameters", () => {
  const file: ResultsFile = {
    ...twoModels,
    provenance: {
      ...provenance,
      runtime: { ...provenance.runtime, cpu: { model: "Test CPU 3000", cores: 8 } },
    },
    results: twoModels.results.map((r) => ({
      ...r,
      config: { ...r.config, model: r.model === "a" ? { dim: 64, lr: 0.001 } : {}, engine },
    })),
  };
  const md = renderReport(file);
  ok(md.includes("at most 1000 iterations, validation every 250, stop after 3 validations"), md);
  ok(md.includes("- Backend: onnxruntime, 2 threads."), md);
  ok(md.includes("- CPU: Test CPU 3000, 8 logical cores."), md);
  ok(
    md.includes(
      "| model | hyperparameter | value |\n|---|---|---|\n| Alpha | dim | 64 |\n|  | lr | 0.001 |\n| Beta | (none) | |",
    ),
    md,
  );
});

Deno.test("renderReport() flags a model whose best iteration is its last", () => {
  const training = (best: number) => ({
    iterations: 1000,
    bestIteration: best,
    curve: [[1000, 0.2]] as [number, number][],
    secondsPer1000: 1,
    diagnostics: {},
  });
  const file: ResultsFile = {
    ...twoModels,
    results: twoModels.results.map((r) =>
      r.state === "completed"
        ? { ...r, training: training(r.model === "a" && r.seed === 2 ? 1000 : 750) }
        : r
    ),
  };
  const md = renderReport(file);
  ok(md.includes("- **Alpha** may be under-trained: best at the budget's end"), md);
  ok(md.includes("1000, in seed 2)"), md);
  ok(!md.includes("**Beta** may be under-trained"), md);
});

Deno.test("renderReport() keeps the tie rule out of the bold/underline legend", () => {
  const legend = renderReport(twoModels).split("\n")[2];
  ok(legend.includes("**Bold**") && !/tie/i.test(legend), legend);
});

Deno.test("renderReport() says which order made the cf split", () => {
  const order = (o: string) => ({
    ...twoModels,
    results: twoModels.results.map((r) => ({
      ...r,
      config: { ...r.config, protocol: { protocol: "cf", order: o, ratios: [0.8, 0.1, 0.1] } },
    })),
  });
  ok(renderReport(order("temporal")).includes("split 8:1:1 by time (`--cf-order temporal`"));
  ok(renderReport(order("random")).includes("split 8:1:1 in a seeded random order"));
});

Deno.test("renderReport() explains a missing Improv. column when the focus model does not run there", () => {
  const file: ResultsFile = {
    ...twoModels,
    models: { ...twoModels.models, s: note("Seq") },
    results: [
      ...twoModels.results,
      { ...twoModels.results[0], model: "s", protocol: "sequential" } as CompletedResult,
    ],
  };
  const md = renderReport(file);
  ok(
    md.includes(
      'No "Improv." column: Seq, the model in focus, has no completed run in the cf protocol',
    ),
    md,
  );
});

Deno.test("renderReport() prints '-' and the reason for a seed-level t-test without variance", () => {
  // B beats A by 0.1 in every seed, up to rounding: t would be rounding noise over rounding noise.
  const a = [0.21, 0.42, 0.63], b = [0.31, 0.52, 0.73];
  const file: ResultsFile = {
    ...threeModels,
    models: { a: note("A"), b: note("B") },
    results: [1, 2, 3].flatMap((seed, i) => [
      result("a", seed, { "recall@20": a[i] }),
      result("b", seed, { "recall@20": b[i] }),
    ]),
  };
  const md = renderReport(file);
  const row = md.split("\n").find((l) => l.startsWith("| recall@20 | A |"))!;
  // | metric | against | pairs | t users | W users | t seeds | W seeds | claim |
  strictEqual(row.split("|")[6].trim(), "-", row);
  ok(
    md.includes(
      '- "-" in t-test (seeds) for recall@20: the test is undefined, the differences are constant up to rounding (no variance).',
    ),
    md,
  );
});
