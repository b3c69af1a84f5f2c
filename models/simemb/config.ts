/**
 * SimEmb's settings, added to the host model's.
 *
 * @module
 */
import type { SequentialConfig } from "../_sequential/config.ts";

/** SimEmb's own settings. */
export interface SimEmbSettings {
  /** Step interval T: items at most this many steps apart in a training sequence co-occur. @default {3} */
  window: number;
  /**
   * Co-occurring items kept per item, the most frequent first; 0 keeps every
   * co-occurrence within T (sparse), as the paper does. @default {0}
   */
  neighbors: number;
}

/** Config of a model with SimEmb item embeddings: the host's config plus SimEmb's settings. */
export type SimEmbConfig = SequentialConfig & SimEmbSettings;

/** SimEmb's defaults: T = 3, every co-occurrence kept. */
export const SIMEMB_SETTINGS: Readonly<SimEmbSettings> = { window: 3, neighbors: 0 };

/**
 * Checks SimEmb's own settings: `window` a positive integer, `neighbors` a
 * non-negative integer.
 *
 * @param name Model name.
 * @param c The config.
 * @returns The same config.
 * @throws {RangeError} Naming the model, the key and the value.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkSimEmbSettings, SIMEMB_SETTINGS } from "./config.ts";
 * checkSimEmbSettings("mind+simemb", { ...SIMEMB_SETTINGS });
 * throws(() => checkSimEmbSettings("mind+simemb", { window: 0, neighbors: 0 }), /window/);
 * ```
 */
export function checkSimEmbSettings<C extends SimEmbSettings>(name: string, c: C): C {
  if (!Number.isInteger(c.window) || c.window < 1) {
    throw new RangeError(`${name}: config "window" must be a positive integer, got ${c.window}`);
  }
  if (!Number.isInteger(c.neighbors) || c.neighbors < 0) {
    throw new RangeError(
      `${name}: config "neighbors" must be a non-negative integer (0 keeps all), got ${c.neighbors}`,
    );
  }
  return c;
}
