/**
 * Prints the side-by-side parity table of `scripts/parity/sequential.sh`:
 * REMI's code (`OUT/reference.jsonl`, one JSON line per run from
 * `reference_train.py`) next to recbench (`OUT/recbench-<model>/results.json`
 * and the `/usr/bin/time -v` log beside it).
 *
 *   deno run --allow-read scripts/parity/table.ts OUT
 *
 * @module
 */
import type { CompletedResult, ResultsFile } from "../../bench/results.ts";

/** One run of the reference code, as `reference_train.py` prints it. */
interface ReferenceRun {
  model: string;
  seed: number;
  "recall@50": number;
  "hitrate@50": number;
  it_per_s: number;
  cpu_s_per_1000?: number;
  peak_rss_mb: number;
  loadavg: string[];
}

const NAMES: Record<string, string> = {
  "comirec-sa": "ComiRec-SA",
  "comirec-dr": "ComiRec-DR",
  mind: "MIND",
  youtubednn: "DNN",
  gru4rec: "GRU4Rec",
  remi: "REMI",
};

function stats(xs: number[]): string {
  if (xs.length === 0) return "-";
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (xs.length === 1) return mean.toFixed(4);
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1));
  return `${mean.toFixed(4)} ± ${sd.toFixed(4)} [${Math.min(...xs).toFixed(4)}, ${
    Math.max(...xs).toFixed(4)
  }]`;
}

function range(xs: number[], digits: number): string {
  if (xs.length === 0) return "-";
  const lo = Math.min(...xs), hi = Math.max(...xs);
  return lo === hi ? lo.toFixed(digits) : `${lo.toFixed(digits)}-${hi.toFixed(digits)}`;
}

function cpuSeconds(timeLog: string): number {
  const user = timeLog.match(/User time \(seconds\): ([\d.]+)/)?.[1];
  const system = timeLog.match(/System time \(seconds\): ([\d.]+)/)?.[1];
  return user === undefined || system === undefined ? NaN : Number(user) + Number(system);
}

async function main(out: string): Promise<void> {
  const refText = await Deno.readTextFile(`${out}/reference.jsonl`).catch(() => "");
  const refs = refText.split("\n").filter((l) => l.trim()).map((l) =>
    JSON.parse(l) as ReferenceRun
  );
  const rows = [
    "| model | Recall@50 reference (seeds) | Recall@50 recbench (mean ± sd [min, max]) | HitRate@50 reference | HitRate@50 recbench | inside recbench's range | it/s reference | it/s recbench | CPU s / 1000 it reference | CPU s per run reference | CPU s per run recbench | peak RSS MB reference | peak RSS MB recbench (process) | load average (ref; recbench) |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const [name, refName] of Object.entries(NAMES)) {
    const ref = refs.filter((r) => r.model === refName);
    let file: ResultsFile | undefined;
    try {
      file = JSON.parse(await Deno.readTextFile(`${out}/recbench-${name}/results.json`));
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (ref.length === 0 && !file) continue;
    const ours = (file?.results ?? []).filter((r): r is CompletedResult =>
      r.state === "completed" && r.model === name
    );
    // The reference's recall counts repeated targets; compare with that variant.
    const recall = ours.map((r) =>
      r.referenceVariants?.["recall_repeats@50"] ?? r.metrics["recall@50"]
    );
    const hit = ours.map((r) => r.metrics["hit_rate@50"]);
    const its = ours.flatMap((r) => r.training ? [1000 / r.training.secondsPer1000] : []);
    const log = await Deno.readTextFile(`${out}/recbench-${name}.log`).catch(() => "");
    const kb = Number(log.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? NaN);
    // Whole-process CPU (user + system) per run: 1,000 iterations, validation, test, setup.
    const ourCpu = cpuSeconds(log) / Math.max(1, ours.length);
    const refCpu: number[] = [];
    for (const r of ref) {
      const text = await Deno.readTextFile(`${out}/reference-logs/${refName}-s${r.seed}.log`)
        .catch(() => "");
      if (text) refCpu.push(cpuSeconds(text));
    }
    const load = await Deno.readTextFile(`${out}/recbench-load.log`).catch(() => "");
    const ourLoad = load.split("\n").find((l) => l.startsWith(`${name}:`))?.match(
      /load average: ([\d.]+)/,
    )?.[1] ?? "-";
    const inside = ref.length === 0 || recall.length === 0
      ? "-"
      : ref.every((r) =>
          r["recall@50"] >= Math.min(...recall) && r["recall@50"] <= Math.max(...recall)
        )
      ? "yes"
      : "no";
    rows.push(
      `| ${refName} | ${
        ref.map((r) => `${r["recall@50"].toFixed(4)} (${r.seed})`).join(", ") || "-"
      } | ${stats(recall)} | ${ref.map((r) => r["hitrate@50"].toFixed(4)).join(", ") || "-"} | ${
        stats(hit)
      } | ${inside} | ${range(ref.map((r) => r.it_per_s), 2)} | ${range(its, 1)} | ${
        range(ref.flatMap((r) => r.cpu_s_per_1000 === undefined ? [] : [r.cpu_s_per_1000]), 0)
      } | ${range(refCpu, 0)} | ${Number.isFinite(ourCpu) ? ourCpu.toFixed(0) : "-"} | ${
        range(ref.map((r) => r.peak_rss_mb), 0)
      } | ${Number.isFinite(kb) ? (kb / 1024).toFixed(0) : "-"} | ${
        ref.map((r) => r.loadavg[0]).join(", ") || "-"
      }; ${ourLoad} |`,
    );
  }
  console.log(rows.join("\n"));
}

if (import.meta.main) {
  if (Deno.args.length !== 1) {
    console.error("usage: deno run --allow-read scripts/parity/table.ts OUT");
    Deno.exit(2);
  }
  await main(Deno.args[0]);
}
