/**
 * GRU4Rec's settings beyond the family's.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";

/** Config of GRU4Rec. */
export interface Gru4RecConfig extends SequentialConfig {
  /** GRU width as a multiple of d (REMI's code: 2d). @default {2} */
  hiddenFactor: number;
  /** A `Linear(width, d)` layer with bias after the GRU (REMI's code has one). @default {true} */
  outputLayer: boolean;
  /** Input and recurrent biases in the GRU (REMI's `nn.GRU(bias=False)` has none). @default {false} */
  gruBias: boolean;
  /** Dropout on the history embeddings in training (REMI's `--dropout` default). @default {0.2} */
  dropout: number;
}

/** GRU4Rec's defaults: REMI's `src/GRU4Rec.py` run with `--layers 1 --dropout 0.2`. */
export const GRU4REC_DEFAULTS: Readonly<Gru4RecConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  interests: 1,
  hiddenFactor: 2,
  outputLayer: true,
  gruBias: false,
  dropout: 0.2,
};

/**
 * Checks GRU4Rec's config.
 *
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkGru4RecConfig, GRU4REC_DEFAULTS } from "./config.ts";
 * checkGru4RecConfig({ ...GRU4REC_DEFAULTS });
 * ```
 */
export function checkGru4RecConfig(c: Gru4RecConfig): Gru4RecConfig {
  checkSequentialConfig("gru4rec", c);
  if (c.interests !== 1) throw new RangeError("gru4rec: interests must be 1");
  if (!Number.isInteger(c.hiddenFactor) || c.hiddenFactor < 1) {
    throw new RangeError(`gru4rec: hiddenFactor must be a positive integer, got ${c.hiddenFactor}`);
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) {
    throw new RangeError(`gru4rec: dropout must be in [0, 1), got ${c.dropout}`);
  }
  if (c.hiddenFactor !== 1 && !c.outputLayer) {
    throw new RangeError("gru4rec: a GRU wider than d needs outputLayer: true to map back to d");
  }
  return c;
}
