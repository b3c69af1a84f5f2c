import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { readResults } from "./results.ts";
import { cellKey } from "./shard.ts";
import { benchArgs, canRunDeno, deno } from "./_testing.ts";

const args = (out: string) =>
  benchArgs("--models", "mostpop,itemknn", "--seeds", "1,2,3,4,5,6", "--out", out);

async function countDone(stream: ReadableStream<Uint8Array>, stopAfter?: () => void) {
  let text = "";
  let done = 0;
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    text += chunk;
    const now = text.split("\n").filter((l) => l.startsWith("done ")).length;
    if (now > done) {
      done = now;
      if (done >= 3) stopAfter?.();
    }
  }
  return { text, done };
}

Deno.test({
  name: "killing a bench run midway and rerunning completes only the missing cells",
  ignore: !canRunDeno,
}, async () => {
  const out = await Deno.makeTempDir();
  // 6 seeds x 2 protocols x 2 models = 24 cells; kill after the third finished cell.
  const first = new Deno.Command(deno, { args: args(out), stdout: "null", stderr: "piped" })
    .spawn();
  let killed = false;
  await countDone(first.stderr, () => {
    if (!killed) first.kill("SIGKILL");
    killed = true;
  });
  const status = await first.status;
  ok(!status.success, "the first run was killed");
  const partial = await readResults(`${out}/results.json`);
  const before = partial.results.length;
  // The "done" line is printed just before results.json is rewritten, so the
  // kill may land between the two: that cell is then simply run again.
  ok(before >= 2 && before < 24, `killed after ${before} cells`);

  const second = await new Deno.Command(deno, { args: args(out), stdout: "piped", stderr: "piped" })
    .output();
  const log = new TextDecoder().decode(second.stderr);
  ok(second.success, log);
  ok(log.includes(`resuming: ${before} of 24 cells kept`), log);
  // The killed run's lock file is found stale (its lock died with it) and taken over.
  ok(log.includes("stale lock of a run that no longer runs"), log);
  const rerun = log.split("\n").filter((l) => l.startsWith("done ")).length;
  strictEqual(rerun, 24 - before, log);

  const final = await readResults(`${out}/results.json`);
  const keys = final.results.map(cellKey);
  strictEqual(keys.length, 24);
  strictEqual(new Set(keys).size, 24, "no cell duplicated");
  deepStrictEqual(keys, final.grid!.cells, "every planned cell, in run order");
  // The kept cells are the first run's own results, untouched.
  for (const r of partial.results) {
    deepStrictEqual(final.results.find((x) => cellKey(x) === cellKey(r)), r);
  }
});
