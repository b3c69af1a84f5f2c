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
  /**
   * Weight of SINE's covariance regulariser on each user's interests ("Rep.
   * Reg." of REMI's Table 4; 0 = off; see `regularizers.ts`). @default {0}
   */
  covariance: number;
  /**
   * Weight of Re4's re-attend term (REMI's Table 4; 0 = off; attention-routed
   * models only). @default {0}
   */
  reattend: number;
  /**
   * Optimiser of the item table: `"adam"` updates every row each step, as the
   * reference code's TensorFlow and PyTorch Adam do; `"lazy-adam"` only the
   * rows the batch touched (TensorFlow's LazyAdam, PyTorch's SparseAdam).
   * Dense parameters always get plain Adam. @default {"adam"}
   */
  optimizer: "adam" | "lazy-adam";
  /**
   * Initial values: `"reference"` as REMI's code draws them (He/Kaiming normal,
   * fan-in, for every table and layer; Xavier for GRU4Rec), `"glorot"`
   * Glorot-uniform everywhere with biases at zero (recbench before issue 12).
   * @default {"reference"}
   */
  init: "reference" | "glorot";
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
  covariance: 0,
  reattend: 0,
  optimizer: "adam",
  init: "reference",
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
  for (const key of ["covariance", "reattend"] as const) {
    if (!(c[key] >= 0)) throw new RangeError(`${name}: ${key} must be >= 0, got ${c[key]}`);
  }
  oneOf(name, c, "negatives", ["uniform", "log-uniform"]);
  oneOf(name, c, "optimizer", ["adam", "lazy-adam"]);
  oneOf(name, c, "init", ["reference", "glorot"]);
  return c;
}

/**
 * Checks that a string setting is one of its allowed values.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @param key The setting.
 * @param allowed Its values.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { oneOf } from "./config.ts";
 * throws(() => oneOf("m", { kind: "x" }, "kind", ["a", "b"]), /kind must be one of "a", "b"/);
 * ```
 */
export function oneOf<C extends object>(
  name: string,
  c: C,
  key: keyof C & string,
  allowed: readonly string[],
): void {
  const v = c[key];
  if (typeof v !== "string" || !allowed.includes(v)) {
    throw new RangeError(
      `${name}: ${key} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${
        JSON.stringify(v)
      }`,
    );
  }
}
