import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { readResults, type ResultsFile } from "../bench/results.ts";
import { runBench } from "../bench/run.ts";
import { mergeDirs, mergeResults } from "./merge.ts";

const grid = { models: ["mostpop", "itemknn"], seeds: [1, 2], quiet: true } as const;
const metricsOf = (f: ResultsFile) =>
  f.results.map((
    r,
  ) => [r.dataset, r.protocol, r.seed, r.model, r.state === "completed" ? r.metrics : r.error]);

Deno.test("three shards merged by hand give the unsharded run's cells, order and metrics", async () => {
  const whole = await runBench({ ...grid, out: await Deno.makeTempDir() });
  const root = await Deno.makeTempDir();
  const dirs = [];
  for (const index of [3, 1, 2]) {
    await runBench({ ...grid, out: root, shard: { index, count: 3 } });
    dirs.push(`${root}/shard-${index}-of-3`);
  }
  const shardSizes = [];
  for (const d of dirs) shardSizes.push((await readResults(`${d}/results.json`)).results.length);
  deepStrictEqual(shardSizes.sort(), [2, 3, 3]);
  const out = `${root}/merged`;
  const merged = await mergeDirs(out, dirs, { command: "test merge" });
  deepStrictEqual(metricsOf(merged), metricsOf(whole));
  deepStrictEqual(metricsOf(await readResults(`${out}/results.json`)), metricsOf(whole));
  deepStrictEqual(merged.grid?.cells, whole.grid?.cells);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes("t-test p (users)"), "per-user files were copied for the significance tests");
});

Deno.test("mergeResults() refuses mixed revisions, mixed configs, missing, repeated and unfinished shards", async () => {
  const root = await Deno.makeTempDir();
  const parts: ResultsFile[] = [];
  for (const index of [1, 2]) {
    parts.push(await runBench({ ...grid, seeds: [1], out: root, shard: { index, count: 2 } }));
  }
  strictEqual(mergeResults(parts).results.length, 4);
  const [a, b] = parts;
  throws(
    () => mergeResults([a, { ...b, provenance: { ...b.provenance, revision: "other" } }]),
    /different revisions/,
  );
  throws(
    () =>
      mergeResults([a, {
        ...b,
        grid: { ...b.grid!, options: { ...b.grid!.options, maxlen: 50 } },
      }]),
    /different configs/,
  );
  throws(() => mergeResults([a]), /shard\(s\) 2 of 2 missing/);
  throws(() => mergeResults([a, a]), /given twice/);
  throws(() => mergeResults([a, { ...b, results: b.results.slice(1) }]), /unfinished/);
  throws(() => mergeResults([a, { ...b, grid: undefined }]), TypeError);
  await rejects(mergeDirs(`${root}/m`, [`${root}/missing`]), /Cannot read results/);
});

Deno.test("mergeResults() names each shard's CPU when the shards ran on different machines", async () => {
  const root = await Deno.makeTempDir();
  const parts: ResultsFile[] = [];
  for (const index of [1, 2]) {
    parts.push(await runBench({ ...grid, seeds: [1], out: root, shard: { index, count: 2 } }));
  }
  const cpu = (model: string, cores: number) => ({ model, cores });
  const on = (p: ResultsFile, c: { model: string; cores: number }) => ({
    ...p,
    provenance: { ...p.provenance, runtime: { ...p.provenance.runtime, cpu: c } },
  });
  const same = mergeResults([on(parts[0], cpu("A", 2)), on(parts[1], cpu("A", 2))]);
  deepStrictEqual(same.provenance.runtime.cpu, cpu("A", 2));
  const mixed = mergeResults([on(parts[0], cpu("A", 2)), on(parts[1], cpu("B", 8))]);
  strictEqual(
    mixed.provenance.runtime.cpu?.model,
    "differs by shard: shard 1: A, 2 logical cores; shard 2: B, 8 logical cores",
  );
});
