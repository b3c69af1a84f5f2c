import { ok, strictEqual } from "node:assert/strict";
import { runBench } from "../../bench/run.ts";
import { readResults } from "../../bench/results.ts";

const dataDir = new URL("../../fixtures/formats", import.meta.url).pathname;
const run = (datasets: string[], set: Record<string, Record<string, unknown>> = {}) =>
  Deno.makeTempDir().then((out) =>
    runBench({
      datasets,
      dataDir,
      models: ["remi", "remi-rr", "mind"],
      protocols: ["sequential"],
      budget: { maxIterations: 2, evalEvery: 2, patience: 1 },
      backend: "typescript",
      modelConfig: set,
      out,
      quiet: true,
    }).then((file) => ({ file, out }))
  );

Deno.test("the reference runs' per-dataset settings apply on their datasets, under --set, and the report names them", async () => {
  // --set wins over the dataset's settings: MIND's ReLU layer switched off on Books.
  const { file, out } = await run(["amazon-books", "gowalla"], { mind: { reluLayer: false } });
  const cell = (dataset: string, model: string) =>
    file.results.find((r) => r.dataset === dataset && r.model === model)!;
  for (const r of file.results) ok(r.state === "completed", r.state === "errored" ? r.error : "");
  strictEqual(cell("amazon-books", "remi").config.model.beta, 10);
  strictEqual(
    cell("amazon-books", "remi-rr").config.model.beta,
    0,
    "IHN stays off in the RR ablation",
  );
  strictEqual(cell("amazon-books", "mind").config.model.reluLayer, false);
  strictEqual(cell("amazon-books", "remi").config.protocol.maxlen, 20);
  strictEqual(cell("gowalla", "mind").config.model.reluLayer, false);
  strictEqual(cell("gowalla", "remi").config.protocol.maxlen, 40);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes("remi beta 10, mind reluLayer false"), md);
  const saved = await readResults(`${out}/results.json`);
  strictEqual(
    saved.results.find((r) => r.dataset === "gowalla" && r.model === "remi")!.config.model.beta,
    1,
  );
});
