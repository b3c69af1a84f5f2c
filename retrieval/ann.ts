/**
 * Approximate retrieval with usearch's inner-product HNSW index. Every
 * interest vector searches the index for `depth + exclusions + margin` items;
 * the candidates are re-scored with the reference arithmetic and merged by the
 * shared rule (max over interests, exclusions dropped, ties by lower index).
 * Each ranking also runs the exact ranker, to report ANN's recall of the exact
 * lists and both speeds.
 *
 * A ranker builds one index per item table and keeps the latest: ranking the
 * validation and then the test queries of one trained model searches the same
 * index. The table is recognised by its contents (size and a 64-bit
 * fingerprint of its bits), not by the array's identity, because models update
 * their tables in place while training.
 *
 * usearch is loaded through its CommonJS entry with `createRequire`: under
 * Deno's `node_modules` layout its ESM entry does not find its native module.
 *
 * @module
 */
import { createRequire } from "node:module";
import type { Embeddings } from "../models/types.ts";
import {
  dotFloat32,
  embeddingShape,
  type Ranker,
  type RankOptions,
  type RankResult,
} from "./exact.ts";

/** HNSW settings of {@linkcode createAnnRanker}. */
export interface AnnOptions {
  /** Graph degree M. @default {16} */
  connectivity?: number;
  /** Candidate list size while building (efConstruction). @default {128} */
  expansionAdd?: number;
  /** Candidate list size while searching (ef). @default {128} */
  expansionSearch?: number;
  /** Threads for building and searching; 1 builds the same index every run. @default {1} */
  threads?: number;
  /** Extra results per interest beyond depth and exclusions. @default {8} */
  margin?: number;
}

interface UsearchIndex {
  add(keys: BigUint64Array, vectors: Float32Array, threads?: number): void;
  search(
    vectors: Float32Array,
    k: number,
    threads?: number,
  ): { keys: BigUint64Array; counts?: BigUint64Array; k?: number };
}
interface UsearchModule {
  Index: new (config: Record<string, unknown>) => UsearchIndex;
}

/**
 * Loads usearch's native module.
 *
 * @returns The module.
 * @throws If the package or its prebuilt binary cannot load.
 */
function loadUsearch(): UsearchModule {
  const require = createRequire(import.meta.url);
  return require("usearch") as UsearchModule;
}

/**
 * A fingerprint of a table's bits: its size and two 32-bit multiplicative
 * hashes of its 32-bit words.
 */
