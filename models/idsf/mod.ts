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
export { itemModalities, type Modality } from "./_modalities.ts";

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureIdsf } from "./mod.ts";
 * throws(() => configureIdsf({ alpha: 2 }), RangeError);
 * ```
 */
export function configureIdsf(overrides: Record<string, unknown> = {}): IdsfConfig {
  const c = checkGraphCfConfig("idsf", mergeConfig("idsf", IDSF_DEFAULTS, overrides));
  const fail = (key: string, want: string, got: number) => {
    throw new RangeError(`Model "idsf" config "${key}" must be ${want}, got ${got}`);
  };
  if (!Number.isInteger(c.layers) || c.layers < 0) fail("layers", "an integer >= 0", c.layers);
  if (!(c.alpha >= 0 && c.alpha <= 1)) fail("alpha", "in [0, 1]", c.alpha);
  if (!(c.lambdaCl >= 0)) fail("lambdaCl", ">= 0", c.lambdaCl);
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
    "No visual/text-encoder modality: categorical fields (genres/categories) and title-word embeddings stand in, learned end to end (the d-wide word table is the projection to d); inferred: dot-product hierarchical attention, alpha 0.5, lambda_cl 0.1, tau 0.2, symmetric cosine InfoNCE between the two modalities on up to 128 distinct batch items; user-item light GCN per modality (no item-item modality graph); 2 GCN layers (time); --item-features rows become a third modality (columns standardised, learned F x d projection, alignment averaged over modality pairs).",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: IDSF_DEFAULTS,
  configure: configureIdsf,
  create: (config) => new Idsf(config),
};
