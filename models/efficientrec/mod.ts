/**
 * EfficientRec: user vectors from interacted items, clusters and cluster voting.
 *
 * @module
 */
import { checkGraphCfConfig } from "../_graph/config.ts";
import { checkPositiveIntegers, mergeConfig, type ModelSpec } from "../types.ts";
import { EFFICIENTREC_DEFAULTS, type EfficientRecConfig } from "./config.ts";
import { EfficientRec } from "./model.ts";

export { EfficientRec };
export type { EfficientRecConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureEfficientRec } from "./mod.ts";
 * throws(() => configureEfficientRec({ clusters: 0 }), RangeError);
 * ```
 */
export function configureEfficientRec(overrides: Record<string, unknown> = {}): EfficientRecConfig {
  const c = checkGraphCfConfig(
    "efficientrec",
    mergeConfig("efficientrec", EFFICIENTREC_DEFAULTS, overrides),
  );
  return checkPositiveIntegers("efficientrec", c, [
    "featureDim",
    "attentionDim",
    "maxItems",
    "clusters",
    "shortlist",
  ]);
}

/** Registry entry of EfficientRec. */
export const efficientRec: ModelSpec<EfficientRecConfig> = {
  name: "efficientrec",
  title: "EfficientRec",
  reference:
    '"EfficientRec: an unlimited user-item scale recommendation system based on clustering and users interaction embedding profile", arXiv 2401.09693.',
  deviations:
    "Item features = mean of learned genre/category embeddings (titles unused); triplet margin 1 on squared distances; k-means (20 clusters, fixed init) after training instead of learned centers; sigmoid membership relative to the nearest cluster (sharpness 20, slack 0.1); shortlists of 200 items by membership-weighted counts; Adam with the shared budget.",
  protocols: ["cf"],
  defaults: EFFICIENTREC_DEFAULTS,
  configure: configureEfficientRec,
  create: (config) => new EfficientRec(config),
};
