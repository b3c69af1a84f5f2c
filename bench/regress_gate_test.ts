import { deepStrictEqual, ok } from "node:assert/strict";
import { BASELINE_PATH, type Baselines, compareWithBaselines, formatMovements } from "./regress.ts";
import { runBench } from "./run.ts";

const baselines: Baselines = JSON.parse(await Deno.readTextFile(BASELINE_PATH));
const onlyMostPop: Baselines = { ...baselines, models: { mostpop: baselines.models.mostpop } };
const run = {
  datasets: [baselines.run.dataset],
  protocols: baselines.run.protocols,
  seeds: [baselines.run.seed],
  quiet: true,
};

Deno.test("the metric gate passes the unchanged MostPopular against the recorded baselines", async () => {
  const results = await runBench({ ...run, models: ["mostpop"], out: await Deno.makeTempDir() });
  deepStrictEqual(compareWithBaselines(onlyMostPop, results), []);
});

Deno.test("the metric gate fails, naming the metric, when a change lowers MostPopular's recall", async () => {
  // The "change": MostPopular that never recommends the single most popular item (index 0).
  const dir = await Deno.makeTempDir();
  const path = `${dir}/mostpop_changed.ts`;
  const mod = new URL("../models/mostpop/mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { mostPopular } from "${mod}";
export const model = {
  ...mostPopular,
  name: "mostpop-changed",
  create(config) {
    const inner = mostPopular.create(config);
    return {
      interests: inner.interests,
      fit: (data, context) => inner.fit(data, context),
      parameterCount: () => inner.parameterCount(),
      score(queries, out) {
        inner.score(queries, out);
        const n = out.length / queries.length;
        for (let q = 0; q < queries.length; q++) out[q * n] = -1e9;
      },
    };
  },
};
`,
  );
  const results = await runBench({ ...run, models: [path], out: await Deno.makeTempDir() });
  const changed = { ...baselines, models: { "mostpop-changed": baselines.models.mostpop } };
  const moved = compareWithBaselines(changed, results);
  const recall = moved.find((m) => m.protocol === "cf" && m.metric === "recall@20");
  ok(recall && recall.current < recall.baseline - recall.tolerance, formatMovements(moved));
  const table = formatMovements(moved);
  ok(
    /\| mostpop-changed \| cf \| recall@20 \| [0-9.]+ \| [0-9.]+ \| -[0-9.]+ \(down\) \|/.test(
      table,
    ),
    table,
  );
});
