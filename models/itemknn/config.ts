/** Config of {@linkcode ItemKNN}. */
import { checkPositiveIntegers } from "../types.ts";
export interface ItemKnnConfig {
  /**
   * Neighbours kept per item (the most similar ones).
   * @default {100}
   */
  neighbors: number;
  /**
   * Shrinkage added to the cosine denominator: `c_ij / (sqrt(n_i n_j) + shrink)`.
   * @default {0}
   */
  shrink: number;
}

/** Defaults of the ItemKNN config. */
export const ITEM_KNN_DEFAULTS: Readonly<ItemKnnConfig> = { neighbors: 100, shrink: 0 };

/**
 * Checks value ranges of a merged config.
 *
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkItemKnnConfig, ITEM_KNN_DEFAULTS } from "./config.ts";
 * checkItemKnnConfig({ ...ITEM_KNN_DEFAULTS });
 * ```
 */
export function checkItemKnnConfig(c: ItemKnnConfig): ItemKnnConfig {
  checkPositiveIntegers("itemknn", c, ["neighbors"]);
  if (!(c.shrink >= 0)) throw new RangeError(`itemknn: shrink must be >= 0, got ${c.shrink}`);
  return c;
}
