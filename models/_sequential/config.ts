/**
 * Settings shared by the sequential family, with the defaults of ComiRec's
 * and REMI's reference code.
 *
 * @module
 */
import { checkPositiveIntegers } from "../types.ts";

/** Config of every model of the sequential family. */
export interface SequentialConfig {
  /** Embedding size d. @default {64} */
  dim: number;
  /** Interests K (1 for single-vector models). @default {4} */
  interests: number;
  /** Batch size. @default {128} */
  batchSize: number;
  /** Shared negatives per batch = negativeRatio x batchSize. @default {10} */
  negativeRatio: number;
  /** Negative distribution. @default {"uniform"} */
  negatives: "uniform" | "log-uniform";
  /** Adam learning rate. @default {0.001} */
  lr: number;
  /** REMI's interest-aware hard negatives strength (0 = off). @default {0} */
  beta: number;
  /** REMI's routing regularisation weight (0 = off). @default {0} */
  lambda: number;
}

/** The family's defaults (ComiRec-SA as in REMI's code). */
export const SEQUENTIAL_DEFAULTS: Readonly<SequentialConfig> = {
  dim: 64,
  interests: 4,
  batchSize: 128,
  negativeRatio: 10,
  negatives: "uniform",
  lr: 0.001,
  beta: 0,
  lambda: 0,
};

/**
 * Checks value ranges.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkSequentialConfig, SEQUENTIAL_DEFAULTS } from "./config.ts";
 * checkSequentialConfig("comirec-sa", { ...SEQUENTIAL_DEFAULTS });
 * ```
 */
export function checkSequentialConfig<C extends SequentialConfig>(name: string, c: C): C {
  checkPositiveIntegers(name, c, ["dim", "interests", "batchSize", "negativeRatio"]);
  if (!(c.lr > 0)) throw new RangeError(`${name}: lr must be > 0, got ${c.lr}`);
  if (!(c.beta >= 0)) throw new RangeError(`${name}: beta must be >= 0, got ${c.beta}`);
  if (!(c.lambda >= 0)) throw new RangeError(`${name}: lambda must be >= 0, got ${c.lambda}`);
  if (c.negatives !== "uniform" && c.negatives !== "log-uniform") {
    throw new RangeError(
      `${name}: negatives must be "uniform" or "log-uniform", got ${c.negatives}`,
    );
  }
  return c;
}
