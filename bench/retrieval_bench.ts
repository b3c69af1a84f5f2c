/**
 * `deno task bench:retrieval`: full-corpus top-50 at Amazon Books scale on
 * synthetic clustered vectors (367,982 items, d = 64, 10,000 users with
 * `--interests` 4 vectors each by default): exact through ONNX Runtime (wall
 * and CPU seconds, time by phase, the load average before and after), the
 * plain TypeScript path on a subset (its lists checked equal to ONNX
 * Runtime's, its time extrapolated), and usearch HNSW with its recall of the
 * exact lists (then a second search that reuses the index), and the ONNX
 * export of the tables (`encodeModel`, checked by loading it back). Prints
 * times, queries per second, resident memory sampled after each phase and
 * the kernel's peak (VmHWM, with `--allow-run=cat`).
 *
 * @module
 */
import process from "node:process";
import { parseArgs } from "node:util";
import { Rng } from "../data/rng.ts";
import { createAnnRanker } from "../retrieval/ann.ts";
import { createTypeScriptRanker, type RetrievalReport } from "../retrieval/exact.ts";
import { createOrtRanker } from "../retrieval/ort_exact.ts";
import { encodeModel } from "../models/engine/onnx_proto.ts";
import { loadOrtRuntime } from "../models/engine/ort_backend.ts";
import { userTableGraph } from "../models/export/encoders.ts";
import type { Embeddings } from "../models/types.ts";
import { kernelPeakRssMiB } from "./memory.ts";

/** Options of {@linkcode clusteredVectors}. */
export interface ClusteredOptions {
  /** Items. */
  items: number;
  /** Query vectors. */
  users: number;
  /** Dimension. */
  dim: number;
  /** Cluster centres. @default {1000} */
  clusters?: number;
  /** Spread around a centre (centres are unit normal). @default {0.5} */
  spread?: number;
  /** Seed. @default {1} */
  seed?: number;
}

/**
 * Items and users drawn around shared cluster centres (a user near one
 * centre, its items near the same one), so top-K lists have structure.
 *
 * @param o Sizes and shape.
 * @returns Embeddings.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { clusteredVectors } from "./retrieval_bench.ts";
 * const e = clusteredVectors({ items: 10, users: 2, dim: 4 });
 * ok(e.items.length === 40 && e.users.length === 8);
 * ```
 */
export function clusteredVectors(o: ClusteredOptions): Embeddings {
  const rng = new Rng(o.seed ?? 1);
  const C = o.clusters ?? 1000, d = o.dim, spread = o.spread ?? 0.5;
  const centres = Float32Array.from({ length: C * d }, () => rng.normal());
  const draw = (count: number) => {
    const out = new Float32Array(count * d);
    for (let i = 0; i < count; i++) {
      const c = Math.floor(rng.float() * C);
      for (let p = 0; p < d; p++) out[i * d + p] = centres[c * d + p] + spread * rng.normal();
    }
    return out;
  };
  const items = draw(o.items);
  return { items, users: draw(o.users), dim: d };
}

function mib(): number {
  return Deno.memoryUsage().rss / 2 ** 20;
}

function line(label: string, r: RetrievalReport, extra = ""): string {
  return `${label}: ${r.seconds.toFixed(2)} s, ${r.queriesPerSecond.toFixed(0)} queries/s${extra}`;
}

function load(): string {
  return Deno.loadavg().map((x) => x.toFixed(2)).join(", ");
}

