/**
 * Exact retrieval through ONNX Runtime, with the TypeScript path's answer.
 *
 * A graph built in the project (`MatMul` of the query vectors `[R, d]` with
 * the transposed item table `[d, n]`, then `TopK`) returns a wider candidate
 * list per query vector: `W = depth + (largest exclusion list in the batch) +
 * margin`. Each query's candidates are then re-scored in TypeScript with the
 * reference arithmetic (`dotFloat32`) and ranked by the shared rule (merged
 * over interests by max score, excluded items dropped, ties by lower index).
 *
 * The result is certified, not hoped for: ONNX Runtime's and TypeScript's
 * float32 sums differ from the true product by at most `gamma_d |u| |v|`
 * (`gamma_d = d u / (1 - d u)`, `u = 2^-24`), so an item outside every
 * interest's top-W scores at most `t_k + 2 gamma_d |u_k| max|v|` in
 * TypeScript, where `t_k` is the W-th ONNX Runtime score of interest k. When
 * the depth-th re-scored item beats that bound (with a factor 2 of slack) for
 * every interest, the list equals the full TypeScript scan; otherwise (ties
 * straddling the cut, NaN, too many exclusions) that query is scanned in full
 * in TypeScript and counted in `fallbacks`.
 *
 * @module
 */
import { loadOrtRuntime, type OrtRuntime, type OrtSession } from "../models/engine/ort_backend.ts";
import { encodeModel, OnnxType } from "../models/engine/onnx_proto.ts";
import type { Embeddings } from "../models/types.ts";
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
  /** Scores ONNX Runtime holds at once (rows x items). @default {33_554_432} */
  maxScoresInMemory?: number;
  /** Extra candidates per query vector beyond depth and exclusions. @default {16} */
  margin?: number;
}

function exactTopKGraph(): Uint8Array {
  const F = OnnxType.FLOAT;
  return encodeModel({
    name: "exact_topk",
    nodes: [
      { op: "MatMul", inputs: ["users", "items_t"], outputs: ["scores"] },
      {
        op: "TopK",
        inputs: ["scores", "k"],
        outputs: ["values", "indices"],
        attributes: { axis: -1, largest: 1, sorted: 1 },
      },
    ],
    inputs: [
      { name: "users", type: F, shape: ["rows", "dim"] },
      { name: "items_t", type: F, shape: ["dim", "items"] },
      { name: "k", type: OnnxType.INT64, shape: [1] },
    ],
    outputs: [
      { name: "values", type: F, shape: ["rows", "width"] },
      { name: "indices", type: OnnxType.INT64, shape: ["rows", "width"] },
    ],
  });
}

const GAMMA_UNIT = 2 ** -24;

