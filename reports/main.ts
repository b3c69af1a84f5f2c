/**
 * `deno task report DIR`: regenerates `DIR/report.md` and its charts from
 * `DIR/results.json` and the per-user files, without retraining.
 * `deno task report --merge OUT DIR...` merges shard folders into OUT first.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { readResults } from "../bench/results.ts";
import { acquireRunLock } from "../bench/lock.ts";
import { mergeDirs } from "./merge.ts";
import { writeReport } from "./write.ts";

const USAGE = `Usage: deno task report DIR [--focus MODEL|none]
       deno task report --merge OUT DIR... [--focus MODEL|none]

  DIR            folder holding results.json (written by deno task bench)
  --merge OUT    merge the shard folders DIR... (from bench --shard I/N) into OUT
  --focus MODEL  model whose improvement over the best other model is reported
                 (default: the last model of the run; none for no Improv. column)
`;

if (import.meta.main) {
  let values, positionals;
  try {
    ({ values, positionals } = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: { merge: { type: "string" }, focus: { type: "string" }, help: { type: "boolean" } },
    }));
  } catch (error) {
    console.error(`report: ${(error as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    Deno.exit(0);
  }
  const merging = values.merge !== undefined;
  if (positionals.length === 0 || (!merging && positionals.length !== 1)) {
    console.error(USAGE);
    Deno.exit(2);
  }
  const options = values.focus !== undefined ? { focus: values.focus } : {};
  try {
    if (merging) {
      const out = values.merge!;
      await Deno.mkdir(out, { recursive: true });
      // Not while a bench run (or another report) writes there.
      using _lock = acquireRunLock(out);
      const merged = await mergeDirs(out, positionals, {
        ...options,
        command: ["deno task report", ...Deno.args].join(" "),
      });
      console.log(
        `Merged ${positionals.length} shards (${merged.results.length} cells) into ${out}/results.json\n` +
          `Report: ${out}/report.md`,
      );
    } else {
      const dir = positionals[0];
      using _lock = acquireRunLock(dir);
      await writeReport(dir, await readResults(`${dir}/results.json`), options);
      console.log(`Report: ${dir}/report.md`);
    }
  } catch (error) {
    console.error(`report: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
