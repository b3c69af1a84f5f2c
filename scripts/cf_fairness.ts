/**
 * The spread of a metric across interest-diversity bins for two `cf` models
 * of one bench run, per seed, and the significance of the spread difference:
 *
 * - a paired t-test over seeds of the per-seed spreads (few degrees of freedom);
 * - a paired bootstrap over test users: in each replicate every seed's test
 *   users are drawn with replacement (the same draw for both models, each
 *   user keeping its bin), the spread difference is averaged over seeds; the
 *   two-sided p is twice the smaller tail share on either side of 0.
 *
 * The bins are recomputed from the seed's split as the bench does
 * (`diversityFairness`: entropy of the training items' genres, 5 quantile
 * bins), with `--weighting genre` (the paper's measure, default) or `item`
 * (recbench's former one); the script first checks that, with the weighting
 * stored in the result, its per-seed spread equals the one in
 * `results.json`, so a changed split or measure cannot go unnoticed.
 *
 * ```sh
 * deno run --allow-read --allow-env --allow-sys --allow-ffi scripts/cf_fairness.ts out/fair \
 *   --dataset ml-latest-small --data-dir ../shared/datasets --models lightgcn,mifair
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadDataset } from "../data/load.ts";
import { Rng } from "../data/rng.ts";
import { type Split, splitPerUser } from "../data/split.ts";
import { labelEntropy, type LabelWeighting } from "../metrics/diversity.ts";
import { diversityLabels } from "../metrics/diversity_fairness.ts";
import { binSpread, quantileBins } from "../metrics/fairness.ts";
import { readPerUser } from "../bench/per_user.ts";
import { readResults } from "../bench/results.ts";
import { pairedTTest } from "../reports/significance.ts";

const { values: args, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: Object.fromEntries(
    ["dataset", "data-dir", "models", "metric", "replicates", "bins", "weighting"].map((k) => [k, {
      type: "string" as const,
    }]),
  ),
});
const dir = positionals[0] ?? "";
if (!dir || !args.dataset || !args.models) {
  throw new TypeError(
    "usage: cf_fairness.ts RESULTS_DIR --dataset NAME [--data-dir DIR] --models A,B [--metric recall@20] [--replicates 2000]",
  );
}
const [modelA, modelB] = args.models.split(",");
const metric = args.metric ?? "recall@20";
const replicates = Number(args.replicates ?? 2000);
const bins = Number(args.bins ?? 5);
const weighting = (args.weighting ?? "genre") as LabelWeighting;
if (weighting !== "genre" && weighting !== "item") {
  throw new RangeError(`--weighting must be genre or item, got "${weighting}"`);
}
/** Each test user's diversity bin under a weighting. */
function binsOf(train: Split["train"], users: ArrayLike<number>, w: LabelWeighting): Int32Array {
  const { labels } = diversityLabels(train);
  const all = labelEntropy(train.userPtr, train.items, labels, { weighting: w });
  return quantileBins(Float64Array.from(users, (u) => all[u]), bins);
}
const file = await readResults(`${dir}/results.json`);
const { dataset } = await loadDataset(args.dataset, {
  ...(args["data-dir"] ? { dataDir: args["data-dir"] } : {}),
});
const seeds = [...new Set(file.results.map((r) => r.seed))].sort((a, b) => a - b);