/**
 * Exact retrieval with ONNX Runtime candidates and TypeScript re-ranking;
 * lists are identical to {@linkcode createTypeScriptRanker}'s.
 *
 * @param options Threads, batch memory, candidate margin.
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
  const session = ort.load(exactTopKGraph());
  const budget = options.maxScoresInMemory ?? 33_554_432;
  const margin = options.margin ?? 16;
  return {
    name: "exact-onnxruntime",
    rank: (e, o) => rankWithOrt(ort, session, e, o, { budget, margin }),
  };
}

function rankWithOrt(
  ort: OrtRuntime,
  session: OrtSession,
  e: Embeddings,
  o: RankOptions,
  settings: { budget: number; margin: number },
): RankResult {
  const t0 = performance.now();
  const K = o.interests, d = e.dim, depth = o.depth;
  const { queries, items: n } = embeddingShape(e, K);
  const lists: Int32Array[] = [];
  if (n === 0 || queries === 0) {
    const empty = createTypeScriptRanker().rank(e, o);
    return { lists: empty.lists, report: { ...empty.report, method: "exact-onnxruntime" } };
  }
  const itemsT = new Float32Array(d * n);
  let maxItemNorm = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = 0; p < d; p++) {
      const v = e.items[i * d + p];
      itemsT[p * n + i] = v;
      s += v * v;
    }
    if (!(s <= maxItemNorm)) maxItemNorm = s; // NaN propagates: every query falls back
  }
  maxItemNorm = Math.sqrt(maxItemNorm);
  const gamma = (d * GAMMA_UNIT) / (1 - d * GAMMA_UNIT);
  const itemsTensor = new ort.Tensor("float32", itemsT, [d, n]);
  const batch = Math.max(1, Math.floor(settings.budget / (K * n)));
  const seen = new Int32Array(n).fill(-1);
  const excluded = new Int32Array(n).fill(-1);
  const fullRow = new Float32Array(K * n);
  let fallbacks = 0;
  for (let start = 0; start < queries; start += batch) {
    const B = Math.min(batch, queries - start);
    let widest = 0;
    for (let q = 0; q < B; q++) widest = Math.max(widest, o.exclude?.[start + q]?.length ?? 0);
    const W = Math.min(n, depth + widest + settings.margin);
    const users = e.users.subarray(start * K * d, (start + B) * K * d);
    const out = session.run(
      {
        users: new ort.Tensor("float32", users, [B * K, d]),
        items_t: itemsTensor,
        k: new ort.Tensor("int64", BigInt64Array.of(BigInt(W)), [1]),
      },
      { values: null, indices: null },
      {},
    );
    const values = out.values.data as Float32Array;
    const indices = out.indices.data as BigInt64Array;
    for (let q = 0; q < B; q++) {
      const query = start + q;
      const exclude = o.exclude?.[query];
      if (exclude) { for (let j = 0; j < exclude.length; j++) excluded[exclude[j]] = query; }
      const list = certifiedList(e, {
        query,
        rowInBatch: q * K,
        K,
        W,
        n,
        depth,
        values,
        indices,
        seen,
        excluded,
        epsilonPerNorm: 4 * gamma * maxItemNorm,
      });
      if (list) lists.push(list);
      else {
        fallbacks++;
        scoreRows(e, query * K, K, fullRow);
        lists.push(rankScoredQuery(fullRow, 0, K, n, depth, exclude));
      }
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  return {
    lists,
    report: {
      method: "exact-onnxruntime",
      seconds,
      queriesPerSecond: queries / Math.max(seconds, 1e-9),
      fallbacks,
    },
  };
}

/** Re-ranks one query's candidates; null when the result cannot be certified. */
function certifiedList(
  e: Embeddings,
  c: {
    query: number;
    rowInBatch: number;
    K: number;
    W: number;
    n: number;
    depth: number;
    values: Float32Array;
    indices: BigInt64Array;
    seen: Int32Array;
    excluded: Int32Array;
    epsilonPerNorm: number;
  },
): Int32Array | null {
  const { query, K, W, n, depth, seen, excluded } = c, d = e.dim;
  const items: number[] = [];
  let bound = -Infinity;
  for (let k = 0; k < K; k++) {
    const row = (c.rowInBatch + k) * W;
    for (let w = 0; w < W; w++) {
      const item = Number(c.indices[row + w]);
      if (seen[item] === query) continue;
      seen[item] = query;
      if (excluded[item] !== query) items.push(item);
    }
    if (W < n) {
      const uo = (query * K + k) * d;
      let norm = 0;
      for (let p = 0; p < d; p++) norm += e.users[uo + p] ** 2;
      const t = c.values[row + W - 1] + c.epsilonPerNorm * Math.sqrt(norm);
      bound = t > bound || t !== t ? t : bound; // NaN stays: nothing can beat it
    }
  }
  const scores = new Float64Array(items.length);
  for (let j = 0; j < items.length; j++) {
    let best = -Infinity;
    for (let k = 0; k < K; k++) {
      const s = dotFloat32(e.users, (query * K + k) * d, e.items, items[j] * d, d);
      if (s > best) best = s; // NaN never wins: it ranks as -Infinity
    }
    scores[j] = best;
  }
  const order = Array.from(items, (_, j) => j).sort((a, b) =>
    scores[a] !== scores[b] ? (scores[a] > scores[b] ? -1 : 1) : items[a] - items[b]
  );
  const size = Math.min(depth, order.length);
  if (W < n) {
    if (size < depth) return null;
    if (size > 0 && !(scores[order[size - 1]] > bound)) return null;
  }
  const list = new Int32Array(size);
  for (let j = 0; j < size; j++) list[j] = items[order[j]];
  return list;
}
