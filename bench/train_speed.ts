/**
 * `deno task bench:speed`: training speed of ComiRec-SA at the reference shape
 * (batch 128, 1,280 shared negatives, d = 64, K = 4, maxlen 20) on
 * ml-latest-small when `--data-dir` holds it (else the embedded data).
 * Prints iterations per second, peak memory, and the achieved GFLOP/s as a
 * share of the backend's own measured matmul peak.
 *
 * `--items N` grows the item table to N rows (e.g. 367982, Amazon Books in
 * REMI's runs; the extra items never occur in the data but are sampled as
 * negatives and updated by dense Adam), `--optimizer lazy-adam` trains with
 * row-wise lazy Adam instead of the default dense Adam, and the script also
 * times one optimiser step alone over a table of that size, both ways.
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
import { Adam } from "../models/engine/adam.ts";
import { EmbeddingTable } from "../models/engine/tensor.ts";
import { Rng } from "../data/rng.ts";

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
  let peakRss = 0;
  const model = new ComiRecSA(c);
  const t0 = performance.now();
  model.fit({ ...split.train, numItems }, {
    seed: 1,
    rng: (label) => deriveRng(1, `comirec-sa:${label}`),
    progress: () => {
      peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
    },
    backend: b,
    budget: engine.budget,
    clock: () => performance.now(),
  });
  const seconds = (performance.now() - t0) / 1000;
  const report = model.trainingReport();
  const itPerSec = 1000 / report.secondsPer1000;
  const achieved = flopsPerIteration * itPerSec / 1e9;
  peakRss = Math.max(peakRss, Deno.memoryUsage().rss);
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
    `iterations: ${report.iterations} in ${seconds.toFixed(2)} s (validation excluded: ${
      (report.secondsPer1000 * report.iterations / 1000).toFixed(2)
    } s)`,
  );
  console.log(`speed: ${itPerSec.toFixed(1)} iterations/s`);
  console.log(`peak RSS: ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  console.log(
    `FLOPs per iteration: ${(flopsPerIteration / 1e6).toFixed(1)} M (forward ${
      (forward / 1e6).toFixed(1)
    } M x 3)`,
  );
  console.log(
    `achieved: ${achieved.toFixed(1)} GFLOP/s = ${
      (100 * achieved / peak).toFixed(1)
    }% of the backend's 1024^3 matmul peak (${peak.toFixed(1)} GFLOP/s)`,
  );
  // One optimiser step alone over the item table, both ways, with the rows a
  // batch touches (B x maxlen history rows + N negatives + B targets).
  const touched = B * L + N + B;
  for (const tables of ["dense", "lazy"] as const) {
    const table = new EmbeddingTable(new Float32Array(numItems * d).fill(0.1), numItems, d);
    const adam = new Adam([], [table], { tables });
    const rng = new Rng(7);
    let best = Infinity;
    for (let r = 0; r < 5; r++) {
      // Step 1 gives every row a gradient, so the dense steps timed later visit them all.
      for (let i = 0; i < (r === 0 ? numItems : touched); i++) {
        const row = r === 0 ? i : rng.int(numItems);
        table.touch(row);
        table.grad[row * d] = 0.01;
      }
      const t = performance.now();
      adam.step();
      if (r >= 2) best = Math.min(best, performance.now() - t);
    }
    console.log(
      `${tables} Adam step over ${numItems} x ${d} (${touched} rows touched): ${
        best.toFixed(1)
      } ms (best of 3)`,
    );
  }
  console.log(`load average: ${Deno.loadavg().map((v) => v.toFixed(2)).join(", ")}`);
}
