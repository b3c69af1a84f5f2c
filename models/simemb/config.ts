/**
 * SimEmb's settings, added to the host model's.
 *
 * @module
 */
import { checkPositiveIntegers } from "../types.ts";
import { SEQUENTIAL_DEFAULTS, type SequentialConfig } from "../_sequential/config.ts";

/** Config of a model with SimEmb item embeddings. */
export interface SimEmbConfig extends SequentialConfig {
  /** Step interval T: items within this many steps co-occur. @default {3} */
  window: number;
  /** Co-occurring items kept per item. @default {20} */
  neighbors: number;
}

/** SimEmb on ComiRec-SA's defaults. */
export const SIMEMB_DEFAULTS: Readonly<SimEmbConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  window: 3,
  neighbors: 20,
};

/**
 * Checks SimEmb's own settings.
 *
 * @param name Model name.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkSimEmbConfig, SIMEMB_DEFAULTS } from "./config.ts";
 * checkSimEmbConfig("comirec-sa+simemb", { ...SIMEMB_DEFAULTS });
 * ```
 */
export function checkSimEmbConfig<C extends SimEmbConfig>(name: string, c: C): C {
  return checkPositiveIntegers(name, c, ["window", "neighbors"]);
}
