/**
 * `deno task bench:cf-speed`: the three speed figures of the `cf` family, each
 * at its size and at twice the data, so the README can say how they scale.
 *
 * 1. One LightGCN epoch (3 layers, d = 64, batch 2048, the paper's preset) on
 *    ml-latest-small when `--data-dir` holds it (else the embedded synthetic
 *    dataset), `cf` split, seed 1.
 * 2. One BPR-MF epoch over one million training interactions (a synthetic
 *    dataset sized to hold them; the file-free path, so the figure needs no
 *    download), batch 2048.
 * 3. Full-ranking evaluation of every test user of (1) with the trained
 *    LightGCN: score all items, drop training items, top-50, metrics; through
 *    the model's `score()` (the default path) and through the exact ONNX
 *    Runtime ranker (`--retrieval exact`).
 *
 * 4. With `--gowalla DIR` (LightGCN-PyTorch's `data/gowalla`: `train.txt`,
 *    `test.txt`), first: LightGCN training batches on that split (the paper's
 *    preset) on 1 thread and on `--threads` threads (default 2), alternated
 *    for `--rounds` rounds (default 2) of `--batches` batches (default 5):
 *    wall and process CPU seconds per batch, with the load average
 *    (`--gowalla-only` stops there).
 *
 * "Twice the data" doubles the interactions: for (1) and (3) every user is
 * copied under a new id (same items, so users and edges double and items stay);
 * for (2) the synthetic dataset has twice the users.
 *
 * An epoch is `ceil(training pairs / batch)` steps; its time is the steps
 * alone (the training loop's own clock, no validation), and the setup (graph
 * normalisation, sampler) is printed apart.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { datasetSource } from "../data/datasets.ts";
import type { Dataset } from "../data/dataset.ts";
import { prepareDataset } from "../data/prepare.ts";
import { deriveRng } from "../data/rng.ts";
import { type Split, splitPerUser } from "../data/split.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { BprMf } from "../models/bprmf/model.ts";
import { BPRMF_DEFAULTS } from "../models/bprmf/config.ts";
import type { GraphCfModel } from "../models/_graph/base.ts";
import { LightGcn } from "../models/lightgcn/model.ts";
import { LIGHTGCN_PAPER } from "../models/lightgcn/config.ts";
import { createExactRanker } from "../retrieval/select.ts";
import { distinctUserItems } from "../models/_graph/graph.ts";
import { createEngine } from "./engine.ts";
import { evaluateModel } from "./evaluate.ts";
import type { Backend } from "../models/engine/backend.ts";
import { loadUserItemLists, prepareGiven, splitGiven } from "../data/given_split.ts";

/**
 * The dataset with every user copied once under a new raw id (`<id>#2`):
 * twice the users and interactions, the same items (preparation is not run
 * again, so no frequency filter keeps more items than the original has).
 *
 * @param ds A prepared dataset.
 * @returns The doubled dataset.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "../data/synthetic.ts";
 * import { doubleUsers } from "./cf_speed.ts";
 * const ds = generateSynthetic({ numUsers: 5, numItems: 30 });
 * const d = doubleUsers(ds);
 * ok(d.items.length === 2 * ds.items.length && d.numUsers === 10 && d.numItems === ds.numItems);
 * ```
 */
export function doubleUsers(ds: Dataset): Dataset {
  const n = ds.numUsers, m = ds.items.length;
  const userPtr = new Int32Array(2 * n + 1);
  userPtr.set(ds.userPtr);
  for (let u = 1; u <= n; u++) userPtr[n + u] = m + ds.userPtr[u];
  const twice = <T extends Int32Array | Float64Array | Float32Array>(a: T): T => {
    const out = new (a.constructor as { new (n: number): T })(2 * a.length);
    out.set(a);
    out.set(a, a.length);
    return out;
  };
  return {
    ...ds,
    numUsers: 2 * n,
    userPtr,
    items: twice(ds.items),
    times: twice(ds.times),
    ...(ds.ratings ? { ratings: twice(ds.ratings) } : {}),
    userIds: [...ds.userIds, ...ds.userIds.map((id) => `${id}#2`)],
    checksum: `${ds.checksum}-users-x2`,
  };
}

/** Timing of one epoch. */
interface EpochTiming {
  pairs: number;
  steps: number;
  stepSeconds: number;
  fitSeconds: number;
}

