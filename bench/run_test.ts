import { deepStrictEqual, notDeepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { readResults } from "./results.ts";
import { runBench } from "./run.ts";
import { buildReport } from "../reports/write.ts";

const options = { models: ["mostpop", "itemknn"], quiet: true } as const;

Deno.test("the same seed twice gives identical metrics, a different seed different ones", async () => {
  const a = await runBench({ ...options, seeds: [1], out: await Deno.makeTempDir() });
  const b = await runBench({ ...options, seeds: [1], out: await Deno.makeTempDir() });
  const c = await runBench({ ...options, seeds: [2], out: await Deno.makeTempDir() });
  const metrics = (r: typeof a) =>
    r.results.map((x) => x.state === "completed" ? x.metrics : x.error);
  deepStrictEqual(metrics(a), metrics(b));
  notDeepStrictEqual(metrics(a), metrics(c));
  strictEqual(a.results.length, 4);
  ok(a.results.every((r) => r.state === "completed"));
  // The same split config and dataset checksum are recorded.
  deepStrictEqual(a.results.map((r) => r.config), b.results.map((r) => r.config));
  deepStrictEqual(a.results.map((r) => r.datasetChecksum), c.results.map((r) => r.datasetChecksum));
});

Deno.test("results.json records every field a rerun needs and report.md and its charts regenerate byte for byte", async () => {
  const out = await Deno.makeTempDir();
  await runBench({ ...options, protocols: ["cf"], seeds: [1, 2], out });
  const file = await readResults(`${out}/results.json`);
  const r = file.results[0];
  ok(r.state === "completed");
  for (const key of ["recall@20", "ndcg@50", "hit_rate@10", "precision@20", "mrr@20"]) {
    ok(key in r.metrics, `missing ${key}`);
  }
  strictEqual(r.seed, 1);
  ok(r.datasetChecksum.length === 64);
  ok(file.provenance.runtime.deno.length > 0);
  ok(file.provenance.revision.length > 0);
  ok(r.perUser && (await Deno.stat(`${out}/${r.perUser}`)).isFile, "per-user values are kept");
  const md = await Deno.readTextFile(`${out}/report.md`);
  const again = await buildReport(out, await readResults(`${out}/results.json`));
  strictEqual(again.markdown, md);
  ok(md.includes("t-test p (users)") && md.includes("](charts/"), md);
  ok(again.charts.length > 0);
  for (const chart of again.charts) {
    strictEqual(chart.svg, await Deno.readTextFile(`${out}/${chart.path}`), chart.path);
    ok(md.includes(`](${chart.path})`), `report links ${chart.path}`);
  }
});

Deno.test("a failing model does not stop the sweep and is reported", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/broken.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { mergeConfig } from "${mod}";
export const model = {
  name: "broken", title: "Broken", reference: "test", deviations: "test", protocols: ["cf"],
  defaults: {}, configure: (o) => mergeConfig("broken", {}, o),
  create: () => ({ interests: 1, fit() { throw new Error("fit exploded"); }, score() {}, parameterCount: () => 0 }),
};
`,
  );
  const out = await Deno.makeTempDir();
  const res = await runBench({ models: [path, "mostpop"], protocols: ["cf"], out, quiet: true });
  const states = res.results.map((r) => r.state);
  deepStrictEqual(states, ["errored", "completed"]);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes("fit exploded"));
});
