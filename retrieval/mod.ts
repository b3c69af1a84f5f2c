/**
 * Retrieval from embeddings for the shared ranking path: exact through ONNX
 * Runtime (TypeScript where it cannot load; identical lists either way) and
 * approximate (usearch HNSW).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { createExactRanker } from "./mod.ts";
 * const ranker = await createExactRanker();
 * ok(ranker.name === "exact-onnxruntime" || ranker.name === "exact-typescript");
 * ```
 *
 * @module
 */
export * from "./exact.ts";
export * from "./ort_exact.ts";
export * from "./select.ts";
