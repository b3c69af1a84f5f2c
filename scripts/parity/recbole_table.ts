/**
 * Prints the RecBole side-by-side table of `recbole_ml100k.sh` from its output
 * folder: RecBole's `recbole-<Model>.json` and recbench's `recbench-<model>/results.json`.
 *
 *   deno run --allow-read scripts/parity/recbole_table.ts OUT BATCHES_PER_EPOCH
 *
 * @module
 */
interface RecboleRun {
  epochsRun: number;
  secondsPerEpoch: number;
  peakRssMiB: number;
  test: Record<string, number>;
}

interface BenchRun {
  metrics: Record<string, number>;
  timings: { fitSeconds: number };
  peakRssMiB?: number;
  training?: { iterations: number; bestIteration: number; secondsPer1000: number };
}

const [out, batchesArg] = Deno.args;
if (out === undefined || batchesArg === undefined) {
  throw new TypeError("usage: recbole_table.ts OUT BATCHES_PER_EPOCH");
}
const batches = Number(batchesArg);
const readJson = async (path: string) => JSON.parse(await Deno.readTextFile(`${out}/${path}`));
const f = (x: number | undefined, d = 4) => x === undefined ? "-" : x.toFixed(d);

console.log(
  "| model | side | Recall@20 | NDCG@20 | epochs run (best) | s / epoch | peak RSS MiB |",
);
console.log("|---|---|---:|---:|---:|---:|---:|");
const rows: [string, string, string[]][] = [
  ["ItemKNN", "ItemKNN", ["itemknn", "itemknn-history"]],
  ["BPR", "BPR", ["bprmf"]],
  ["LightGCN", "LightGCN", ["lightgcn"]],
];
for (const [title, recbole, ours] of rows) {
  const r: RecboleRun = await readJson(`recbole-${recbole}.json`);
  console.log(
    `| ${title} | RecBole | ${f(r.test["recall@20"])} | ${
      f(r.test["ndcg@20"])
    } | ${r.epochsRun} | ${f(r.secondsPerEpoch, 2)} | ${f(r.peakRssMiB, 0)} |`,
  );
  for (const name of ours) {
    const file = await readJson(`recbench-${name}/results.json`);
    const runs: BenchRun[] = file.results;
    const ms = (pick: (b: BenchRun) => number) => {
      const v = runs.map(pick);
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const sd = v.length > 1
        ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1))
        : undefined;
      return sd === undefined ? f(mean) : `${f(mean)} ± ${f(sd)}`;
    };
    const epochs = runs.map((b) =>
      b.training
        ? `${f(b.training.iterations / batches, 0)} (${f(b.training.bestIteration / batches, 0)})`
        : "1"
    ).join(", ");
    const perEpoch = runs.map((b) =>
      f(b.training ? b.training.secondsPer1000 * batches / 1000 : b.timings.fitSeconds, 2)
    ).join(", ");
    const peak = runs.map((b) => f(b.peakRssMiB, 0)).join(", ");
    console.log(
      `| ${title} | recbench \`${name}\` (${runs.length} seeds) | ${
        ms((b) => b.metrics["recall@20"])
      } | ${ms((b) => b.metrics["ndcg@20"])} | ${epochs} | ${perEpoch} | ${peak} |`,
    );
  }
}
