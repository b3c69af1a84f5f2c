/**
 * `deno task bench`: runs the grid and prints where the report is.
 *
 * @module
 */
import { parseBenchArgs, USAGE } from "./cli.ts";
import { RunStopped } from "./checkpoint.ts";
import { runBench } from "./run.ts";
import { describePlan } from "./presets_plan.ts";
import { shardOut, WHOLE_GRID } from "./shard.ts";

if (import.meta.main) {
  let options;
  try {
    options = parseBenchArgs(Deno.args, (name) => Deno.env.get(name));
  } catch (error) {
    console.error(`bench: ${(error as Error).message}\n\n${USAGE}`);
    Deno.exit(2);
  }
  if (options === "help") {
    console.log(USAGE);
    Deno.exit(0);
  }
  if (options.list) {
    console.log(await describePlan(options));
    Deno.exit(0);
  }
  const out = shardOut(options.out ?? "out/bench", options.shard ?? WHOLE_GRID);
  options.command = ["deno task bench", ...Deno.args].join(" ");
  const t0 = performance.now();
  try {
    const results = await runBench(options);
    const failed = results.results.filter((r) => r.state === "errored").length;
    console.log(
      `Report: ${out}/report.md\nResults: ${out}/results.json\n` +
        `${results.results.length} runs (${failed} failed) in ${
          ((performance.now() - t0) / 1000).toFixed(1)
        }s`,
    );
    if (failed > 0) Deno.exit(1);
  } catch (error) {
    console.error(`bench: ${(error as Error).message}`);
    // Stopped by a signal with the training cell's checkpoint saved: as a signal would end it.
    Deno.exit(error instanceof RunStopped ? 128 + error.signal : 1);
  }
}