/** CPU seconds of the whole process (all threads) since `from`. */
function cpuSeconds(from?: ReturnType<typeof process.cpuUsage>): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      items: { type: "string", default: "367982" },
      users: { type: "string", default: "10000" },
      interests: { type: "string", default: "4" },
      "queries-per-batch": { type: "string" },
      "max-scores": { type: "string" },
      dim: { type: "string", default: "64" },
      depth: { type: "string", default: "50" },
      "ts-users": { type: "string", default: "50" },
      threads: { type: "string", default: "2" },
      connectivity: { type: "string", default: "16" },
      "expansion-add": { type: "string", default: "128" },
      "expansion-search": { type: "string", default: "128" },
      "no-ann": { type: "boolean" },
      "no-export": { type: "boolean" },
    },
  });
  const n = Number(values.items), Q = Number(values.users), d = Number(values.dim);
  const K = Number(values.interests);
  const depth = Number(values.depth), threads = Number(values.threads);
  let peak = mib();
  const sample = () => peak = Math.max(peak, mib());
  let t = performance.now();
  const e = clusteredVectors({ items: n, users: Q * K, dim: d });
  sample();
  console.log(
    `${n} items, ${Q} users x ${K} interests, d=${d}, top-${depth}, ${threads} threads; vectors made in ${
      ((performance.now() - t) / 1000).toFixed(1)
    } s; RSS ${mib().toFixed(0)} MiB`,
  );
  const ort = await createOrtRanker({
    threads,
    ...(values["queries-per-batch"]
      ? { queriesPerBatch: Number(values["queries-per-batch"]) }
      : {}),
    ...(values["max-scores"] ? { maxScoresInMemory: Number(values["max-scores"]) } : {}),
  });
  const loadBefore = load(), cpu0 = process.cpuUsage();
  const exact = ort.rank(e, { interests: K, depth });
  const cpu = cpuSeconds(cpu0);
  sample();
  const phases = Object.entries(exact.report.phases ?? {})
    .map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(", ");
  console.log(
    line(
      `exact, ONNX Runtime (Gemm + max over interests + TopK per item chunk, certified re-rank)`,
      exact.report,
    ) +
      `; CPU ${cpu.toFixed(1)} s (${
        (cpu / exact.report.seconds).toFixed(2)
      } cores busy on average); ` +
      `phases (wall): ${phases}; widened lists ${exact.report.widened}, full-scan fallbacks ${exact.report.fallbacks}; ` +
      `load average before ${loadBefore}, after ${load()}; peak RSS so far ${peak.toFixed(0)} MiB`,
  );
  console.log(
    `  on ${threads} idle cores, if they stayed busy: about ${
      (cpu / threads).toFixed(1)
    } s (CPU seconds / ${threads})`,
  );
  const m = Math.min(Q, Number(values["ts-users"]));
  const subset: Embeddings = { ...e, users: e.users.subarray(0, m * K * d) };
  const ts = createTypeScriptRanker().rank(subset, { interests: K, depth });
  sample();
  const same = ts.lists.every((l, q) =>
    l.length === exact.lists[q].length && l.every((v, j) => v === exact.lists[q][j])
  );
  const tsAll = ts.report.seconds / m * Q;
  console.log(
    line(`exact, plain TypeScript (brute force) on the first ${m} users`, ts.report) +
      `; extrapolated to ${Q} users ${tsAll.toFixed(0)} s; ONNX Runtime is ${
        (tsAll / exact.report.seconds).toFixed(1)
      }x faster; identical lists: ${same}`,
  );
  if (!same) {
    throw new Error("retrieval_bench.ts: the ONNX Runtime lists differ from the brute-force ones");
  }
  if (!values["no-ann"]) {
    const settings = {
      connectivity: Number(values.connectivity),
      expansionAdd: Number(values["expansion-add"]),
      expansionSearch: Number(values["expansion-search"]),
      threads,
    };
    // Compare against the exact lists already computed rather than ranking again.
    const known = { name: "exact-onnxruntime", rank: () => exact };
    const ranker = createAnnRanker(known, settings);
    const ann = ranker.rank(e, { interests: K, depth });
    sample();
    console.log(
      line(`ANN, usearch HNSW ${JSON.stringify(settings)}`, ann.report) +
        `; build ${ann.report.buildSeconds!.toFixed(1)} s; recall of exact top-${depth} ${
          ann.report.recallOfExact!.toFixed(4)
        }`,
    );
    const again = ranker.rank(e, { interests: K, depth });
    sample();
    console.log(
      line("ANN again on the same item table", again.report) +
        `; index reused: ${again.report.indexReused}, build ${
          again.report.buildSeconds!.toFixed(1)
        } s; same lists: ${again.lists.every((l, q) => l.join() === ann.lists[q].join())}`,
    );
  }
  if (!values["no-export"]) {
    console.log(`peak RSS of the retrieval phases: ${peak.toFixed(0)} MiB`);
    t = performance.now();
    const graph = userTableGraph(e, { maxlen: 0, interests: 1, dim: d });
    const bytes = encodeModel(graph);
    const seconds = (performance.now() - t) / 1000;
    sample();
    const ort = await loadOrtRuntime({ threads });
    const user = new ort.Tensor("int64", BigInt64Array.of(0n), [1]);
    const back = ort.load(bytes).run({ user }, { item_embeddings: null }, {}).item_embeddings
      .data as Float32Array;
    sample();
    const exactTable = back.length === e.items.length &&
      back.every((v, i) => Object.is(v, e.items[i]));
    console.log(
      `ONNX export (encodeModel: ${n} x ${d} item table + ${Q * K} x ${d} user table): ${
        (bytes.length / 2 ** 20).toFixed(1)
      } MiB in ${
        seconds.toFixed(2)
      } s; ONNX Runtime returns the item table bit for bit: ${exactTable}; RSS ${
        mib().toFixed(0)
      } MiB`,
    );
  }
  console.log(
    `peak RSS (sampled after each phase): ${peak.toFixed(0)} MiB; kernel high-water mark (VmHWM): ${
      (await kernelPeakRssMiB()).toFixed(0)
    } MiB`,
  );
}
