/**
 * Compares the metrics of two results files cell by cell (for example a merged
 * sharded run against an unsharded one): same cells, same order, identical
 * metric values. Exits 1 and lists the differences otherwise.
 *
 * Usage: `deno run --allow-read scripts/compare_results.ts A/results.json B/results.json`
 *
 * @module
 */
import { isDeepStrictEqual } from "node:util";
import { readResults, type ResultsFile } from "../bench/results.ts";
import { cellKey } from "../bench/shard.ts";

/**
 * Lists how two results files differ in cells and metrics.
 *
 * @param a One results file.
 * @param b The other.
 * @returns Differences, empty when the cells and metrics are identical.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { metricDifferences } from "./compare_results.ts";
 * const file = { schema: 1 as const, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } };
 * ok(metricDifferences(file, file).length === 0);
 * ```
 */
export function metricDifferences(a: ResultsFile, b: ResultsFile): string[] {
  const diffs: string[] = [];
  const keysA = a.results.map(cellKey);
  const keysB = b.results.map(cellKey);
  if (!isDeepStrictEqual(keysA, keysB)) {
    diffs.push(`cells differ: ${keysA.join(", ")} vs ${keysB.join(", ")}`);
  }
  for (const ra of a.results) {
    const rb = b.results.find((r) => cellKey(r) === cellKey(ra));
    if (!rb) continue;
    const ma = ra.state === "completed" ? ra.metrics : ra.error;
    const mb = rb.state === "completed" ? rb.metrics : rb.error;
    if (!isDeepStrictEqual(ma, mb)) diffs.push(`${cellKey(ra)}: metrics differ`);
  }
  return diffs;
}

if (import.meta.main) {
  if (Deno.args.length !== 2) {
    console.error("Usage: compare_results.ts A/results.json B/results.json");
    Deno.exit(2);
  }
  const [a, b] = await Promise.all(Deno.args.map(readResults));
  const diffs = metricDifferences(a, b);
  if (diffs.length > 0) {
    console.error(diffs.join("\n"));
    Deno.exit(1);
  }
  console.log(`identical: ${a.results.length} cells, same order, same metrics`);
}