/** Trains `model` for exactly one epoch of `split`'s training pairs, no validation. */
function oneEpoch(
  model: GraphCfModel,
  split: Split,
  backend: Backend,
  label: string,
  threads: number,
): EpochTiming {
  const pairs = distinctUserItems(split.train).items.length;
  const steps = Math.ceil(pairs / model.config.batchSize);
  const { validation: _unused, ...rest } = split.train;
  const train = { ...rest, validation: { queries: [], targets: [] } };
  const t0 = performance.now();
  model.fit(train, {
    seed: 1,
    rng: (l) => deriveRng(1, `${label}:${l}`),
    progress: () => {},
    backend,
    budget: { maxIterations: steps, evalEvery: steps, patience: 1 },
    clock: () => performance.now(),
    threads,
  });
  const fitSeconds = (performance.now() - t0) / 1000;
  const report = model.trainingReport();
  const epochs = report.diagnostics.epochs;
  // The pair sampler runs the last batch over into the next epoch; the user
  // sampler ends a batch with its epoch (and runs a little into the next one
  // when draws of users without training pairs left its batches short).
  const off = model.config.sampler === "users"
    ? (epochs < 1 || epochs > 1 + model.config.batchSize / pairs)
    : Math.abs(epochs - steps * model.config.batchSize / pairs) > 1e-9;
  if (report.iterations !== steps || off) {
    throw new Error(`${label}: ran ${report.iterations} steps, expected ${steps}`);
  }
  return { pairs, steps, stepSeconds: report.secondsPer1000 * steps / 1000, fitSeconds };
}

/** User plus system CPU seconds of this process, all threads (workers included). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage(); // getrusage(RUSAGE_SELF), microseconds
  return (user + system) / 1e6;
}

const loadAverage = () => Deno.loadavg().map((v) => v.toFixed(1)).join(", ");

/**
 * LightGCN batches on LightGCN-PyTorch's Gowalla split, on 1 thread and on
 * `threads`, alternated; prints wall and CPU seconds per batch of each run.
 */
async function gowallaBatches(
  dir: string,
  options: { backend: Backend; threads: number; batches: number; rounds: number },
): Promise<void> {
  const [train, test] = await Promise.all([
    loadUserItemLists(`${dir}/train.txt`, { name: "train" }),
    loadUserItemLists(`${dir}/test.txt`, { name: "test" }),
  ]);
  const split = splitGiven(prepareGiven("lightgcn-gowalla", { train, test }));
  const { numUsers, numItems } = split.train;
  const pairs = distinctUserItems(split.train).items.length;
  console.log(
    `Gowalla (LightGCN-PyTorch split): ${numUsers} users, ${numItems} items, ${pairs} training pairs (${
      2 * pairs
    } non-zeros); LightGCN 3 layers, d 64, batch 2048, ${options.batches} batches per run`,
  );
  const best = new Map<number, { wall: number; cpu: number }>();
  for (let round = 0; round < options.rounds; round++) {
    for (const threads of [1, options.threads]) {
      const model = new LightGcn({ ...LIGHTGCN_PAPER });
      const { validation: _unused, ...rest } = split.train;
      const c0 = cpuSeconds(), t0 = performance.now();
      model.fit({ ...rest, validation: { queries: [], targets: [] } }, {
        seed: 1,
        rng: (l) => deriveRng(1, `lightgcn:${l}`),
        progress: () => {},
        backend: options.backend,
        budget: { maxIterations: options.batches, evalEvery: options.batches, patience: 1 },
        clock: () => performance.now(),
        threads,
      });
      const fit = (performance.now() - t0) / 1000, cpu = (cpuSeconds() - c0) / options.batches;
      const wall = model.trainingReport().secondsPer1000 / 1000;
      const b = best.get(threads);
      best.set(threads, {
        wall: Math.min(wall, b?.wall ?? wall),
        cpu: Math.min(cpu, b?.cpu ?? cpu),
      });
      console.log(
        `  ${threads} thread(s): ${wall.toFixed(3)} s per batch (wall), ${
          cpu.toFixed(3)
        } s CPU per batch (fit with setup ${fit.toFixed(1)} s; load average ${loadAverage()})`,
      );
    }
  }
  const one = best.get(1)!, many = best.get(options.threads)!;
  console.log(
    `  best of ${options.rounds}: 1 thread ${one.wall.toFixed(3)} s, ${options.threads} threads ${
      many.wall.toFixed(3)
    } s per batch (x${(one.wall / many.wall).toFixed(2)})`,
  );
}

