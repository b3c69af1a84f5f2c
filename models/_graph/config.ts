/**
 * Settings every model of the `cf` family shares (LightGCN paper defaults).
 *
 * @module
 */
import { checkPositiveIntegers } from "../types.ts";

/**
 * How BPR triples are drawn (`models/_graph/sampler.ts`):
 * - `"users"`: LightGCN-PyTorch's sampler: a uniform user, then one of that
 *   user's training items, then a uniform negative; an epoch is as many draws
 *   as training pairs, batched with a shorter last batch.
 * - `"pairs"`: every training pair once per epoch in a shuffled order
 *   (RecBole's loader), batches running across epoch ends.
 */
export type BprSampling = "users" | "pairs";

/**
 * How Adam treats embedding tables:
 * - `"adam"`: dense Adam, as PyTorch's `optim.Adam` over `nn.Embedding`
 *   (LightGCN-PyTorch): every row's moments decay and every row moves at
 *   every step, including rows the batch did not touch.
 * - `"lazy-adam"`: row-wise lazy Adam (TensorFlow's LazyAdam, PyTorch's
 *   SparseAdam): only the rows the batch touched change.
 */
export type TableOptimizer = "adam" | "lazy-adam";

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
  /** BPR sampler (see {@linkcode BprSampling}). @default {"pairs"} (LightGCN and BPR-MF: `"users"`) */
  sampler: BprSampling;
  /** Adam on embedding tables (see {@linkcode TableOptimizer}). @default {"lazy-adam"} (LightGCN and BPR-MF: `"adam"`) */
  optimizer: TableOptimizer;
}

/**
 * The LightGCN paper's defaults (He et al., SIGIR 2020): d 64, lr 1e-3, batch
 * 2048, L2 1e-4; RecBole's pair sampler and lazy Adam (LightGCN and BPR-MF
 * override these two with LightGCN-PyTorch's user sampler and dense Adam).
 */
export const GRAPH_CF_DEFAULTS: Readonly<GraphCfConfig> = {
  dim: 64,
  lr: 0.001,
  batchSize: 2048,
  l2: 0.0001,
  sampler: "pairs",
  optimizer: "lazy-adam",
};

/** What LightGCN-PyTorch does (`utils.UniformSample_original`, `optim.Adam`). */
export const LIGHTGCN_PYTORCH_TRAINING: Readonly<Pick<GraphCfConfig, "sampler" | "optimizer">> = {
  sampler: "users",
  optimizer: "adam",
};

const SAMPLERS: readonly BprSampling[] = ["users", "pairs"];
const OPTIMIZERS: readonly TableOptimizer[] = ["adam", "lazy-adam"];

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
  if (!SAMPLERS.includes(c.sampler)) {
    throw new RangeError(
      `Model "${model}" config "sampler" must be one of ${SAMPLERS.join(", ")}, got "${c.sampler}"`,
    );
  }
  if (!OPTIMIZERS.includes(c.optimizer)) {
    throw new RangeError(
      `Model "${model}" config "optimizer" must be one of ${
        OPTIMIZERS.join(", ")
      }, got "${c.optimizer}"`,
    );
  }
  return c;
}

/**
 * Checks a standard deviation of a normal initialisation.
 *
 * @param model Model name, for messages.
 * @param std The value of config key `initStd`.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkInitStd } from "./config.ts";
 * throws(() => checkInitStd("bprmf", 0), RangeError);
 * ```
 */
export function checkInitStd(model: string, std: number): void {
  if (!(std > 0) || !Number.isFinite(std)) {
    throw new RangeError(`Model "${model}" config "initStd" must be finite and > 0, got ${std}`);
  }
}
