import assert from "node:assert/strict";
import { parseBenchArgs } from "./cli.ts";
import { runBench } from "./run.ts";

const formats = new URL("../fixtures/formats", import.meta.url).pathname;

Deno.test("parseBenchArgs() reads the data flags into loader, preparation, split and cache options", () => {
  const o = parseBenchArgs([
    "--on-bad-line=skip",
    "--events=view,addtocart",
    "--dedupe=keep-first",
    "--filter=k-core",
    "--min-seq-len=3",
    "--time-window=100,",
    "--split=given",
    "--no-cache",
  ]);
  assert.ok(o !== "help");
  assert.deepEqual(o.read, { onBadLine: "skip", events: ["view", "addtocart"] });
  assert.deepEqual(o.prepare, {
    dedupe: "keep-first",
    filter: "k-core",
    minSequenceLength: 3,
    timeWindow: { start: 100 },
  });
  assert.equal(o.split, "given");
  assert.equal(o.cacheDir, undefined);
  assert.throws(
    () => parseBenchArgs(["--dedupe=first"]),
    /--dedupe must be keep-all or keep-first/,
  );
});

Deno.test("runBench() evaluates a published split as given, in the cf protocol only", async () => {
  const out = await Deno.makeTempDir();
  try {
    const r = await runBench({
      datasets: ["lightgcn-gowalla"],
      dataDir: formats,
      split: "given",
      models: ["mostpop"],
      out,
      quiet: true,
    });
    assert.equal(r.results.length, 1);
    const result = r.results[0];
    assert.equal(result.protocol, "cf");
    assert.equal(result.config.protocol.split, "given");
    const test = (await Deno.readTextFile(`${formats}/lightgcn-gowalla/test.txt`)).trim().split(
      "\n",
    );
    assert.equal((result.config.protocol.users as { test: number }).test, test.length);
    await assert.rejects(
      runBench({
        datasets: ["lightgcn-gowalla"],
        dataDir: formats,
        split: "given",
        protocols: ["sequential"],
        // A new folder: \`out\` holds a run of another grid, which would be refused first.
        out: await Deno.makeTempDir(),
        quiet: true,
      }),
      /--split given .* use --protocol cf/,
    );
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
