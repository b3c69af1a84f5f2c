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
  checkPositiveIntegers("efficientrec", c, [
    "featureDim",
    "attentionDim",
    "hiddenDim",
    "maxItems",
    "clusters",
    "shortlist",
  ]);
  if (!(c.margin > 0)) {
    throw new RangeError(`Model "efficientrec" config "margin" must be > 0, got ${c.margin}`);
  }
  if (!Number.isInteger(c.topClusters) || c.topClusters < 0) {
    throw new RangeError(
      `Model "efficientrec" config "topClusters" must be an integer >= 0 (0 = all clusters), got ${c.topClusters}`,
    );
  }
  if (c.demographics !== 0 && c.demographics !== 1) {
    throw new RangeError(
      `Model "efficientrec" config "demographics" must be 0 or 1, got ${c.demographics}`,
    );
  }
  if (!(c.coldAnchors >= 0 && c.coldAnchors < 1)) {
    throw new RangeError(
      `Model "efficientrec" config "coldAnchors" must be in [0, 1), got ${c.coldAnchors}`,
    );
  }
  return c;
}

/** Registry entry of EfficientRec. */
export const efficientRec: ModelSpec<EfficientRecConfig> = {
  name: "efficientrec",
  title: "EfficientRec",
  reference:
    '"EfficientRec: an unlimited user-item scale recommendation system based on clustering and users interaction embedding profile", arXiv 2401.09693.',
  deviations:
    "Item features = mean of learned genre/category embeddings (titles unused); demographics = mean of learned embeddings of the user's categorical fields, where the dataset has them; the sigmoid profile (43 clusters, as the authors' code) is the soft assignment, as in the paper; triplet margin 1 on Euclidean distances; positive = the other half of the user's items, negative = another batch user's half, users drawn uniformly; each user votes with its 5 largest profile entries; shortlists of 200 items by membership-weighted counts; Adam with the shared budget.",
  protocols: ["cf"],
  defaults: EFFICIENTREC_DEFAULTS,
  configure: configureEfficientRec,
  create: (config) => new EfficientRec(config),
};
