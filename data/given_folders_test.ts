import { ok, rejects, strictEqual } from "node:assert/strict";
import { runBench } from "../bench/run.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { writeMovieLensFiles } from "./movielens_fixtures.ts";
import { tempDir } from "./_testing.ts";

async function writeSplit(root: string, withValid: boolean): Promise<void> {
  const parts: Record<string, [string, string][]> = {
    train: [["1", "10"], ["1", "11"], ["2", "10"], ["2", "12"], ["3", "11"], ["3", "12"]],
    valid: [["1", "12"]],
    test: [["1", "13"], ["2", "11"], ["3", "10"]],
  };
  for (const [part, events] of Object.entries(parts)) {
    if (part === "valid" && !withValid) continue;
    const b = new InteractionLogBuilder(part, { withRatings: true });
    events.forEach(([u, i], t) => b.add(u, i, 1000 + t, 4));
    await writeMovieLensFiles(b.finish(), `${root}/${part}`, "ml-latest-small");
  }
}

Deno.test("given:<format> evaluates train/valid/test folders of any format as given", async () => {
  await using dir = await tempDir();
  await writeSplit(dir.path, true);
  const out = await Deno.makeTempDir();
  const res = await runBench({
    datasets: ["given:ml-latest-small"],
    dataDir: dir.path,
    split: "given",
    models: ["mostpop"],
    out,
    quiet: true,
    cacheDir: `${out}/cache`,
  });
  const r = res.results[0];
  ok(r.state === "completed", JSON.stringify(r));
  strictEqual(r.evaluatedUsers, 3);
  strictEqual(r.config.protocol.split, "given");
  // No filter: all 4 items and 10 events stay.
  strictEqual(res.datasets["given:ml-latest-small"].interactions, 10);
});

Deno.test("given:<format> names the missing folder", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/train`);
  await rejects(
    () =>
      runBench({
        datasets: ["given:ml-latest-small"],
        dataDir: dir.path,
        split: "given",
        models: ["mostpop"],
        out: `${dir.path}/out`,
        quiet: true,
        cacheDir: `${dir.path}/cache`,
      }),
    /needs train\/ and test\/ folders/,
  );
});

Deno.test("a given split without validation trains iterative models on the training loss", async () => {
  await using dir = await tempDir();
  await writeSplit(dir.path, false);
  const out = await Deno.makeTempDir();
  const res = await runBench({
    datasets: ["given:ml-latest-small"],
    dataDir: dir.path,
    split: "given",
    models: ["bprmf"],
    out,
    quiet: true,
    cacheDir: `${out}/cache`,
    budget: { maxIterations: 20, evalEvery: 10, patience: 2 },
  });
  const r = res.results[0];
  ok(r.state === "completed", r.state === "errored" ? r.error : "");
  strictEqual(r.evaluatedUsers, 3);
});
