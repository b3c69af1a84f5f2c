/**
 * `deno task bench:speed`: training speed of ComiRec-SA at the reference shape
 * (batch 128, 1,280 shared negatives, d = 64, K = 4, maxlen 20) on
 * ml-latest-small when `--data-dir` holds it (else the embedded data).
 * Prints iterations per second with the wall and process CPU time per
 * iteration (CPU counts every thread; on a shared machine it is the figure
 * that compares), peak memory, and the achieved GFLOP/s as a share of the
 * backend's own measured matmul peak.
 *
 * `--items N` grows the item table to N rows (e.g. 367982, Amazon Books in
 * REMI's runs; the extra items never occur in the data but are sampled as
 * negatives and updated by dense Adam) and trains at the data's own item count
 * too, printing the it/s ratio of the two; `--optimizer lazy-adam` trains with
 * row-wise lazy Adam instead of the default dense Adam; `--threads N` sets ONNX
 * Runtime's threads and the row pool's (dense Adam on large tables);
 * `--profile` prints where the time of a step goes, operation by operation
 * (`_profile.ts`). The script also times one optimiser step alone over a table
 * of that size (dense on 1 and N threads, lazy) and the memory bandwidth a
 * table copy reaches, the dense pass's floor.
 *
 * FLOPs counted per iteration: forward products (W1: 2BLd·4d, W2: 2BL·4d·K,
 * interests: 2BKLd, negative logits: 2BdN) times 3 for forward plus backward
 * (every product has two backward products).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { datasetSource } from "../data/datasets.ts";
import { prepareDataset } from "../data/prepare.ts";
import { deriveRng } from "../data/rng.ts";
import { splitSequential } from "../data/split.ts";
import { SEQUENTIAL_DEFAULTS } from "../models/_sequential/config.ts";
import { ComiRecSA } from "../models/comirec_sa/model.ts";
import { createEngine } from "./engine.ts";
import { Adam, THREADED_TABLE_VALUES } from "../models/engine/adam.ts";
import { EmbeddingTable } from "../models/engine/tensor.ts";
import { RowPool, sharedFloats } from "../models/_graph/row_pool.ts";
import { Rng } from "../data/rng.ts";
import { cpuMs, Profile, profileBackend, profileTraining } from "./_profile.ts";

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "data-dir": { type: "string" },
      iterations: { type: "string" },
      backend: { type: "string" },
      threads: { type: "string" },
      "no-fused": { type: "boolean" },
      items: { type: "string" },
      optimizer: { type: "string" },
      profile: { type: "boolean" },
    },
  });
  const dataDir = values["data-dir"];
  const name = dataDir ? "ml-latest-small" : "synthetic";
  const source = datasetSource(name);
  const ds = prepareDataset(await source.read(dataDir), source.prepare);
  const split = splitSequential(ds, { seed: 1 });
  const numItems = Math.max(Number(values.items ?? 0), split.train.numItems);
  const optimizer = values.optimizer ?? "adam";
  if (optimizer !== "adam" && optimizer !== "lazy-adam") {
    throw new RangeError(`--optimizer must be adam or lazy-adam, got "${optimizer}"`);
  }
  const iterations = Number(values.iterations ?? 300);
  const engine = await createEngine({
    backend: values.backend === "typescript" ? "typescript" : "onnxruntime",
    threads: Number(values.threads ?? 2),
    budget: { maxIterations: iterations, evalEvery: iterations, patience: 1 },
  });
  // --no-fused hides the backend's fused graphs: every product and function is its own call.
  const b = values["no-fused"]
    ? {
      name: engine.backend.name,
      threads: engine.backend.threads,
      gemm: engine.backend.gemm.bind(engine.backend),
      bmm: engine.backend.bmm.bind(engine.backend),
      unary: engine.backend.unary.bind(engine.backend),
    }
    : engine.backend;
  // The backend's own peak: a 1024^3 product, best of 5.
  const m = 1024, a = new Float32Array(m * m).fill(0.5);
  let best = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    b.gemm(a, a, m, m, m);
    best = Math.min(best, performance.now() - t);
  }
  const peak = 2 * m * m * m / (best / 1000) / 1e9;
  const c = { ...SEQUENTIAL_DEFAULTS, optimizer } as const;
  const [B, L, d, K, N] = [c.batchSize, 20, c.dim, c.interests, c.negativeRatio * c.batchSize];
  const forward = 2 * B * L * d * 4 * d + 2 * B * L * 4 * d * K + 2 * B * K * L * d + 2 * B * d * N;
  const flopsPerIteration = 3 * forward;
  const profile = values.profile ? new Profile() : undefined;
  const backend = profile ? profileBackend(b, profile) : b;
  // Trains at the data's own item count and, with --items, at the grown one too (same run).
  const sizes = numItems > split.train.numItems ? [split.train.numItems, numItems] : [numItems];
  const train = (items: number, profile: Profile | undefined) => {
    let peakRss = 0, cpuTotal = 0, cpuStart = 0, starts = 0;
    // The loop reads the clock before and after each step: CPU time is summed over the same spans.
    const model = new ComiRecSA(c);
    const t0 = performance.now();
    model.fit({ ...split.train, numItems: items }, {
      seed: 1,
      rng: (label) => deriveRng(1, `comirec-sa:${label}`),
      progress: () => {
        peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
      },
      backend: profile ? backend : b,
      budget: engine.budget,
      threads: engine.threads,
      clock: () => {
        if (starts++ % 2 === 0) cpuStart = cpuMs();
        else cpuTotal += cpuMs() - cpuStart;
        return performance.now();
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    const report = model.trainingReport();
    peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    const trainSeconds = report.secondsPer1000 * report.iterations / 1000;
    return { items, report, seconds, trainSeconds, cpuMs: cpuTotal, peakRss };
  };
  const runs = sizes.map((items) => {
    const restore = profile && items === numItems ? profileTraining(profile) : () => {};
    try {
      return train(items, items === numItems ? profile : undefined);
    } finally {
      restore();
    }
  });
  console.log(
    `dataset: ${name} (${ds.numUsers} users, ${ds.numItems} items${
      numItems > ds.numItems ? `; item table grown to ${numItems} rows` : ""
    })`,
  );
  console.log(`optimizer: ${optimizer}`);
  console.log(
    `backend: ${b.name}, ${b.threads} thread(s), ${
      "runGraph" in b && b.runGraph ? "fused attention block" : "no fused graphs"
    }${engine.fallback ? ` (${engine.fallback})` : ""}`,
  );
  console.log(`shape: batch ${B}, negatives ${N}, d ${d}, K ${K}, maxlen ${L}`);
  console.log(
    `FLOPs per iteration: ${(flopsPerIteration / 1e6).toFixed(1)} M (forward ${
      (forward / 1e6).toFixed(1)
    } M x 3)`,
  );
  for (const r of runs) {
    const itPerSec = 1000 / r.report.secondsPer1000;
    const achieved = flopsPerIteration * itPerSec / 1e9;
    const cpuPerIt = r.cpuMs / r.report.iterations;
    console.log(`-- item table ${r.items} x ${d}`);
    console.log(
      `iterations: ${r.report.iterations} in ${r.seconds.toFixed(2)} s (validation excluded: ${
        r.trainSeconds.toFixed(2)
      } s wall, ${(r.cpuMs / 1000).toFixed(2)} s process CPU)`,
    );
    console.log(
      `speed: ${itPerSec.toFixed(1)} iterations/s (${r.report.secondsPer1000.toFixed(2)} ms wall, ${
        cpuPerIt.toFixed(2)
      } ms CPU per iteration; ${(1000 / cpuPerIt).toFixed(1)} iterations per CPU second)`,
    );
    console.log(`peak RSS: ${(r.peakRss / 2 ** 20).toFixed(0)} MiB`);
    console.log(
      `achieved: ${achieved.toFixed(1)} GFLOP/s = ${
        (100 * achieved / peak).toFixed(1)
      }% of the backend's 1024^3 matmul peak (${peak.toFixed(1)} GFLOP/s)`,
    );
  }
  if (runs.length === 2) {
    const [small, large] = runs.map((r) => 1000 / r.report.secondsPer1000);
    console.log(
      `it/s ratio, ${numItems} items / ${split.train.numItems} items: ${
        (large / small).toFixed(2)
      } (target >= 0.5)`,
    );
  }
  if (profile) {
    const last = runs[runs.length - 1];
    console.log(`profile (item table ${last.items} rows; nested operations counted in both):`);
    for (const line of profile.lines(last.report.iterations, last.trainSeconds * 1000)) {
      console.log(line);
    }
  }
  // One optimiser step alone over the item table, dense (on 1 thread and on
  // the engine's threads) and lazy, with the rows a batch touches (B x maxlen
  // history rows + N negatives + B targets).
  const touched = B * L + N + B;
  const pool = new RowPool(engine.threads);
  const ways = [["dense", 1], ["dense", engine.threads], ["lazy", 1]] as const;
  // Adam keeps tables under THREADED_TABLE_VALUES on one thread: no 2-thread line for those.
  const threaded = engine.threads > 1 && numItems * d >= THREADED_TABLE_VALUES;
  for (const [tables, threads] of threaded ? ways : ways.filter((_, i) => i !== 1)) {
    const values = threads > 1 ? sharedFloats(numItems * d) : new Float32Array(numItems * d);
    const table = new EmbeddingTable(values.fill(0.1), numItems, d);
    const adam = new Adam([], [table], { tables, pool: threads > 1 ? pool : undefined });
    const rng = new Rng(7);
    let best = Infinity, bestCpu = Infinity;
    for (let r = 0; r < 5; r++) {
      // Step 1 gives every row a gradient, so the dense steps timed later visit them all.
      for (let i = 0; i < (r === 0 ? numItems : touched); i++) {
        const row = r === 0 ? i : rng.int(numItems);
        table.touch(row);
        table.grad[row * d] = 0.01;
      }
      const t = performance.now(), c = cpuMs();
      adam.step();
      if (r >= 2) {
        best = Math.min(best, performance.now() - t);
        bestCpu = Math.min(bestCpu, cpuMs() - c);
      }
    }
    console.log(
      `${tables} Adam step over ${numItems} x ${d} (${touched} rows touched, ${threads} thread${
        threads > 1 ? "s" : ""
      }): ${best.toFixed(1)} ms wall, ${bestCpu.toFixed(1)} ms CPU (best of 3)`,
    );
  }
  pool.close();
  // The dense pass's memory floor: it reads and writes x, m and v (24 bytes a
  // value) for every live row; a plain copy of the table shows what memory
  // moves here (best of 5).
  const src = new Float32Array(numItems * d).fill(1), dst = new Float32Array(numItems * d);
  let copyMs = Infinity;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    dst.set(src);
    copyMs = Math.min(copyMs, performance.now() - t);
  }
  const bandwidth = 2 * 4 * numItems * d / (copyMs / 1000) / 1e9;
  console.log(
    `memory: a ${(4 * numItems * d / 2 ** 20).toFixed(0)} MiB table copy moves ${
      bandwidth.toFixed(1)
    } GB/s (read + write); the dense pass moves ${
      (24 * numItems * d / 1e6).toFixed(0)
    } MB, a floor of ${(24 * numItems * d / bandwidth / 1e6).toFixed(1)} ms at that rate`,
  );
  console.log(`load average: ${Deno.loadavg().map((v) => v.toFixed(2)).join(", ")}`);
}