function fingerprint(items: Float32Array, dim: number): string {
  const words = new Uint32Array(items.buffer, items.byteOffset, items.length);
  let a = 0x811c9dc5, b = 0x9747b28c;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    a = Math.imul(a ^ w, 0x01000193);
    b = Math.imul(b ^ w, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return `${items.length}x${dim}:${(a >>> 0).toString(16)}:${(b >>> 0).toString(16)}`;
}

/**
 * ANN retrieval; `rank` searches an index over the item table (built on the
 * first call for that table, reused while the table stays the same) and
 * compares with `exact`.
 *
 * @param exact The exact ranker to report recall and speed against.
 * @param options HNSW settings.
 * @returns The ranker.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { createAnnRanker } from "./ann.ts";
 * import { createTypeScriptRanker } from "./exact.ts";
 * const ann = createAnnRanker(createTypeScriptRanker());
 * const e = { users: Float32Array.of(1, 0), items: Float32Array.of(1, 0, 0, 1, 2, 0), dim: 2 };
 * const r = ann.rank(e, { interests: 1, depth: 2 });
 * ok(r.lists[0][0] === 2 && r.report.recallOfExact === 1);
 * ```
 */
export function createAnnRanker(exact: Ranker, options: AnnOptions = {}): Ranker {
  const usearch = loadUsearch();
  const settings = {
    connectivity: options.connectivity ?? 16,
    expansionAdd: options.expansionAdd ?? 128,
    expansionSearch: options.expansionSearch ?? 128,
    threads: options.threads ?? 1,
  };
  const margin = options.margin ?? 8;
  let built: { table: string; index: UsearchIndex } | undefined;
  return {
    name: "ann-usearch",
    rank(e: Embeddings, o: RankOptions): RankResult {
      const K = o.interests, d = e.dim;
      const { queries, items: n } = embeddingShape(e, K);
      const t0 = performance.now();
      const table = fingerprint(e.items, d);
      const reused = built?.table === table;
      if (!reused) {
        built = undefined; // release the previous table's index before building the next
        const index = new usearch.Index({
          metric: "ip",
          dimensions: d,
          connectivity: settings.connectivity,
          expansion_add: settings.expansionAdd,
          expansion_search: settings.expansionSearch,
        });
        if (n > 0) {
          index.add(
            BigUint64Array.from({ length: n }, (_, i) => BigInt(i)),
            e.items,
            settings.threads,
          );
        }
        built = { table, index };
      }
      const index = built!.index;
      // A reused index's look-up (the fingerprint) counts as search time.
      const t1 = reused ? t0 : performance.now();
      let widest = 0;
      for (let q = 0; q < queries; q++) widest = Math.max(widest, o.exclude?.[q]?.length ?? 0);
      const width = Math.min(n, o.depth + widest + margin);
      const raw = n > 0 && queries > 0 ? index.search(e.users, width, settings.threads) : undefined;
      // One query vector gives a single match list (no counts), several a batch.
      const found = {
        keys: raw?.keys ?? new BigUint64Array(0),
        counts: raw?.counts ?? BigUint64Array.of(BigInt(raw?.keys.length ?? 0)),
        k: raw?.k ?? raw?.keys.length ?? 0,
      };
      const lists: Int32Array[] = [];
      const seen = new Int32Array(n).fill(-1);
      for (let q = 0; q < queries; q++) {
        const exclude = o.exclude?.[q];
        if (exclude) { for (let j = 0; j < exclude.length; j++) seen[exclude[j]] = q; }
        const items: number[] = [];
        for (let k = 0; k < K; k++) {
          const row = q * K + k, count = Number(found.counts[row]);
          for (let j = 0; j < count; j++) {
            const item = Number(found.keys[row * found.k + j]);
            if (seen[item] === q) continue;
            seen[item] = q;
            items.push(item);
          }
        }
        const scores = items.map((item) => {
          let best = -Infinity;
          for (let k = 0; k < K; k++) {
            const s = dotFloat32(e.users, (q * K + k) * d, e.items, item * d, d);
            if (s > best) best = s;
          }
          return best;
        });
        const order = items.map((_, j) => j).sort((a, b) =>
          scores[a] !== scores[b] ? (scores[a] > scores[b] ? -1 : 1) : items[a] - items[b]
        );
        lists.push(Int32Array.from(order.slice(0, o.depth), (j) => items[j]));
      }
      const t2 = performance.now();
      const reference = exact.rank(e, o);
      let recall = 0;
      for (let q = 0; q < queries; q++) {
        const truth = reference.lists[q];
        if (truth.length === 0) {
          recall += 1;
          continue;
        }
        const got = new Set(lists[q]);
        let hit = 0;
        for (const item of truth) if (got.has(item)) hit++;
        recall += hit / truth.length;
      }
      const seconds = (t2 - t1) / 1000;
      return {
        lists,
        report: {
          method: "ann-usearch",
          seconds,
          queriesPerSecond: queries / Math.max(seconds, 1e-9),
          buildSeconds: reused ? 0 : (t1 - t0) / 1000,
          indexReused: reused,
          recallOfExact: queries > 0 ? recall / queries : 1,
          exact: {
            method: reference.report.method,
            seconds: reference.report.seconds,
            queriesPerSecond: reference.report.queriesPerSecond,
          },
          settings: { ...settings },
        },
      };
    },
  };
}
