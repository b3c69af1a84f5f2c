/**
 * FREEDOM: frozen item-item modality graphs and a degree-sensitively pruned
 * user-item graph (Zhou and Shen, MM 2023), on the `cf` family's BPR loop.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { checkPositiveIntegers, mergeConfig, type ModelSpec } from "../types.ts";
import { FREEDOM_DEFAULTS, type FreedomConfig } from "./config.ts";
import { Freedom, modalityWeights, pruneEdges } from "./model.ts";

export { Freedom, FREEDOM_DEFAULTS, modalityWeights, pruneEdges };
export type { FreedomConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureFreedom } from "./mod.ts";
 * throws(() => configureFreedom({ dropout: 1 }), RangeError);
 * ```
 */
export function configureFreedom(overrides: Record<string, unknown> = {}): FreedomConfig {
  const c = checkGraphCfConfig("freedom", mergeConfig("freedom", FREEDOM_DEFAULTS, overrides));
  checkPositiveIntegers("freedom", c, ["knnK"]);
  const fail = (key: string, want: string, got: number) => {
    throw new RangeError(`Model "freedom" config "${key}" must be ${want}, got ${got}`);
  };
  if (!Number.isInteger(c.layers) || c.layers < 0) fail("layers", "an integer >= 0", c.layers);
  if (!Number.isInteger(c.itemLayers) || c.itemLayers < 0) {
    fail("itemLayers", "an integer >= 0", c.itemLayers);
  }
  if (!(c.imageWeight >= 0 && c.imageWeight <= 1)) fail("imageWeight", "in [0, 1]", c.imageWeight);
  if (!(c.dropout >= 0 && c.dropout < 1)) fail("dropout", "in [0, 1)", c.dropout);
  if (!(c.featureLoss >= 0)) fail("featureLoss", ">= 0", c.featureLoss);
  checkInitStd("freedom", c.initStd);
  return c;
}

/** Registry entry of FREEDOM. */
export const freedom: ModelSpec<FreedomConfig> = {
  name: "freedom",
  title: "FREEDOM",
  reference:
    'Zhou and Shen, "A Tale of Two Graphs: Freezing and Denoising Graph Structures for Multimodal Recommendation", ACM MM 2023.',
  deviations:
    "Modalities from the dataset (genres/categories and title words as TF-IDF, titles reduced to 128 columns by a fixed random projection) or dense files (standardised) instead of CNN image and sentence-encoder text vectors; items without a modality keep only themselves in its graph; an epoch for the pruned graph is ceil(pairs / batch) batches; normal(0, 0.1) init (MMRec: Xavier); family lr 1e-3, batch 2048, pair sampler, lazy Adam.",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: FREEDOM_DEFAULTS,
  configure: configureFreedom,
  create: (config) => new Freedom(config),
};
