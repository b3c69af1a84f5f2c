import { deepStrictEqual, ok, rejects, throws } from "node:assert/strict";
import { runBench } from "./run.ts";
import { parseBenchArgs } from "./cli.ts";
import { readResults, type RunResult } from "./results.ts";
import { choosePoint, tunePoints } from "./tune.ts";
import { mergeDirs } from "../reports/merge.ts";
import { cellKey } from "./shard.ts";

const planted = new URL("./testdata/planted_tune_model.ts", import.meta.url).pathname;

const metric = (r: RunResult | undefined, key: string) => {
  if (r?.state !== "completed") throw new Error(`not completed: ${JSON.stringify(r)}`);
  return r.metrics[key];
};

Deno.test("choosePoint() takes the highest value, the first point on ties, and skips errored points", () => {
  ok(choosePoint([0.2, 0.5, 0.5]) === 1);
  ok(choosePoint([null, 0.1]) === 1);
  ok(choosePoint([null, null]) === -1);
  deepStrictEqual(tunePoints({ K: [2, 4], lr: [0.1] }).map((p) => p.overrides), [
    { K: 2, lr: 0.1 },
    { K: 4, lr: 0.1 },
  ]);
});

Deno.test("--tune refuses unknown models, keys and bad values before training", async () => {
  const o = parseBenchArgs(["--models", "mostpop,itemknn", "--tune", "itemknn.nope=1,2"]);
  ok(o !== "help");
  await rejects(
    () => runBench({ ...o, quiet: true, out: Deno.makeTempDirSync() }),
    /no config key "nope"/,
  );
  const bad = parseBenchArgs(["--models", "itemknn", "--tune", "itemknn.neighbors=10,x"]);
  ok(bad !== "help");
  await rejects(
    () => runBench({ ...bad, quiet: true, out: Deno.makeTempDirSync() }),
    /point neighbors=x/,
  );
  const absent = parseBenchArgs(["--models", "mostpop", "--tune", "itemknn.neighbors=10"]);
  ok(absent !== "help");
  await rejects(
    () => runBench({ ...absent, quiet: true, out: Deno.makeTempDirSync() }),
    /not in --models/,
  );
  throws(() => parseBenchArgs(["--tune-budget", "5"]), /needs --tune/);
  throws(() => parseBenchArgs(["--tune", "itemknn.neighbors=10,10"]), /repeated/);
  throws(() => parseBenchArgs(["--tune", "itemknn.neighbors"]), /model.key=v1,v2/);
});

Deno.test("tuning chooses on validation: a planted point best on test and worse on validation is not chosen", async () => {
  const base = { protocols: ["sequential" as const], quiet: true, models: [planted] };
  const out = await Deno.makeTempDir();
  const tuned = await runBench({
    ...base,
    out,
    tune: { grid: { planted: { memorize: [false, true] } } },
  });
  const chosen = tuned.results.find((r) => r.tuning?.role === "chosen")!;
  const points = tuned.results.filter((r) => r.tuning?.role === "point");
  // Untuned runs of each config, to check that the plant holds (computed apart from tuning).
  const alone = async (memorize: boolean) =>
    (await runBench({
      ...base,
      out: await Deno.makeTempDir(),
      modelConfig: { planted: { memorize } },
    })).results[0];
  const memorizing = await alone(true), popular = await alone(false);
  ok(metric(popular, "recall@50") > metric(memorizing, "recall@50"), "the plant: best on test");
  const [vFalse, vTrue] = points.map((p) => metric(p, "recall@50"));
  ok(vTrue > vFalse, `the plant: best on validation (${vTrue} vs ${vFalse})`);
  deepStrictEqual(chosen.tuning?.overrides, { memorize: true });
  deepStrictEqual(chosen.config.model, { memorize: true });
  // The reported test numbers are the chosen point's, and points carry no test numbers.
  ok(metric(chosen, "recall@50") === metric(memorizing, "recall@50"));
  ok(points.every((p) => p.state === "completed" && p.perUser === undefined));
  const report = await Deno.readTextFile(`${out}/report.md`);
  ok(report.includes("## Tuning on validation") && report.includes("| memorize=true |"), report);
});

