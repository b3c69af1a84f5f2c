/**
 * Settings every model of the `cf` family shares (LightGCN paper defaults).
 *
 * @module
 */
import { checkPositiveIntegers } from "../types.ts";

/** Shared config of the graph / `cf` family. */
export interface GraphCfConfig {
  /** Embedding size d. @default {64} */
  dim: number;
  /** Adam learning rate. @default {0.001} */
  lr: number;
  /** BPR triples per batch. @default {2048} */
  batchSize: number;
  /** L2 weight on the batch's layer-0 embeddings (LightGCN's `decay`). @default {0.0001} */
  l2: number;
}

/** The LightGCN paper's defaults (He et al., SIGIR 2020): d 64, lr 1e-3, batch 2048, L2 1e-4. */
export const GRAPH_CF_DEFAULTS: Readonly<GraphCfConfig> = {
  dim: 64,
  lr: 0.001,
  batchSize: 2048,
  l2: 0.0001,
};

/**
 * Checks the shared settings once at the entry point.
 *
 * @param model Model name, for messages.
 * @param c The config.
 * @returns `c`.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkGraphCfConfig, GRAPH_CF_DEFAULTS } from "./config.ts";
 * throws(() => checkGraphCfConfig("bprmf", { ...GRAPH_CF_DEFAULTS, dim: 0 }), RangeError);
 * ```
 */
export function checkGraphCfConfig<C extends GraphCfConfig>(model: string, c: C): C {
  checkPositiveIntegers(model, c, ["dim", "batchSize"]);
  if (!(c.lr > 0)) throw new RangeError(`Model "${model}" config "lr" must be > 0, got ${c.lr}`);
  if (!(c.l2 >= 0)) throw new RangeError(`Model "${model}" config "l2" must be >= 0, got ${c.l2}`);
  return c;
}
