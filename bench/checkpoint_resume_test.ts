// Kills a real `deno task bench` in the middle of training (SIGKILL, then
// SIGTERM), reruns it, and compares everything it writes that does not measure
// time or memory with an uninterrupted run, byte for byte.
import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { benchArgs, canRunDeno, deno } from "./_testing.ts";

const fixtures = new URL("../fixtures/movielens", import.meta.url).pathname;
const args = (out: string) =>
  benchArgs(
    "--datasets",
    "ml-100k",
    "--data-dir",
    fixtures,
    "--models",
    "comirec-sa,bprmf",
    "--max-iterations",
    "120",
    "--eval-every",
    "20",
    "--patience",
    "100",
    "--out",
    out,
  );

/** Starts the bench; resolves when `ready` says so from its stderr, with the process. */
function start(out: string, ready: (log: string) => boolean) {
  const child = new Deno.Command(deno, { args: args(out), stdout: "null", stderr: "piped" })
    .spawn();
  let log = "";
  let resolve!: () => void;
  const seen = new Promise<void>((r) => resolve = r);
  const drained = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      log += chunk;
      if (ready(log)) resolve();
    }
    resolve();
  })();
  return { child, seen, log: async () => (await drained, log) };
}

/** What a run wrote, without what measures time, memory or names the folder. */
async function outputs(out: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const path = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(path);
      else if (path.includes("/per-user/")) {
        files[path.slice(out.length)] = await Deno.readTextFile(path);
      }
    }
  };
  await walk(out);
  const results = JSON.parse(await Deno.readTextFile(`${out}/results.json`));
  for (const r of results.results) {
    delete r.timings;
    delete r.rssMiB;
    delete r.peakRssMiB;
    delete r.training?.secondsPer1000;
  }
  for (const d of Object.values(results.datasets) as Record<string, unknown>[]) {
    delete d.loadSeconds;
    delete d.prepareSeconds;
  }
  files["results.json"] = JSON.stringify(
    [results.results, results.datasets, results.grid],
    null,
    1,
  );
  return files;
}

Deno.test({
  name:
    "a bench killed mid-training and one stopped by SIGTERM resume their cell to the results of an uninterrupted run",
  ignore: !canRunDeno,
}, async () => {
  const whole = await Deno.makeTempDir();
  const first = await new Deno.Command(deno, { args: args(whole), stdout: "null", stderr: "piped" })
    .output();
  ok(first.success, new TextDecoder().decode(first.stderr));

  const out = await Deno.makeTempDir();
  const ckpt = `${out}/checkpoints/ml-100k__sequential__1__comirec-sa.ckpt`;
  // 1. SIGKILL once comirec-sa's first checkpoint (iteration 20) is on disk.
  const killed = start(out, () => false);
  for (let t = 0; t < 600; t++) {
    if (await Deno.stat(ckpt).then(() => true, () => false)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  killed.child.kill("SIGKILL");
  strictEqual((await killed.child.status).success, false);
  ok(await Deno.stat(ckpt).then(() => true, () => false), await killed.log());

  // 2. Rerun: it resumes from that checkpoint; SIGTERM saves one at once and exits 143.
  const stopped = start(out, (log) => log.includes("resuming ml-100k/sequential/1/comirec-sa"));
  await stopped.seen;
  stopped.child.kill("SIGTERM");
  const status = await stopped.child.status;
  const log2 = await stopped.log();
  ok(
    /resuming ml-100k\/sequential\/1\/comirec-sa from its checkpoint at iteration (20|40|60|80|100)\b/
      .test(log2),
    log2,
  );
  strictEqual(status.code, 143, log2);
  ok(log2.includes("stopped by SIGTERM while training ml-100k/sequential/1/comirec-sa"), log2);

  // 3. Rerun to the end.
  const last = start(out, () => false);
  const log3 = await last.log();
  ok((await last.child.status).success, log3);
  ok(log3.includes("resuming ml-100k/sequential/1/comirec-sa from its checkpoint"), log3);
  const expected = await outputs(whole);
  strictEqual(Object.keys(expected).length, 3, "results.json and both cells' per-user files");
  deepStrictEqual(await outputs(out), expected);
  // A finished cell's checkpoint is removed, and the folder with the last one.
  strictEqual(await Deno.stat(`${out}/checkpoints`).then(() => true, () => false), false);
});
