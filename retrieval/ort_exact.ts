/**
 * Exact retrieval through ONNX Runtime, with the TypeScript path's answer.
 *
 * ONNX Runtime proposes candidates: for a batch of queries and one chunk of
 * the item table at a time, a graph built in the project takes the product of
 * the interest vectors `[B * K, d]` with the chunk `[c, d]` transposed, the
 * maximum over the K interests, and the `TopK` of it; the per-chunk lists are
 * merged into `W = depth + (largest exclusion list in the batch) + margin`
 * candidates per query (`_candidates.ts`). Each query's candidates are then
 * re-scored in TypeScript with the reference arithmetic (`dotFloat32`, max
 * over interests) and ranked by the shared rule (excluded items dropped, ties
 * by lower index).
 *
 * The result is certified, not hoped for: ONNX Runtime's and TypeScript's
 * float32 sums differ from the true product by at most `gamma_d |u| |v|`
 * (`gamma_d = d u / (1 - d u)`, `u = 2^-24`), so an item outside the
 * candidates scores at most `t + 2 gamma_d max_k |u_k| max|v|` in TypeScript,
 * where `t` is the W-th ONNX Runtime score. When the depth-th re-scored item
 * beats that bound (with a factor 2 of slack), the list equals the full
 * TypeScript scan. A query that cannot be certified (ties straddling the cut,
 * too many exclusions) is tried again with eight times the candidates, then
 * scanned in full in TypeScript (counted in `fallbacks`). A query whose
 * vectors are not finite or so large that a product could overflow (and so
 * every query of a table holding NaN or Infinity) goes straight to the full
 * scan, as ONNX Runtime's maximum and `TopK` would then not bound it.
 *
 * Queries are batched in order of their exclusion-list length, so one user
 * with a long history widens only its own batch's lists.
 *
 * @module
 */
import { loadOrtRuntime, type OrtRuntime, type OrtSession } from "../models/engine/ort_backend.ts";
import type { Embeddings } from "../models/types.ts";
import {
  candidateGraph,
  type Candidates,
  chunkItems,
  type ItemChunks,
  topCandidates,
} from "./_candidates.ts";
import {
  createTypeScriptRanker,
  dotFloat32,
  embeddingShape,
  type Ranker,
  type RankOptions,
  type RankResult,
  rankScoredQuery,
  scoreRows,
} from "./exact.ts";

/** Options of {@linkcode createOrtRanker}. */
export interface OrtRankerOptions {
  /** Intra-op threads. @default {2} */
  threads?: number;
  /** Scores ONNX Runtime holds at once (queries x interests x items of one chunk). @default {33_554_432} */
  maxScoresInMemory?: number;
  /** Queries per ONNX Runtime call (fewer when `maxScoresInMemory` allows less than 256 items per chunk). @default {256} */
  queriesPerBatch?: number;
  /** Extra candidates per query beyond depth and exclusions. @default {16} */
  margin?: number;
}

const GAMMA_UNIT = 2 ** -24;
/** Above this product of norms a float32 score could overflow: such queries are scanned in full. */
const SAFE_NORM_PRODUCT = 1e37;
/** A query that fails certification is tried again with this many times the candidates. */
const WIDEN = 8;

/**
 * Exact retrieval with ONNX Runtime candidates and TypeScript re-ranking;
 * lists are identical to {@linkcode createTypeScriptRanker}'s.
 *
 * @param options Threads, batch memory, batch size, candidate margin.
 * @returns The ranker.
 * @throws If `onnxruntime-node` cannot load (use the TypeScript ranker then).
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { createOrtRanker } from "./ort_exact.ts";
 * const ranker = await createOrtRanker({ threads: 1 });
 * const e = { users: Float32Array.of(1, 0), items: Float32Array.of(1, 0, 2, 0, 2, 0), dim: 2 };
 * deepStrictEqual([...ranker.rank(e, { interests: 1, depth: 2 }).lists[0]], [1, 2]);
 * ```
 */
export async function createOrtRanker(options: OrtRankerOptions = {}): Promise<Ranker> {
  const ort = await loadOrtRuntime({ threads: options.threads ?? 2 });
  const sessions = {
    single: ort.load(candidateGraph(false)),
    merged: ort.load(candidateGraph(true)),
  };
  const settings = {
    budget: options.maxScoresInMemory ?? 33_554_432,
    batch: options.queriesPerBatch ?? 256,
    margin: options.margin ?? 16,
  };
  return {
    name: "exact-onnxruntime",
    rank: (e, o) =>
      rankWithOrt(ort, o.interests > 1 ? sessions.merged : sessions.single, e, o, settings),
  };
}

/** Per-call state shared by the batches. */
interface Run {
  ort: OrtRuntime;
  session: OrtSession;
  e: Embeddings;
  o: RankOptions;
  n: number;
  chunks: ItemChunks;
  /** Largest interest-vector norm per query. */
  norms: Float64Array;
  epsilonPerNorm: number;
  excluded: Int32Array;
  lists: Int32Array[];
  seconds: { onnxruntime: number; rerank: number; fullScan: number };
}

