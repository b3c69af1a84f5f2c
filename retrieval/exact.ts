/**
 * Exact retrieval from embeddings in plain TypeScript: the reference every
 * other retrieval path is held to. A score is the inner product of a query's
 * interest vector with an item vector, accumulated in float32 in dimension
 * order, exactly as the TypeScript backend's product computes it; the ranking
 * is `metrics/`' multi-interest top-K (score descending, ties by lower item
 * index, `NaN` as `-Infinity`, excluded items never returned).
 *
 * @module
 */
import { topKMultiInterest } from "../metrics/merge.ts";
import type { Embeddings } from "../models/types.ts";

/** What a ranking call needs besides the embeddings. */
export interface RankOptions {
  /** Interest vectors per query (K); `users` holds `Q * K * dim` values. */
  interests: number;
  /** How many items to return per query. */
  depth: number;
  /** Items never returned for query `q`, by query (absent: none). */
  exclude?: readonly (ArrayLike<number> | undefined)[];
}

/** How a retrieval went: method, speed and, for ANN, its recall of the exact lists. */
export interface RetrievalReport {
  /** `"exact-typescript"`, `"exact-onnxruntime"` or `"ann-usearch"`. */
  method: string;
  /** Wall-clock seconds of the ranking (index build excluded). */
  seconds: number;
  /** Queries ranked per second. */
  queriesPerSecond: number;
  /** Exact ONNX Runtime path: queries whose candidates could not be certified and were scanned in full. */
  fallbacks?: number;
  /** Exact ONNX Runtime path: queries that needed a second, wider candidate list. */
  widened?: number;
  /** Exact ONNX Runtime path: seconds by phase (`onnxruntime`, `rerank`, `fullScan`). */
  phases?: Record<string, number>;
  /** Why a requested method was replaced (ONNX Runtime did not load). */
  note?: string;
  /** ANN: seconds to build the index (0 when an index built by an earlier call was reused). */
  buildSeconds?: number;
  /** ANN: whether the index of an earlier call over the same item table was searched. */
  indexReused?: boolean;
  /** ANN: mean fraction of the exact top-`depth` list the ANN list holds. */
  recallOfExact?: number;
  /** ANN: seconds and speed of the exact ranking it was compared with. */
  exact?: { method: string; seconds: number; queriesPerSecond: number };
  /** ANN: index settings. */
  settings?: Record<string, number>;
}

/** Ranked lists and a report. */
export interface RankResult {
  /** One list per query, best first. */
  lists: Int32Array[];
  /** Method and speed. */
  report: RetrievalReport;
}

/** A retrieval method over embeddings. */
export interface Ranker {
  /** Method name, as in {@linkcode RetrievalReport.method}. */
  readonly name: string;
  /**
   * Ranks the whole item table for every query.
   *
   * @param embeddings Query interest vectors and the item table.
   * @param options Interests, depth, exclusions.
   * @returns Lists and report.
   */
  rank(embeddings: Embeddings, options: RankOptions): RankResult;
}

/**
 * Checks the sizes of embeddings against `interests`.
 *
 * @param e Embeddings.
 * @param interests K.
 * @returns Queries Q and items n.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { embeddingShape } from "./exact.ts";
 * const s = embeddingShape({ users: new Float32Array(8), items: new Float32Array(6), dim: 2 }, 2);
 * ok(s.queries === 2 && s.items === 3);
 * ```
 */
export function embeddingShape(
  e: Embeddings,
  interests: number,
): { queries: number; items: number } {
  const d = e.dim;
  if (!Number.isInteger(d) || d < 1) {
    throw new TypeError(`Embedding dim must be a positive integer, got ${d}`);
  }
  if (!Number.isInteger(interests) || interests < 1) {
    throw new RangeError(`interests must be a positive integer, got ${interests}`);
  }
  if (e.items.length % d !== 0) {
    throw new TypeError(`Item table of ${e.items.length} values is not [n, ${d}]`);
  }
  if (e.users.length % (interests * d) !== 0) {
    throw new TypeError(
      `Query vectors of ${e.users.length} values are not [Q, ${interests}, ${d}]`,
    );
  }
  return { queries: e.users.length / (interests * d), items: e.items.length / d };
}

