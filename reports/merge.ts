/**
 * Merges the results of the shards of one grid (`deno task bench --shard I/N`)
 * into one results folder, refusing shards from different revisions or
 * configs, missing or repeated shards, and unfinished shards.
 *
 * @module
 */
import { canonicalJson, cellKey } from "../bench/shard.ts";
import { chosenCellCount } from "../bench/tune.ts";
import {
  readResults,
  type ResultsFile,
  type RunResult,
  writeTextAtomic,
} from "../bench/results.ts";
import { writeReport, type WriteReportOptions } from "./write.ts";

/**
 * Merges shard results into the file an unsharded run would have written
 * (same cells, same order); timings and provenance come from the shards.
 *
 * @param parts One results file per shard, any order.
 * @param command The merge command, recorded in the provenance.
 * @returns The merged results.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { mergeResults } from "./merge.ts";
 * throws(() => mergeResults([]), RangeError);
 * ```
 */
export function mergeResults(parts: readonly ResultsFile[], command = "(merge)"): ResultsFile {
  if (parts.length === 0) throw new RangeError("Nothing to merge: no shard results given");
  for (const p of parts) {
    if (!p.grid) {
      throw new TypeError(
        "Cannot merge results without a grid plan (written by an older recbench or not by bench)",
      );
    }
  }
  const revisions = [...new Set(parts.map((p) => p.provenance.revision))];
  if (revisions.length > 1) {
    throw new Error(`Cannot merge shards from different revisions: ${revisions.join(", ")}`);
  }
  const config = (p: ResultsFile) =>
    canonicalJson({ ...p.grid!, shard: undefined, cells: undefined });
  const first = parts[0];
  for (const p of parts) {
    if (config(p) !== config(first)) {
      throw new Error(
        `Cannot merge shards with different configs: ${config(first)} vs ${config(p)}`,
      );
    }
  }
  const count = first.grid!.shard.count;
  const byIndex = new Map<number, ResultsFile>();
  for (const p of parts) {
    const { index, count: n } = p.grid!.shard;
    if (n !== count) throw new Error(`Cannot merge shards of ${count} and of ${n}`);
    if (byIndex.has(index)) throw new Error(`Shard ${index}/${count} is given twice`);
    byIndex.set(index, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new Error(`Cannot merge: shard(s) ${missing.join(", ")} of ${count} missing`);
  }
  const ordered = Array.from({ length: count }, (_, i) => byIndex.get(i + 1)!);
  const results: RunResult[] = [];
  const cells: string[] = [];
  const found = ordered.map((p) => new Map(p.results.map((r) => [cellKey(r), r])));
  ordered.forEach((p, i) => {
    const lacking = p.grid!.cells.filter((k) => !found[i].has(k));
    if (lacking.length > 0) {
      throw new Error(
        `Shard ${i + 1}/${count} is unfinished (${lacking.length} of ${
          p.grid!.cells.length
        } cells missing, first ${lacking[0]}): rerun it with the same command to resume`,
      );
    }
  });
  // Cell k of the whole grid is cell floor(k / N) of shard k mod N + 1.
  // A tuned grid's chosen-point test cells close the last shard (bench/tune.ts).
  const last = ordered[count - 1].grid!.cells;
  const chosen = last.slice(last.length - chosenCellCount(ordered[count - 1].grid!));
  const total = ordered.reduce((s, p) => s + p.grid!.cells.length, 0) - chosen.length;
  for (let k = 0; k < total; k++) {
    const key = ordered[k % count].grid!.cells[Math.floor(k / count)];
    cells.push(key);
    results.push(found[k % count].get(key)!);
  }
  for (const key of chosen) {
    cells.push(key);
    results.push(found[count - 1].get(key)!);
  }
  const datasets: ResultsFile["datasets"] = {};
  for (const name of first.grid!.datasets) {
    const from = ordered.find((p) => p.datasets[name]);
    if (from) datasets[name] = from.datasets[name];
  }
  return {
    schema: 1,
    provenance: {
      ...first.provenance,
      runtime: { ...first.provenance.runtime, ...shardCpus(ordered) },
      command: `${command} (shards: ${ordered.map((p) => p.provenance.command).join(" ; ")})`,
    },
    seeds: [...first.seeds],
    datasets,
    models: first.models,
    results,
    grid: { ...first.grid!, shard: { index: 1, count: 1 }, cells },
  };
}

/**
 * Merges shard folders into `out`: `results.json`, the per-user files and a
 * fresh report.
 *
 * @param out The merged folder.
 * @param dirs Shard folders (each holding `results.json`).
 * @param options Report focus, and the command to record.
 * @returns The merged results.
 * @example
 * ```ts ignore
 * import { mergeDirs } from "./merge.ts";
 * await mergeDirs("out/merged", ["out/grid/shard-1-of-2", "out/grid/shard-2-of-2"]);
 * ```
 */
export async function mergeDirs(
  out: string,
  dirs: readonly string[],
  options: WriteReportOptions & { command?: string } = {},
): Promise<ResultsFile> {
  const parts: ResultsFile[] = [];
  for (const dir of dirs) parts.push(await readResults(`${dir}/results.json`));
  const merged = mergeResults(parts, options.command);
  await Deno.mkdir(out, { recursive: true });
  for (const [i, p] of parts.entries()) {
    for (const r of p.results) {
      if (r.state !== "completed" || !r.perUser) continue;
      const to = `${out}/${r.perUser}`;
      await Deno.mkdir(to.slice(0, to.lastIndexOf("/")), { recursive: true });
      await Deno.copyFile(`${dirs[i]}/${r.perUser}`, to);
    }
  }
  await writeTextAtomic(`${out}/results.json`, JSON.stringify(merged, null, 1) + "\n");
  await writeReport(out, merged, options);
  return merged;
}

/** The shards' CPUs: one when they agree, all of them (in shard order) when they differ. */
function shardCpus(parts: readonly ResultsFile[]): { cpu?: { model: string; cores: number } } {
  const cpus = parts.map((p) => p.provenance.runtime.cpu);
  if (cpus.some((c) => c === undefined)) return {};
  const names = [...new Set(cpus.map((c) => `${c!.model} x ${c!.cores}`))];
  if (names.length === 1) return { cpu: cpus[0]! };
  return {
    cpu: {
      model: `differs by shard: ${
        cpus.map((c, i) => `shard ${i + 1}: ${c!.model}, ${c!.cores} logical cores`).join("; ")
      }`,
      cores: 0, // per shard, in the model text
    },
  };
}
