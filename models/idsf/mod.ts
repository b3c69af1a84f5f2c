/**
 * IDSF: ID embedding as subtle features of content and structure for
 * multimodal recommendation (arXiv 2311.05956), on the `cf` family's BPR loop.
 *
 * @module
 */
import { checkGraphCfConfig } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { IDSF_DEFAULTS, type IdsfConfig } from "./config.ts";
import { Idsf } from "./model.ts";

export { Idsf };
export type { IdsfConfig };
export { itemModalities, type Modality } from "../_graph/modalities.ts";

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureIdsf } from "./mod.ts";
 * throws(() => configureIdsf({ gamma: -1 }), RangeError);
 * ```
 */
export function configureIdsf(overrides: Record<string, unknown> = {}): IdsfConfig {
  const c = checkGraphCfConfig("idsf", mergeConfig("idsf", IDSF_DEFAULTS, overrides));
  const fail = (key: string, want: string, got: number) => {
    throw new RangeError(`Model "idsf" config "${key}" must be ${want}, got ${got}`);
  };
  if (!Number.isInteger(c.layers) || c.layers < 0) fail("layers", "an integer >= 0", c.layers);
  if (!(c.gamma >= 0)) fail("gamma", ">= 0", c.gamma);
  if (!(c.lossRatio >= 0)) fail("lossRatio", ">= 0", c.lossRatio);
  if (!(c.temperature > 0)) fail("temperature", "> 0", c.temperature);
  if (!Number.isInteger(c.clBatch) || c.clBatch < 2) fail("clBatch", "an integer >= 2", c.clBatch);
  return c;
}

/** Registry entry of IDSF. */
export const idsf: ModelSpec<IdsfConfig> = {
  name: "idsf",
  title: "IDSF (genres + title tokens)",
  reference:
    'Liu et al., "ID Embedding as Subtle Features of Content and Structure for Multimodal Recommendation", arXiv 2311.05956, 2023.',
  deviations:
    "Without --item-features, genres/categories and title words stand in for the paper's text and visual features (learned word tables; the d-wide table is the projection to d); dot-product attention with one learned query per fusion (the authors: a Linear-Tanh-Linear scorer); symmetric in-batch InfoNCE on up to 128 distinct batch items (the authors: all items, one direction, intra-view negatives); no Linear-ReLU-LayerNorm heads on content and structure and no row normalisation of layer 0; L2 on layer-0 rows (the authors: on the final vectors); family defaults d 64, lr 1e-3, batch 2048 (the authors: 128, 5e-4, 1024); no item-item modality graph.",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: IDSF_DEFAULTS,
  configure: configureIdsf,
  create: (config) => new Idsf(config),
};
