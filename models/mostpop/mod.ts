/**
 * MostPopular baseline.
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import { MOST_POPULAR_DEFAULTS, type MostPopularConfig } from "./config.ts";
import { MostPopular } from "./model.ts";

export { MostPopular };
export type { MostPopularConfig };

/** Registry entry of MostPopular. */
export const mostPopular: ModelSpec<MostPopularConfig> = {
  name: "mostpop",
  title: "MostPopular",
  reference: "Popularity baseline (ComiRec, REMI and RecBole all report it).",
  deviations: "None: counts training interactions; ties by lower item index (shared ranking).",
  protocols: ["sequential", "cf"],
  defaults: MOST_POPULAR_DEFAULTS,
  configure: (overrides) => mergeConfig("mostpop", MOST_POPULAR_DEFAULTS, overrides),
  create: () => new MostPopular(),
};