Deno.test("a tuned grid shards, merges to the unsharded result and resumes after a kill", async () => {
  const root = await Deno.makeTempDir();
  const o = {
    models: ["mostpop", "itemknn"],
    protocols: ["sequential" as const],
    quiet: true,
    tune: { grid: { itemknn: { neighbors: [10, 50] } }, budget: 5 },
  };
  const whole = await runBench({ ...o, out: `${root}/whole` });
  for (const index of [1, 2]) {
    await runBench({ ...o, out: `${root}/sharded`, shard: { index, count: 2 } });
  }
  const merged = await mergeDirs(`${root}/merged`, [
    `${root}/sharded/shard-1-of-2`,
    `${root}/sharded/shard-2-of-2`,
  ]);
  const numbers = (rs: RunResult[]) =>
    rs.map((r) => [cellKey(r), r.state === "completed" ? r.metrics : r.error]);
  deepStrictEqual(numbers(merged.results), numbers(whole.results));
  deepStrictEqual(merged.grid!.cells, whole.grid!.cells);
  // A kill after the first point: the rerun keeps it and runs the rest.
  const file = await readResults(`${root}/whole/results.json`);
  const first = file.results.find((r) => r.tuning?.role === "point")!;
  file.results = [first];
  await Deno.writeTextFile(`${root}/whole/results.json`, JSON.stringify(file));
  const resumed = await runBench({ ...o, out: `${root}/whole` });
  deepStrictEqual(numbers(resumed.results), numbers(whole.results));
  const kept = resumed.results.find((r) => cellKey(r) === cellKey(first))!;
  ok(kept.state === "completed" && first.state === "completed");
  ok(kept.timings.fitSeconds === first.timings.fitSeconds, "the finished point was not rerun");
});

Deno.test("ComiRec-SA's K tuned over {2, 4, 6, 8} sharded over 2 tasks merges to the unsharded result, marked in the main table", async () => {
  const root = await Deno.makeTempDir();
  const o = {
    models: ["comirec-sa"],
    protocols: ["sequential" as const],
    quiet: true,
    budget: { maxIterations: 4, evalEvery: 2, patience: 1 },
    tune: { grid: { "comirec-sa": { interests: [2, 4, 6, 8] } } },
  };
  const whole = await runBench({ ...o, out: `${root}/whole` });
  for (const index of [1, 2]) {
    await runBench({ ...o, out: `${root}/sharded`, shard: { index, count: 2 } });
  }
  const merged = await mergeDirs(`${root}/merged`, [
    `${root}/sharded/shard-1-of-2`,
    `${root}/sharded/shard-2-of-2`,
  ]);
  const numbers = (rs: RunResult[]) =>
    rs.map((r) => [cellKey(r), r.state === "completed" ? r.metrics : r.error, r.tuning?.point]);
  deepStrictEqual(numbers(merged.results), numbers(whole.results));
  ok(whole.results.filter((r) => r.tuning?.role === "point").length === 4);
  const chosen = whole.results.find((r) => r.tuning?.role === "chosen")!;
  // The chosen point is the best validation value among the four (computed from the points here).
  const values = whole.results.filter((r) => r.tuning?.role === "point").map((r) =>
    metric(r, "recall@50")
  );
  ok(chosen.tuning?.point === `interests=${[2, 4, 6, 8][choosePoint(values)]}`);
  const report = await Deno.readTextFile(`${root}/merged/report.md`);
  ok(report.includes(" † |") && report.includes(`† Tuned on validation`), report);
  ok(report.includes(`${chosen.tuning!.point} (seed 1) by validation recall@50`), report);
});
