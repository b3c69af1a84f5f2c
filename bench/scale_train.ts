/**
 * `deno task bench:scale-train`: memory of training at Amazon Books size.
 * Generates (or, with `--dir DIR`, reuses) `data:scale`'s Books-sized ratings
 * file (8,898,041 interactions, 603,668 users, 367,982 items), loads and
 * splits it as a run does (sequential protocol, maxlen 20), trains ComiRec-SA
 * with the engine's backend for `--iterations` (default 300) iterations with a
 * validation every `--validate-every` (default 150) through the exact ranker
 * on the first `--validation-users` (default 5,000; 0 means all of them)
 * validation users, then prints the kernel's peak resident memory (VmHWM,
 * read at the end, not sampled) with RSS after each phase, iterations per
 * second, validation seconds and the load average.
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { loadDataset } from "../data/load.ts";
import { deriveRng } from "../data/rng.ts";
import { type EvaluationSet, splitSequential } from "../data/split.ts";
import { SEQUENTIAL_DEFAULTS } from "../models/_sequential/config.ts";
import { referenceModelSettings } from "../models/_sequential/dataset_settings.ts";
import { ComiRecSA } from "../models/comirec_sa/model.ts";
import { createExactRanker } from "../retrieval/select.ts";
import { BOOKS, writeScaleFile } from "./data_scale.ts";
import { createEngine } from "./engine.ts";
import { evaluateModel } from "./evaluate.ts";
import { kernelPeakRssMiB } from "./memory.ts";

/**
 * The first `count` queries of an evaluation set, with their targets,
 * exclusions and target events.
 *
 * @param set The set.
 * @param count How many queries to keep (all when 0 or more than there are).
 * @returns The smaller set.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { firstQueries } from "./scale_train.ts";
 * const set = { queries: [{ user: 0, history: Int32Array.of(1) }, { user: 1, history: Int32Array.of(2) }], targets: [new Set([3]), new Set([4])] };
 * ok(firstQueries(set, 1).queries.length === 1);
 * ```
 */
export function firstQueries(set: EvaluationSet, count: number): EvaluationSet {
  if (count <= 0 || count >= set.queries.length) return set;
  return {
    queries: set.queries.slice(0, count),
    targets: set.targets.slice(0, count),
    ...(set.exclude ? { exclude: set.exclude.slice(0, count) } : {}),
    ...(set.targetEvents ? { targetEvents: set.targetEvents.slice(0, count) } : {}),
  };
}

function rssMiB(): string {
  const m = Deno.memoryUsage(), f = (x: number) => (x / 2 ** 20).toFixed(0);
  return `${f(m.rss)} MiB (JS heap ${f(m.heapUsed)}, array buffers and other external ${
    f(m.external)
  })`;
}

function seconds(since: number): string {
  return ((performance.now() - since) / 1000).toFixed(1);
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      dir: { type: "string" },
      iterations: { type: "string", default: "300" },
      "validate-every": { type: "string", default: "150" },
      "validation-users": { type: "string", default: "5000" },
      threads: { type: "string", default: "2" },
    },
  });
  const iterations = Number(values.iterations), every = Number(values["validate-every"]);
  const threads = Number(values.threads);
  console.log(`load average at start: ${Deno.loadavg().map((x) => x.toFixed(2)).join(", ")}`);
  const dir = values.dir ?? await Deno.makeTempDir({ prefix: "recbench-scale-train-" });
  try {
    const folder = `${dir}/amazon-books`, csv = `${folder}/ratings_Books.csv`;
    let t = performance.now();
    const exists = await Deno.stat(csv).then(() => true, () => false);
    if (!exists) {
      await Deno.mkdir(folder, { recursive: true });
      await writeScaleFile(csv, BOOKS);
      console.log(`generated ${csv} in ${seconds(t)} s`);
    }
    t = performance.now();
    const loaded = await loadDataset("amazon-books", { dataDir: dir, cacheDir: `${dir}/cache` });
    const ds = loaded.dataset;
    const split = splitSequential(ds, { seed: 1, maxlen: 20 });
    console.log(
      `loaded (cache ${loaded.cache}) and split in ${seconds(t)} s: ${ds.numUsers} users, ` +
        `${ds.numItems} items, ${ds.items.length} interactions; ${split.train.trainUsers.length} ` +
        `training users, ${split.train.validation.queries.length} validation users; RSS ${rssMiB()}`,
    );
    const validation = firstQueries(
      split.train.validation,
      Number(values["validation-users"]),
    );
    const engine = await createEngine({
      threads,
      budget: { maxIterations: iterations, evalEvery: every, patience: 1000 },
    });
    const ranker = await createExactRanker({ threads });
    const config = {
      ...SEQUENTIAL_DEFAULTS,
      ...referenceModelSettings("amazon-books", SEQUENTIAL_DEFAULTS),
    };
    const model = new ComiRecSA(config);
    const validations: string[] = [];
    const cpu0 = process.cpuUsage();
    t = performance.now();
    await model.fit(split.train, {
      seed: 1,
      rng: (label) => deriveRng(1, `comirec-sa:${label}`),
      progress: () => {},
      validate: () => {
        const tv = performance.now(), cv = process.cpuUsage();
        const ev = evaluateModel(model, validation, ds.numItems, { cutoffs: [50], ranker });
        const r = ev.retrieval!, c = process.cpuUsage(cv);
        validations.push(
          `${validation.queries.length} users in ${seconds(tv)} s, CPU ${
            ((c.user + c.system) / 1e6).toFixed(1)
          } s (${r.method}, ranking ${r.seconds.toFixed(1)} s, widened ${
            r.widened ?? 0
          }, full scans ${r.fallbacks ?? 0}; RSS ${rssMiB()})`,
        );
        return ev.metrics["recall@50"];
      },
      backend: engine.backend,
      budget: engine.budget,
      threads,
      clock: () => performance.now(),
    });
    const u = process.cpuUsage(cpu0);
    const report = model.trainingReport();
    console.log(
      `ComiRec-SA (backend ${engine.backend.name}, ${threads} threads): ${report.iterations} ` +
        `iterations in ${seconds(t)} s with validations (${
          (1000 / report.secondsPer1000).toFixed(1)
        } it/s training alone), CPU ${((u.user + u.system) / 1e6).toFixed(1)} s; RSS ${rssMiB()}`,
    );
    for (const v of validations) console.log(`  validation: ${v}`);
    console.log(`load average at the end: ${Deno.loadavg().map((x) => x.toFixed(2)).join(", ")}`);
    console.log(`peak RSS (VmHWM): ${(await kernelPeakRssMiB()).toFixed(0)} MiB`);
  } finally {
    if (!values.dir) await Deno.remove(dir, { recursive: true });
  }
}