function line(label: string, base: number, doubled: number, unit = "s"): string {
  return `${label}: ${base.toFixed(2)} ${unit} -> ${
    doubled.toFixed(2)
  } ${unit} at twice the data (x${(doubled / base).toFixed(2)})`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "data-dir": { type: "string" },
      backend: { type: "string" },
      threads: { type: "string" },
      interactions: { type: "string" },
      gowalla: { type: "string" },
      batches: { type: "string" },
      rounds: { type: "string" },
      "gowalla-only": { type: "boolean" },
    },
  });
  const engine = await createEngine({
    backend: values.backend === "typescript" ? "typescript" : "onnxruntime",
    threads: Number(values.threads ?? 2),
  });
  const backend = engine.backend;
  console.log(
    `backend: ${backend.name}, ${backend.threads} thread(s)${
      engine.fallback ? ` (${engine.fallback})` : ""
    }`,
  );
  console.log(`load average: ${loadAverage()}`);
  if (values.gowalla) {
    await gowallaBatches(values.gowalla, {
      backend,
      threads: engine.threads,
      batches: Number(values.batches ?? 5),
      rounds: Number(values.rounds ?? 2),
    });
    if (values["gowalla-only"]) Deno.exit(0);
  }
  let peakRss = 0;
  const sample = () => peakRss = Math.max(peakRss, Deno.memoryUsage().rss);

  // 1 and 3: LightGCN on ml-latest-small (or synthetic) and on its doubled copy.
  const dataDir = values["data-dir"];
  const name = dataDir ? "ml-latest-small" : "synthetic";
  const source = datasetSource(name);
  const prepared = prepareDataset(await source.read(dataDir), source.prepare);
  const gcn: { ds: Dataset; epoch: EpochTiming; score: number; exact: number; users: number }[] =
    [];
  const exact = await createExactRanker({
    backend: engine.fallback ? "typescript" : "onnxruntime",
  });
  for (const ds of [prepared, doubleUsers(prepared)]) {
    const split = splitPerUser(ds, { seed: 1 });
    const model = new LightGcn({ ...LIGHTGCN_PAPER });
    const epoch = oneEpoch(model, split, backend, "lightgcn", engine.threads);
    sample();
    const t0 = performance.now();
    const a = evaluateModel(model, split.test, ds.numItems);
    const t1 = performance.now();
    const b = evaluateModel(model, split.test, ds.numItems, { ranker: exact });
    const t2 = performance.now();
    sample();
    if (a.metrics["recall@50"] !== b.metrics["recall@50"]) {
      throw new Error("the two ranking paths disagree on Recall@50");
    }
    gcn.push({
      ds,
      epoch,
      score: (t1 - t0) / 1000,
      exact: (t2 - t1) / 1000,
      users: split.test.queries.length,
    });
  }
  for (const [k, g] of gcn.entries()) {
    console.log(
      `${
        k === 0 ? name : `${name} x2 users`
      }: ${g.ds.numUsers} users, ${g.ds.numItems} items, ${g.epoch.pairs} training pairs`,
    );
    console.log(
      `  LightGCN epoch (3 layers, d 64, batch 2048): ${g.epoch.steps} steps in ${
        g.epoch.stepSeconds.toFixed(2)
      } s (fit with setup ${g.epoch.fitSeconds.toFixed(2)} s)`,
    );
    console.log(
      `  full-ranking evaluation of ${g.users} users x ${g.ds.numItems} items, top-50: ${
        g.score.toFixed(2)
      } s (score path), ${g.exact.toFixed(2)} s (exact ONNX Runtime ranker)`,
    );
  }

  // 2: BPR-MF over one million training interactions, then two million.
  const target = Number(values.interactions ?? 1_000_000);
  const bpr: EpochTiming[] = [];
  let bprUsers = 0;
  for (const factor of [1, 2]) {
    // About 23.7 distinct training pairs per synthetic user (mean sequence 30, 80% trains).
    const numUsers = Math.ceil(factor * target / 23.7);
    const ds = generateSynthetic({ numUsers, numItems: 20_000, name: `synthetic-${numUsers}` });
    const split = splitPerUser(ds, { seed: 1 });
    const epoch = oneEpoch(
      new BprMf({ ...BPRMF_DEFAULTS }),
      split,
      backend,
      "bprmf",
      engine.threads,
    );
    sample();
    if (factor === 1) bprUsers = numUsers;
    bpr.push(epoch);
  }
  console.log(
    `BPR-MF epoch (d 64, batch 2048), synthetic ${bprUsers} users x 20000 items: ${
      bpr[0].pairs
    } training pairs, ${bpr[0].steps} steps in ${
      bpr[0].stepSeconds.toFixed(2)
    } s; twice the users: ${bpr[1].pairs} pairs in ${bpr[1].stepSeconds.toFixed(2)} s`,
  );
  console.log("scaling:");
  console.log("  " + line("LightGCN epoch", gcn[0].epoch.stepSeconds, gcn[1].epoch.stepSeconds));
  console.log("  " + line("BPR-MF epoch", bpr[0].stepSeconds, bpr[1].stepSeconds));
  console.log("  " + line("full-ranking evaluation (score path)", gcn[0].score, gcn[1].score));
  console.log("  " + line("full-ranking evaluation (exact ranker)", gcn[0].exact, gcn[1].exact));
  console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
}
