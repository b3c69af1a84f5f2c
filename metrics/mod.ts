/**
 * Scores -> numbers: exact top-k retrieval (single- and multi-interest) with
 * one tie rule, and ranking metrics that keep per-user values.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { ndcgAt, topK } from "./mod.ts";
 * const ranked = topK(Float32Array.of(0.2, 0.7, 0.5), 2); // [1, 2]
 * strictEqual(ndcgAt(ranked, new Set([1]), 2), 1);
 * ```
 *
 * @module
 */

export * from "./topk.ts";
export * from "./merge.ts";
export * from "./recall.ts";
export * from "./hit_rate.ts";
export * from "./ndcg.ts";
export * from "./precision.ts";
export * from "./mrr.ts";
export * from "./coverage.ts";
export * from "./gini.ts";
export * from "./registry.ts";
export * from "./evaluate.ts";
export * from "./variants.ts";