interface SeedData {
  seed: number;
  binOf: Int32Array;
  a: Float64Array;
  b: Float64Array;
  spreadA: number;
  spreadB: number;
}
const perSeed: SeedData[] = [];
for (const seed of seeds) {
  const split = splitPerUser(dataset, { seed, order: "random" });
  const values: Record<string, { users: number[]; v: number[] }> = {};
  for (const model of [modelA, modelB]) {
    const r = file.results.find((x) =>
      x.seed === seed && x.model === model && x.dataset === args.dataset && x.protocol === "cf"
    );
    if (!r || r.state !== "completed" || !r.perUser) {
      throw new RangeError(
        `No completed cf result with per-user values for ${model}, seed ${seed}`,
      );
    }
    const pu = await readPerUser(dir, r.perUser);
    values[model] = { users: pu.users, v: pu.metrics[metric] };
    const fairness = (r as {
      fairness?: { weighting?: LabelWeighting; metrics: Record<string, { std: number }> };
    }).fairness;
    const stored = fairness?.metrics[metric]?.std;
    // Results from before the weighting was recorded used the per-item (1/m) one.
    const binOf = binsOf(split.train, pu.users, fairness?.weighting ?? "item");
    const mine = binSpread(pu.metrics[metric], binOf, bins).std;
    if (stored === undefined || Math.abs(mine - stored) > 1e-12) {
      throw new Error(`${model} seed ${seed}: recomputed spread ${mine}, results.json ${stored}`);
    }
  }
  const ua = values[modelA].users, ub = values[modelB].users;
  if (ua.join() !== ub.join()) throw new Error(`seed ${seed}: the two models' test users differ`);
  const binOf = binsOf(split.train, ua, weighting);
  const a = Float64Array.from(values[modelA].v), b = Float64Array.from(values[modelB].v);
  perSeed.push({
    seed,
    binOf,
    a,
    b,
    spreadA: binSpread(a, binOf, bins).std,
    spreadB: binSpread(b, binOf, bins).std,
  });
}

const mean = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0) / xs.length;
const rng = new Rng(20251201);
const diffs = new Float64Array(replicates);
for (let r = 0; r < replicates; r++) {
  let sum = 0;
  for (const s of perSeed) {
    const n = s.a.length, ra = new Float64Array(n), rb = new Float64Array(n);
    const rbin = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const u = rng.int(n);
      [ra[k], rb[k], rbin[k]] = [s.a[u], s.b[u], s.binOf[u]];
    }
    sum += binSpread(rb, rbin, bins).std - binSpread(ra, rbin, bins).std;
  }
  diffs[r] = sum / perSeed.length;
}
const sorted = Float64Array.from(diffs).sort();
const below = diffs.filter((d) => d <= 0).length / replicates;
const above = diffs.filter((d) => d >= 0).length / replicates;
const t = pairedTTest(perSeed.map((s) => s.spreadB), perSeed.map((s) => s.spreadA));
const f4 = (x: number) => x.toFixed(4);
console.log(
  `| seed | ${modelA} ${metric} | ${modelB} ${metric} | ${modelA} spread | ${modelB} spread | difference |`,
);
console.log("| ---: | ---: | ---: | ---: | ---: | ---: |");
for (const s of perSeed) {
  console.log(
    `| ${s.seed} | ${f4(mean(s.a))} | ${f4(mean(s.b))} | ${f4(s.spreadA)} | ${f4(s.spreadB)} | ${
      f4(s.spreadB - s.spreadA)
    } |`,
  );
}
const ma = mean(perSeed.map((s) => s.spreadA)), mb = mean(perSeed.map((s) => s.spreadB));
console.log(
  `| mean | ${f4(mean(perSeed.map((s) => mean(s.a))))} | ${
    f4(mean(perSeed.map((s) => mean(s.b))))
  } | ${f4(ma)} | ${f4(mb)} | ${f4(mb - ma)} |`,
);
console.log("");
console.log(`diversity: training items' genre entropy, weighting "${weighting}", ${bins} bins`);
console.log(
  `paired t-test over ${perSeed.length} seeds (${modelB} - ${modelA} spread): t = ${
    t.statistic.toFixed(3)
  }, p = ${t.p.toFixed(4)}`,
);
console.log(
  `paired user bootstrap (${replicates} replicates, mean over seeds): 95% interval [${
    f4(sorted[Math.floor(0.025 * replicates)])
  }, ${f4(sorted[Math.floor(0.975 * replicates)])}], two-sided p = ${
    Math.min(1, 2 * Math.min(below, above)).toFixed(4)
  }`,
);
console.log("per-bin means (lowest diversity first):");
for (const s of perSeed) {
  const pa = binSpread(s.a, s.binOf, bins).perBin.map(f4).join(", ");
  const pb = binSpread(s.b, s.binOf, bins).perBin.map(f4).join(", ");
  console.log(`  seed ${s.seed}: ${modelA} [${pa}]; ${modelB} [${pb}]`);
}
