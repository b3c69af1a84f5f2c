/**
 * ItemKNN baseline.
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import {
  checkItemKnnConfig,
  ITEM_KNN_DEFAULTS,
  type ItemKnnConfig,
  type ItemKnnPruning,
} from "./config.ts";
import { ItemKNN } from "./model.ts";

export { ItemKNN };
export type { ItemKnnConfig, ItemKnnPruning };

/** Registry entry of ItemKNN. */
export const itemKnn: ModelSpec<ItemKnnConfig> = {
  name: "itemknn",
  title: "ItemKNN",
  reference:
    "Sarwar et al., Item-based collaborative filtering, WWW 2001 (cosine, top-k neighbours).",
  deviations:
    "Binary cosine over training interactions (repeats count once), top-100 neighbours per candidate item and scores X·W as RecBole's ItemKNN, no shrinkage.",
  protocols: ["sequential", "cf"],
  defaults: ITEM_KNN_DEFAULTS,
  configure: (overrides) =>
    checkItemKnnConfig(mergeConfig("itemknn", ITEM_KNN_DEFAULTS, overrides)),
  create: (config) => new ItemKNN(config),
};