function rankWithOrt(
  ort: OrtRuntime,
  session: OrtSession,
  e: Embeddings,
  o: RankOptions,
  settings: { budget: number; batch: number; margin: number },
): RankResult {
  const t0 = performance.now();
  const K = o.interests, d = e.dim, depth = o.depth;
  const { queries, items: n } = embeddingShape(e, K);
  if (n === 0 || queries === 0) {
    const empty = createTypeScriptRanker().rank(e, o);
    return { lists: empty.lists, report: { ...empty.report, method: "exact-onnxruntime" } };
  }
  const batch = Math.max(1, Math.min(settings.batch, Math.floor(settings.budget / (K * 256))));
  const chunk = Math.max(256, Math.floor(settings.budget / (batch * K)));
  const run: Run = {
    ort,
    session,
    e,
    o,
    n,
    chunks: chunkItems(ort, e.items, { dim: d, chunk }),
    norms: queryNorms(e, queries, K),
    epsilonPerNorm: 0,
    excluded: new Int32Array(n).fill(-1),
    lists: new Array(queries),
    seconds: { onnxruntime: 0, rerank: 0, fullScan: 0 },
  };
  const gamma = (d * GAMMA_UNIT) / (1 - d * GAMMA_UNIT);
  run.epsilonPerNorm = 4 * gamma * run.chunks.maxNorm;
  // Queries ONNX Runtime can bound, shortest exclusion list first; the rest are scanned in full.
  const excludedCount = (q: number) => o.exclude?.[q]?.length ?? 0;
  const safe: number[] = [], unsafe: number[] = [];
  for (let q = 0; q < queries; q++) {
    (run.norms[q] * run.chunks.maxNorm < SAFE_NORM_PRODUCT ? safe : unsafe).push(q);
  }
  safe.sort((a, b) => excludedCount(a) - excludedCount(b) || a - b);
  const widthOf = (group: readonly number[], factor: number) => {
    let widest = 0;
    for (const q of group) widest = Math.max(widest, excludedCount(q));
    return Math.min(n, factor * (depth + widest + settings.margin));
  };
  const retry: number[] = [];
  for (let start = 0; start < safe.length; start += batch) {
    const group = safe.slice(start, start + batch);
    retry.push(...rankBatch(run, group, widthOf(group, 1)));
  }
  let widened = 0;
  const fullScan = [...unsafe];
  for (let start = 0; start < retry.length; start += batch) {
    const group = retry.slice(start, start + batch);
    widened += group.length;
    fullScan.push(...rankBatch(run, group, widthOf(group, WIDEN)));
  }
  const t1 = performance.now();
  const fullRow = new Float32Array(K * n);
  for (const q of fullScan) {
    scoreRows(e, q * K, K, fullRow);
    run.lists[q] = rankScoredQuery(fullRow, 0, K, n, depth, o.exclude?.[q]);
  }
  run.seconds.fullScan = (performance.now() - t1) / 1000;
  const seconds = (performance.now() - t0) / 1000;
  return {
    lists: run.lists,
    report: {
      method: "exact-onnxruntime",
      seconds,
      queriesPerSecond: queries / Math.max(seconds, 1e-9),
      fallbacks: fullScan.length,
      widened,
      phases: { ...run.seconds },
    },
  };
}

/** The largest interest-vector norm of each query (NaN if any value is NaN). */
function queryNorms(e: Embeddings, queries: number, K: number): Float64Array {
  const d = e.dim, u = e.users, norms = new Float64Array(queries);
  for (let q = 0; q < queries; q++) {
    let best = 0;
    for (let k = 0; k < K; k++) {
      const at = (q * K + k) * d;
      let s = 0;
      for (let p = 0; p < d; p++) s += u[at + p] * u[at + p];
      if (s > best || s !== s) best = s; // NaN sticks
    }
    norms[q] = Math.sqrt(best);
  }
  return norms;
}

/** Ranks a batch of queries; returns those that could not be certified. */
function rankBatch(run: Run, group: readonly number[], width: number): number[] {
  const { e, o } = run, K = o.interests, d = e.dim, row = K * d;
  const users = new Float32Array(group.length * row);
  group.forEach((q, b) => users.set(e.users.subarray(q * row, (q + 1) * row), b * row));
  const c = topCandidates(run.ort, run.session, {
    users,
    queries: group.length,
    interests: K,
    dim: d,
    chunks: run.chunks,
    width,
  });
  run.seconds.onnxruntime += c.ortSeconds;
  const t0 = performance.now();
  const failed: number[] = [];
  group.forEach((q, b) => {
    const exclude = o.exclude?.[q];
    if (exclude) { for (let j = 0; j < exclude.length; j++) run.excluded[exclude[j]] = q; }
    const list = certifiedList(run, q, b, width, c);
    if (list) run.lists[q] = list;
    else failed.push(q);
  });
  run.seconds.rerank += (performance.now() - t0) / 1000;
  return failed;
}

/** Re-ranks one query's candidates; null when the result cannot be certified. */
function certifiedList(
  run: Run,
  query: number,
  slot: number,
  width: number,
  c: Candidates,
): Int32Array | null {
  const { e, n, excluded } = run, K = run.o.interests, d = e.dim, depth = run.o.depth;
  const items: number[] = [], scores: number[] = [];
  for (let w = 0; w < c.count; w++) {
    const item = c.indices[slot * width + w];
    if (excluded[item] === query) continue;
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      const s = dotFloat32(e.users, (query * K + k) * d, e.items, item * d, d);
      if (s > best) best = s; // NaN never wins: it ranks as -Infinity
    }
    items.push(item);
    scores.push(best);
  }
  const order = Array.from(items, (_, j) => j).sort((a, b) =>
    scores[a] !== scores[b] ? (scores[a] > scores[b] ? -1 : 1) : items[a] - items[b]
  );
  const size = Math.min(depth, order.length);
  if (c.count < n) {
    const bound = c.values[slot * width + c.count - 1] + run.epsilonPerNorm * run.norms[query];
    if (size < depth || !(scores[order[size - 1]] > bound)) return null;
  }
  const list = new Int32Array(size);
  for (let j = 0; j < size; j++) list[j] = items[order[j]];
  return list;
}
