import { ok, rejects, strictEqual } from "node:assert/strict";
import { runBench } from "../bench/run.ts";
import { loadModelSpec } from "./load.ts";
import { MODELS } from "./mod.ts";

Deno.test("the guide's example model loads from a path and is judged by the bench", async () => {
  const out = await Deno.makeTempDir();
  const results = await runBench({
    models: ["mostpop", "./docs/examples/markov.ts"],
    protocols: ["sequential"],
    out,
    quiet: true,
  });
  strictEqual(results.results.length, 2);
  const markov = results.results.find((r) => r.model === "markov");
  ok(markov && markov.state === "completed");
  const report = await Deno.readTextFile(`${out}/report.md`);
  ok(report.includes("Markov (example)"));
  ok(report.includes("Example model, not from a paper."));
});

Deno.test("loadModelSpec() names unknown models and bad modules", async () => {
  await rejects(() => loadModelSpec("nope", MODELS), /Unknown model "nope".*mostpop/);
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.ts`, "export const model = { name: 'x' };\n");
  await rejects(() => loadModelSpec(`${dir}/bad.ts`, MODELS), /model\.title must be a string/);
  await rejects(() => loadModelSpec(`${dir}/missing.ts`, MODELS), /Cannot load model module/);
});
