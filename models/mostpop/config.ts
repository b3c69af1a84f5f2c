/** Config of {@linkcode MostPopular}: it has no settings. */
export type MostPopularConfig = Record<string, never>;

/** Defaults of the MostPopular config. */
export const MOST_POPULAR_DEFAULTS: Readonly<MostPopularConfig> = {};