/**
 * One score: `a[ao..ao+d) . b[bo..bo+d)` accumulated in float32 in dimension
 * order, skipping zero query values (the TypeScript backend's arithmetic, so
 * results are bit-identical to its product).
 *
 * @param a Query vectors.
 * @param ao Offset of the query vector.
 * @param b Item vectors.
 * @param bo Offset of the item vector.
 * @param d Dimension.
 * @returns The score (a float32 value).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { dotFloat32 } from "./exact.ts";
 * ok(dotFloat32(Float32Array.of(1, 2), 0, Float32Array.of(3, 4), 0, 2) === 11);
 * ```
 */
export function dotFloat32(
  a: Float32Array,
  ao: number,
  b: Float32Array,
  bo: number,
  d: number,
): number {
  let s = 0;
  for (let p = 0; p < d; p++) {
    const x = a[ao + p];
    if (x !== 0) s = Math.fround(s + x * b[bo + p]);
  }
  return s;
}

/**
 * Scores `rows` consecutive query vectors from row `first` against every item
 * into `out[r * n + i]`, with {@linkcode dotFloat32}.
 *
 * @param e Embeddings.
 * @param first First query-vector row (query q, interest k is row `q * K + k`).
 * @param rows Rows to score.
 * @param out Destination, at least `rows * n`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { scoreRows } from "./exact.ts";
 * const out = new Float32Array(2);
 * scoreRows({ users: Float32Array.of(1, 2), items: Float32Array.of(1, 0, 0, 1), dim: 2 }, 0, 1, out);
 * deepStrictEqual([...out], [1, 2]);
 * ```
 */
export function scoreRows(e: Embeddings, first: number, rows: number, out: Float32Array): void {
  const d = e.dim, n = e.items.length / d, u = e.users, v = e.items;
  for (let r = 0; r < rows; r++) {
    const uo = (first + r) * d, o = r * n;
    for (let i = 0; i < n; i++) out[o + i] = dotFloat32(u, uo, v, i * d, d);
  }
}

/** Options of {@linkcode createTypeScriptRanker}. */
export interface TypeScriptRankerOptions {
  /** Scores held at once (rows x items). @default {16_777_216} */
  maxScoresInMemory?: number;
}

/**
 * Exact retrieval in plain TypeScript: full score rows in batches, then the
 * shared multi-interest top-K.
 *
 * @param options Batch memory.
 * @returns The ranker.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { createTypeScriptRanker } from "./exact.ts";
 * const e = { users: Float32Array.of(1, 0), items: Float32Array.of(1, 0, 2, 0, 2, 0), dim: 2 };
 * const { lists } = createTypeScriptRanker().rank(e, { interests: 1, depth: 2 });
 * deepStrictEqual([...lists[0]], [1, 2]); // items 1 and 2 tie: lower index first
 * ```
 */
export function createTypeScriptRanker(options: TypeScriptRankerOptions = {}): Ranker {
  const budget = options.maxScoresInMemory ?? 16_777_216;
  return {
    name: "exact-typescript",
    rank(e: Embeddings, o: RankOptions): RankResult {
      const t0 = performance.now();
      const K = o.interests;
      const { queries, items: n } = embeddingShape(e, K);
      const batch = Math.max(1, Math.floor(budget / Math.max(1, K * n)));
      const out = new Float32Array(Math.min(batch, Math.max(1, queries)) * K * n);
      const lists: Int32Array[] = [];
      for (let start = 0; start < queries; start += batch) {
        const B = Math.min(batch, queries - start);
        scoreRows(e, start * K, B * K, out);
        for (let q = 0; q < B; q++) {
          lists.push(rankScoredQuery(out, q * K * n, K, n, o.depth, o.exclude?.[start + q]));
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      return {
        lists,
        report: {
          method: "exact-typescript",
          seconds,
          queriesPerSecond: queries / Math.max(seconds, 1e-9),
        },
      };
    },
  };
}

/**
 * The shared multi-interest top-K of one query's score rows.
 *
 * @param scores Scores.
 * @param offset Start of the query's K rows.
 * @param K Interests.
 * @param n Items.
 * @param depth How many to return.
 * @param exclude Items never returned.
 * @returns The list.
 */
export function rankScoredQuery(
  scores: Float32Array,
  offset: number,
  K: number,
  n: number,
  depth: number,
  exclude: ArrayLike<number> | undefined,
): Int32Array {
  return topKMultiInterest(scores, K, n, depth, { offset, ...(exclude ? { exclude } : {}) });
}
