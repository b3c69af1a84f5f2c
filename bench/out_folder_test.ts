import { ok, rejects, strictEqual } from "node:assert/strict";
import { readResults } from "./results.ts";
import { runBench } from "./run.ts";
import { LOCK_FILE } from "./lock.ts";

const cf = { protocols: ["cf"] as const, quiet: true };

Deno.test("two runs into one --out at once: one runs, the other is refused at once", async () => {
  const out = await Deno.makeTempDir();
  const [a, b] = await Promise.allSettled([
    runBench({ ...cf, models: ["mostpop"], seeds: [1, 2], out }),
    runBench({ ...cf, models: ["mostpop", "itemknn"], seeds: [1, 2], out }),
  ]);
  const refused = [a, b].filter((r) => r.status === "rejected");
  strictEqual(refused.length, 1, "exactly one run is refused");
  const reason = String((refused[0] as PromiseRejectedResult).reason);
  ok(reason.includes(`${out} is in use by another recbench run (pid ${Deno.pid}`), reason);
  const kept = (a.status === "fulfilled" ? a : b) as PromiseFulfilledResult<
    Awaited<ReturnType<typeof runBench>>
  >;
  const file = await readResults(`${out}/results.json`);
  strictEqual(file.results.length, kept.value.results.length);
  // Released at the end, so a later run may use the folder.
  await rejects(Deno.stat(`${out}/${LOCK_FILE}`), Deno.errors.NotFound);
});

Deno.test("a rerun with another grid into a finished run is refused, naming what differs", async () => {
  const out = await Deno.makeTempDir();
  await runBench({ ...cf, models: ["mostpop", "itemknn"], seeds: [1], out });
  const before = await Deno.readTextFile(`${out}/results.json`);
  await rejects(
    runBench({ ...cf, models: ["mostpop"], seeds: [1, 2], out }),
    (error: Error) => {
      const m = error.message;
      ok(m.includes("a finished run of a different grid"), m);
      ok(m.includes("models: mostpop,itemknn -> mostpop"), m);
      ok(m.includes("seeds: 1 -> 1,2"), m);
      ok(m.includes("new --out") && m.includes("--overwrite"), m);
      return true;
    },
  );
  strictEqual(await Deno.readTextFile(`${out}/results.json`), before, "left untouched");
  await rejects(
    runBench({ ...cf, models: ["mostpop", "itemknn"], seeds: [1], maxlen: 10, out }),
    /options\.maxlen: 20 -> 10/,
  );
  // --overwrite replaces it, and drops the old per-user files.
  const file = await runBench({ ...cf, models: ["mostpop"], seeds: [2], out, overwrite: true });
  strictEqual(file.results.length, 1);
  await rejects(Deno.stat(`${out}/per-user/synthetic/cf/seed-1`), Deno.errors.NotFound);
  // The same grid again is accepted (a finished run is run again, a partial one resumed).
  strictEqual((await runBench({ ...cf, models: ["mostpop"], seeds: [2], out })).results.length, 1);
});

Deno.test("a rerun with another grid into a partial run is refused; the same grid resumes", async () => {
  const out = await Deno.makeTempDir();
  const full = await runBench({ ...cf, models: ["mostpop", "itemknn"], seeds: [1, 2], out });
  // As if killed after the first cell.
  const partial = { ...full, results: full.results.slice(0, 1) };
  await Deno.writeTextFile(`${out}/results.json`, JSON.stringify(partial));
  await rejects(
    runBench({ ...cf, models: ["itemknn"], seeds: [1, 2], out }),
    /a partial run of a different grid/,
  );
  const resumed = await runBench({ ...cf, models: ["mostpop", "itemknn"], seeds: [1, 2], out });
  strictEqual(resumed.results.length, 4);
  strictEqual(JSON.stringify(resumed.results[0]), JSON.stringify(full.results[0]), "kept as is");
});

Deno.test({
  name: "an unwritable --out or --export-onnx folder is refused before any training",
  ignore: Deno.build.os !== "linux",
}, async () => {
  // /proc exists and cannot take new files, even for root.
  const t0 = performance.now();
  await rejects(
    runBench({ ...cf, models: ["mostpop"], out: "/proc" }),
    /Cannot write to --out \/proc/,
  );
  await rejects(
    runBench({ ...cf, models: ["mostpop"], exportOnnx: "/proc", out: await Deno.makeTempDir() }),
    /Cannot write to --export-onnx \/proc/,
  );
  ok(performance.now() - t0 < 30_000);
});
