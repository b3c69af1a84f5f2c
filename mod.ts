/**
 * recbench: a reproducible benchmark suite for recommender candidate matching.
 *
 * The pipeline, in the order data flows: `data/` (raw files -> interactions),
 * `models/` (interactions -> scores), `metrics/` (scores -> numbers), `bench/`
 * (grid of runs -> results JSON), `reports/` (results JSON -> Markdown).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { runBench } from "./mod.ts";
 * const out = await Deno.makeTempDir();
 * const results = await runBench({ models: ["mostpop", "itemknn"], protocols: ["sequential"], out, quiet: true });
 * ok(results.results.length === 2);
 * ```
 *
 * @module
 */
export * from "./data/mod.ts";
export * from "./models/mod.ts";
export * from "./metrics/mod.ts";
export * from "./bench/mod.ts";
export * from "./reports/mod.ts";
