/**
 * The table of `docs/results/cf-multimodal.md`: completed cells gathered from
 * several bench output folders (shards of one grid and separate runs with the
 * same flags), mean ± sample std over seeds per model, and IDSF against each
 * other model with the report's test (paired t-test and Wilcoxon signed-rank
 * over per-user values, users paired within each seed, seeds pooled).
 *
 *     deno run --allow-read scripts/cf_multimodal_table.ts FOCUS DIR...
 *
 * FOCUS is the model compared with every other (e.g. `idsf`); each DIR holds
 * a `results.json` (shard folders included). Refuses cells whose budget
 * differs from the first one's.
 *
 * @module
 */
import { pairedTTest, wilcoxonSignedRank } from "../reports/significance.ts";

interface Cell {
  model: string;
  seed: number;
  state: string;
  metrics: Record<string, number>;
  perUser?: string;
}

const [focus, ...dirs] = Deno.args;
if (!focus || dirs.length === 0) {
  throw new TypeError("usage: cf_multimodal_table.ts FOCUS DIR... (DIR holds results.json)");
}
const cells: (Cell & { dir: string })[] = [];
let budget: string | undefined;
for (const dir of dirs) {
  let text: string;
  try {
    text = await Deno.readTextFile(`${dir}/results.json`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    console.error(`${dir}: no results.json yet (no cell finished), skipped`);
    continue;
  }
  const results = JSON.parse(text);
  const b = JSON.stringify(results.grid?.options?.engine?.budget ?? null);
  budget ??= b;
  if (b !== budget) throw new RangeError(`${dir}: budget ${b} differs from ${budget}`);
  for (const r of results.results as Cell[]) {
    if (r.state === "completed") cells.push({ ...r, dir });
  }
}
const metrics = ["recall@20", "ndcg@20", "precision@20", "recall@50"];
const models = [...new Set(cells.map((c) => c.model))];
const perUser = async (c: Cell & { dir: string }) =>
  JSON.parse(await Deno.readTextFile(`${c.dir}/${c.perUser}`)) as Record<string, number[]>;
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const std = (v: number[]) =>
  v.length < 2 ? 0 : Math.sqrt(v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));
console.log(`budget: ${budget}`);
console.log(
  `| model | seeds | ${metrics.join(" | ")} | ${focus} vs model, recall@20 (p t / p W) |`,
);
console.log(`|---|---|${metrics.map(() => "---:").join("|")}|---|`);
for (const model of models) {
  const mine = cells.filter((c) => c.model === model).sort((a, b) => a.seed - b.seed);
  const row = metrics.map((m) => {
    const v = mine.map((c) => c.metrics[m]);
    return `${mean(v).toFixed(4)} ± ${std(v).toFixed(4)}`;
  });
  let test = "";
  if (model !== focus) {
    const x: number[] = [], y: number[] = [];
    for (const c of mine) {
      const f = cells.find((d) => d.model === focus && d.seed === c.seed);
      if (!f) continue;
      const [a, b] = [await perUser(f), await perUser(c)];
      const at = new Map(a.users.map((u, k) => [u, a["recall@20"][k]]));
      b.users.forEach((u, k) => {
        if (!at.has(u)) return;
        x.push(at.get(u)!);
        y.push(b["recall@20"][k]);
      });
    }
    if (x.length > 1) {
      const t = pairedTTest(x, y), w = wilcoxonSignedRank(x, y);
      const diff = mean(x) - mean(y);
      test = `${diff >= 0 ? "+" : ""}${diff.toFixed(4)} (${t.p.toExponential(1)} / ${
        w.p.toExponential(1)
      }, n ${x.length})`;
    }
  }
  console.log(`| ${model} | ${mine.map((c) => c.seed).join(",")} | ${row.join(" | ")} | ${test} |`);
}
