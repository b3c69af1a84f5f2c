/** Config of {@linkcode ItemKNN}. */
import { checkPositiveIntegers } from "../types.ts";

/**
 * Where the top-k cut applies. `target`: each candidate item keeps its `neighbors`
 * most similar items and a query's score is `X . W` (RecBole's ItemKNN, pruned
 * per column). `history`: each history item contributes its own `neighbors` most
 * similar items (the TOIS 2004 form, recbench's former default).
 */
export type ItemKnnPruning = "target" | "history";

/** All pruning names. */
export const ITEM_KNN_PRUNINGS: readonly ItemKnnPruning[] = ["target", "history"];

/** Config of {@linkcode ItemKNN}. */
export interface ItemKnnConfig {
  /**
   * Neighbours kept per item (the most similar ones).
   * @default {100}
   */
  neighbors: number;
  /**
   * Shrinkage added to the cosine denominator: `c_ij / (sqrt(n_i n_j) + shrink)`
   * (RecBole's `shrink`).
   * @default {0}
   */
  shrink: number;
  /**
   * Which side of the similarity matrix the top-k cut applies to.
   * @default {"target"}
   */
  pruning: ItemKnnPruning;
}

/** Defaults of the ItemKNN config. */
export const ITEM_KNN_DEFAULTS: Readonly<ItemKnnConfig> = {
  neighbors: 100,
  shrink: 0,
  pruning: "target",
};

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
  if (!ITEM_KNN_PRUNINGS.includes(c.pruning)) {
    throw new RangeError(
      `itemknn: pruning must be ${ITEM_KNN_PRUNINGS.join(" or ")}, got "${c.pruning}"`,
    );
  }
  return c;
}
