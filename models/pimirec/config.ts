/**
 * PIMIRec's settings beyond the family's, with the defaults of the authors'
 * code (`main.py`, `model.py`).
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { checkPositiveIntegers } from "../types.ts";

/** Config of PIMIRec (and REMI on PIMIRec). */
export interface PimiRecConfig extends SequentialConfig {
  /** Longest time interval in days; longer ones share its embedding (`--time_span`). @default {64} */
  timeSpan: number;
  /** Rounds of the star-graph interactivity module. @default {3} */
  graphBlocks: number;
  /** Attention heads of the interactivity module (must divide `dim`). @default {4} */
  heads: number;
}

/**
 * PIMIRec's defaults: the family's (d 64, K 4, batch 128, 1,280 shared
 * negatives, Adam 1e-3) with Glorot-uniform initial values and zero biases,
 * as the authors' TensorFlow code draws them (`init: "reference"` means that
 * here).
 */
export const PIMIREC_DEFAULTS: Readonly<PimiRecConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  timeSpan: 64,
  graphBlocks: 3,
  heads: 4,
};

/**
 * Checks PIMIRec's settings.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkPimiRecConfig, PIMIREC_DEFAULTS } from "./config.ts";
 * throws(() => checkPimiRecConfig("pimirec", { ...PIMIREC_DEFAULTS, heads: 5 }), /heads/);
 * ```
 */
export function checkPimiRecConfig<C extends PimiRecConfig>(name: string, c: C): C {
  checkSequentialConfig(name, c);
  checkPositiveIntegers(name, c, ["timeSpan", "graphBlocks", "heads"]);
  if (c.dim % c.heads !== 0) {
    throw new RangeError(`${name}: heads (${c.heads}) must divide dim (${c.dim})`);
  }
  return c;
}
