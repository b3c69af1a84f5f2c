/**
 * The one shared ranking path: every model is scored in batches, ranked over
 * the whole item corpus by `metrics/`' exact top-K (ties: lower item index),
 * with per-query exclusions where the protocol asks, and multi-interest rows
 * merged by max score; then the metrics are computed per user.
 *
 * @module
 */
import type { EvaluationSet } from "../data/split.ts";
import {
  DEFAULT_CUTOFFS,
  scoreRankings,
  scoreReferenceVariants,
  topKMultiInterest,
} from "../metrics/mod.ts";
import type { Model } from "../models/types.ts";
import type { Ranker, RankResult, RetrievalReport } from "../retrieval/exact.ts";

/** Options of {@linkcode evaluateModel}. */
export interface EvaluateOptions {
  /** Cutoffs K. @default {[10, 20, 50]} */
  cutoffs?: readonly number[];
  /** Scores held in memory at once (queries x interests x items). @default {16_777_216} */
  maxScoresInMemory?: number;
  /** Progress callback, fraction of queries ranked. */
  progress?: (fraction: number) => void;
  /**
   * Retrieval from embeddings (`retrieval/`: exact through ONNX Runtime or
   * TypeScript, or ANN) for models that offer `embedQueries()`; others, and
   * every model when absent, are ranked from `score()`.
   */
  ranker?: Ranker;
}

/** Ranked lists and metric values of one evaluation. */
export interface Evaluation {
  /** Users evaluated, in query order. */
  users: Int32Array;
  /** Mean metrics, keys like `"recall@20"`, then catalog metrics like `"coverage@20"`. */
  metrics: Record<string, number>;
  /** Per-user values, aligned with `users`. */
  perUser: Record<string, Float64Array>;
  /** How retrieval from embeddings went, when a ranker was used. */
  retrieval?: RetrievalReport;
  /**
   * The reference code's metric variants (`metrics/variants.ts`), when the
   * set counts target events (`sequential`); never mixed into `metrics`.
   */
  variants?: Record<string, number>;
}

/**
 * Ranks the whole corpus for every query of an evaluation set and computes metrics.
 *
 * @param model A fitted model.
 * @param set Queries, targets and exclusions.
 * @param numItems Corpus size.
 * @param options Cutoffs, batch memory, progress.
 * @returns Metrics with per-user values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { evaluateModel } from "./evaluate.ts";
 * import { MostPopular } from "../models/mostpop/mod.ts";
 * import { generateSynthetic } from "../data/synthetic.ts";
 * import { splitSequential } from "../data/split.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 100, numItems: 60 }), { seed: 1 });
 * const model = new MostPopular();
 * model.fit(split.train);
 * const ev = evaluateModel(model, split.test, split.train.numItems);
 * ok(ev.metrics["recall@20"] >= 0);
 * ```
 */
export function evaluateModel(
  model: Model,
  set: EvaluationSet,
  numItems: number,
  options: EvaluateOptions = {},
): Evaluation {
  const cutoffs = [...(options.cutoffs ?? DEFAULT_CUTOFFS)];
  const depth = Math.max(...cutoffs);
  const k = model.interests;
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`Model interests must be a positive integer, got ${k}`);
  }
  const rowSize = k * numItems;
  const batch = Math.max(1, Math.floor((options.maxScoresInMemory ?? 16_777_216) / rowSize));
  if (options.ranker && model.embedQueries) {
    const { lists, report } = rankFromEmbeddings(model, set, {
      batch,
      depth,
      ranker: options.ranker,
      ...(options.progress ? { progress: options.progress } : {}),
    });
    const scores = scoreRankings(lists, set.targets, { cutoffs, numItems });
    return {
      users: Int32Array.from(set.queries, (q) => q.user),
      metrics: { ...scores.mean, ...scores.catalog },
      perUser: scores.perUser,
      retrieval: report,
      ...variantsOf(lists, set, cutoffs),
    };
  }
  // Allocated only on the score() path: at Books size it is 64 MiB the ranker path never uses.
  const buffer = new Float32Array(Math.min(batch, Math.max(1, set.queries.length)) * rowSize);
  const lists: Int32Array[] = [];
  for (let start = 0; start < set.queries.length; start += batch) {
    const queries = set.queries.slice(start, start + batch);
    const out = buffer.subarray(0, queries.length * rowSize);
    out.fill(0);
    model.score(queries, out);
    for (let q = 0; q < queries.length; q++) {
      const exclude = set.exclude?.[start + q];
      lists.push(topKMultiInterest(out, k, numItems, depth, {
        offset: q * rowSize,
        ...(exclude ? { exclude } : {}),
      }));
    }
    options.progress?.(Math.min(1, (start + queries.length) / set.queries.length));
  }
  const scores = scoreRankings(lists, set.targets, { cutoffs, numItems });
  return {
    users: Int32Array.from(set.queries, (q) => q.user),
    metrics: { ...scores.mean, ...scores.catalog },
    perUser: scores.perUser,
    ...variantsOf(lists, set, cutoffs),
  };
}

function variantsOf(
  lists: readonly Int32Array[],
  set: EvaluationSet,
  cutoffs: readonly number[],
): { variants?: Record<string, number> } {
  if (!set.targetEvents) return {};
  return { variants: scoreReferenceVariants(lists, set.targets, set.targetEvents, cutoffs) };
}

/**
 * Gathers the query embeddings in the same batches `score()` would see (so a
 * model drawing random numbers per call, like MIND, draws the same ones) and
 * ranks them all with the ranker.
 */
function rankFromEmbeddings(
  model: Model,
  set: EvaluationSet,
  o: { batch: number; depth: number; ranker: Ranker; progress?: (fraction: number) => void },
): RankResult {
  const chunks: Float32Array[] = [];
  let items: Float32Array = new Float32Array(0), dim = 1;
  for (let start = 0; start < set.queries.length; start += o.batch) {
    const e = model.embedQueries!(set.queries.slice(start, start + o.batch));
    chunks.push(e.users);
    items = e.items;
    dim = e.dim;
    o.progress?.(0.5 * Math.min(1, (start + o.batch) / set.queries.length));
  }
  const users = new Float32Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    users.set(c, at);
    at += c.length;
  }
  if (set.queries.length === 0) items = model.embedQueries!([]).items;
  const result = o.ranker.rank({ users, items, dim }, {
    interests: model.interests,
    depth: o.depth,
    ...(set.exclude ? { exclude: set.exclude } : {}),
  });
  o.progress?.(1);
  return result;
}
