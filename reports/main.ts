/**
 * `deno task report DIR`: regenerates `DIR/report.md` from `DIR/results.json`
 * without retraining.
 *
 * @module
 */
import { readResults, writeTextAtomic } from "../bench/results.ts";
import { renderReport } from "./markdown.ts";

if (import.meta.main) {
  const dir = Deno.args[0];
  if (!dir || Deno.args.length !== 1) {
    console.error("Usage: deno task report DIR   (DIR holds results.json)");
    Deno.exit(2);
  }
  try {
    const results = await readResults(`${dir}/results.json`);
    await writeTextAtomic(`${dir}/report.md`, renderReport(results));
    console.log(`Report: ${dir}/report.md`);
  } catch (error) {
    console.error(`report: ${(error as Error).message}`);
    Deno.exit(1);
  }
}
