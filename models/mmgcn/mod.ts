/**
 * MMGCN: a user-item graph per modality, message passing per modality,
 * combined (Wei et al., MM 2019), on the `cf` family's BPR loop.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { checkPositiveIntegers, mergeConfig, type ModelSpec } from "../types.ts";
import { MMGCN_DEFAULTS, type MmgcnConfig } from "./config.ts";
import { meanAdjacency, Mmgcn } from "./model.ts";

export { meanAdjacency, Mmgcn, MMGCN_DEFAULTS };
export type { MmgcnConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureMmgcn } from "./mod.ts";
 * throws(() => configureMmgcn({ latent: 0 }), RangeError);
 * ```
 */
export function configureMmgcn(overrides: Record<string, unknown> = {}): MmgcnConfig {
  const c = checkGraphCfConfig("mmgcn", mergeConfig("mmgcn", MMGCN_DEFAULTS, overrides));
  checkPositiveIntegers("mmgcn", c, ["latent"]);
  if (!Number.isInteger(c.layers) || c.layers < 0) {
    throw new RangeError(`Model "mmgcn" config "layers" must be an integer >= 0, got ${c.layers}`);
  }
  if (!(c.slope >= 0 && c.slope < 1)) {
    throw new RangeError(`Model "mmgcn" config "slope" must be in [0, 1), got ${c.slope}`);
  }
  checkInitStd("mmgcn", c.initStd);
  return c;
}

/** Registry entry of MMGCN. */
export const mmgcn: ModelSpec<MmgcnConfig> = {
  name: "mmgcn",
  title: "MMGCN",
  reference:
    'Wei et al., "MMGCN: Multi-modal Graph Convolution Network for Personalized Recommendation of Micro-video", ACM MM 2019.',
  deviations:
    "Modalities from the dataset (genres/categories and title words as TF-IDF, titles reduced to 128 columns by a fixed random projection) or dense files (standardised) instead of the paper's visual, acoustic and textual features; ID embeddings and user preferences trained (MMRec leaves both out of its optimiser); 2 layers (MMRec's code: 3); L2 1e-4 on the batch's ID rows (MMRec: mean squares, also of the preferences); normal(0, 0.1) ID tables; family lr 1e-3, batch 2048, pair sampler, lazy Adam.",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: MMGCN_DEFAULTS,
  configure: configureMmgcn,
  create: (config) => new Mmgcn(config),
};
