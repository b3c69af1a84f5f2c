/**
 * recbench's side of the LightGCN-PyTorch parity (`docs/parity.md`): trains
 * recbench's LightGCN or BPR-MF on LightGCN-PyTorch's own Gowalla split
 * (`train.txt`, `test.txt` in one folder; see `lightgcn_gowalla_train.py`)
 * for a number of epochs and, after every epoch, prints Recall@20 and NDCG@20
 * on the test users (training items removed, as their `Test` does), seconds
 * per epoch (training steps only; wall clock and CPU time of the process) and
 * peak resident memory.
 *
 * The split goes through the suite's own reader (`data/given_split.ts`) and
 * the model through the registry, seeded as `deno task bench` seeds it
 * (`deriveRng(seed, "<model>:<label>")`); the evaluation is the runner's
 * (`bench/evaluate.ts`). An epoch is `ceil(pairs / batch)` steps: for the
 * `users` sampler that is exactly one epoch of draws when every user has
 * training items (Gowalla's do), for the `pairs` sampler it runs the last
 * batch over into the next epoch.
 *
 * ```sh
 * deno run -A scripts/parity/lightgcn_recbench.ts --data CHECKOUT/data/gowalla \
 *   --model lightgcn --epochs 2 --seed 1 [--set sampler=pairs] [--backend typescript]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { loadUserItemLists, prepareGiven, splitGiven } from "../../data/given_split.ts";
import { deriveRng } from "../../data/rng.ts";
import { evaluateModel } from "../../bench/evaluate.ts";
import { createEngine } from "../../bench/engine.ts";
import { distinctUserItems } from "../../models/_graph/graph.ts";
import { MODELS } from "../../models/mod.ts";

/** The kernel's high-water mark of resident memory, MiB (`VmHWM`). */
async function peakMib(): Promise<number> {
  const status = await Deno.readTextFile("/proc/self/status");
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(status);
  if (!m) throw new Error("/proc/self/status: no VmHWM line");
  return Number(m[1]) / 1024;
}

/** CPU seconds of this process so far, all threads (`utime + stime` of `/proc/self/stat`). */
function cpuSeconds(): number {
  const stat = Deno.readTextFileSync("/proc/self/stat");
  // Fields after the parenthesised command name: state is field 3, utime 14, stime 15.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(rest[11]) + Number(rest[12])) / 100; // USER_HZ is 100 on Linux
}

function parseValue(raw: string): unknown {
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      data: { type: "string" },
      model: { type: "string", default: "lightgcn" },
      epochs: { type: "string", default: "1" },
      seed: { type: "string", default: "1" },
      backend: { type: "string", default: "onnxruntime" },
      threads: { type: "string", default: "1" },
      set: { type: "string", multiple: true },
    },
  });
  if (!values.data) throw new TypeError("--data DIR (holding train.txt and test.txt) is required");
  const spec = MODELS[values.model!];
  if (!spec) throw new RangeError(`Unknown model "${values.model}"`);
  const overrides: Record<string, unknown> = {};
  for (const s of values.set ?? []) {
    const m = /^([^=]+)=(.*)$/.exec(s);
    if (!m) throw new TypeError(`--set expects key=value, got "${s}"`);
    overrides[m[1]] = parseValue(m[2]);
  }
  const config = spec.configure(overrides) as { batchSize: number };
  const epochs = Number(values.epochs), seed = Number(values.seed);
  const engine = await createEngine({
    backend: values.backend === "typescript" ? "typescript" : "onnxruntime",
    threads: Number(values.threads),
  });
  const t0 = performance.now();
  const [train, test] = await Promise.all([
    loadUserItemLists(`${values.data}/train.txt`, { name: "train" }),
    loadUserItemLists(`${values.data}/test.txt`, { name: "test" }),
  ]);
  const split = splitGiven(prepareGiven("lightgcn-gowalla", { train, test }));
  const pairs = distinctUserItems(split.train).items.length;
  const steps = Math.ceil(pairs / config.batchSize);
  const loadSeconds = (performance.now() - t0) / 1000;
  const model = spec.create(config);
  const evaluations: Record<string, number>[] = [];
  const epochSeconds: number[] = [], epochCpu: number[] = [];
  let mark = performance.now(), markCpu = cpuSeconds();
  const t1 = performance.now();
  await model.fit(split.train, {
    seed,
    rng: (label) => deriveRng(seed, `${spec.name}:${label}`),
    progress: () => {},
    // Called after every epoch's steps: the time since the previous call's end
    // is the epoch's training; the test evaluation is timed apart.
    validate: () => {
      const e0 = performance.now();
      epochSeconds.push((e0 - mark) / 1000);
      epochCpu.push(cpuSeconds() - markCpu);
      const ev = evaluateModel(model, split.test, split.train.numItems, { cutoffs: [20] });
      const row = {
        epoch: evaluations.length + 1,
        "recall@20": ev.metrics["recall@20"],
        "ndcg@20": ev.metrics["ndcg@20"],
        seconds: Math.round((performance.now() - e0) / 100) / 10,
      };
      evaluations.push(row);
      console.log(JSON.stringify(row));
      mark = performance.now();
      markCpu = cpuSeconds();
      return row["recall@20"];
    },
    backend: engine.backend,
    budget: { maxIterations: epochs * steps, evalEvery: steps, patience: epochs + 1 },
    clock: () => performance.now(),
  });
  const report = model.trainingReport?.();
  console.log(JSON.stringify({
    side: "recbench",
    model: spec.name,
    seed,
    epochs,
    config,
    users: split.train.numUsers,
    items: split.train.numItems,
    trainingPairs: pairs,
    testUsers: split.test.queries.length,
    stepsPerEpoch: steps,
    epochsDrawn: report?.diagnostics.epochs,
    evaluations,
    loadSeconds: Math.round(loadSeconds * 10) / 10,
    secondsPerEpoch: epochSeconds.map((s) => Math.round(s * 10) / 10),
    cpuSecondsPerEpoch: epochCpu.map((s) => Math.round(s * 10) / 10),
    fitSeconds: Math.round((performance.now() - t1) / 100) / 10,
    peakRssMib: Math.round(await peakMib()),
    backend: `${engine.backend.name}, ${engine.backend.threads} thread(s)`,
    deno: Deno.version.deno,
  }));
}
