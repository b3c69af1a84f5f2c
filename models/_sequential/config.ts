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
  /**
   * Where each row's negatives come from (`samplers.ts`, REMI's Figure 3):
   * `"uniform"` one shared set of `negativeRatio x batchSize` items drawn from
   * `negatives` (ComiRec's and REMI's code); `"mns"` mixed negative sampling
   * (Yang et al., WWW 2020): the batch's targets plus the rest drawn from
   * `negatives`, with the log-q correction of that mixture; `"dns"` dynamic
   * negative sampling (Zhang et al., SIGIR 2013): each negative the
   * highest-scored of `dnsCandidates` drawn items; `"srns"` (Ding et al.,
   * NeurIPS 2020): one negative per row chosen from a per-user memory by
   * score plus score deviation, beside the shared ones; `"full"` the softmax
   * over every item (REMI's Figure 1a reference), refused above
   * 50,000 items. IHN (`beta > 0`) works with `"uniform"` and `"full"` only.
   * @default {"uniform"}
   */
  sampler: SamplerName;
  /** DNS: drawn candidates per negative, the highest-scored kept. @default {5} */
  dnsCandidates: number;
  /** SRNS: memory size per user (S1 of the authors' run script). @default {8} */
  srnsMemory: number;
  /** SRNS: fresh items drawn per visit to refresh the memory (S2 = 8 x S1 there). @default {64} */
  srnsCandidates: number;
  /** SRNS: weight of the score deviation (alpha). @default {5} */
  srnsAlpha: number;
  /** SRNS: visits of a user before the deviation gets its full weight (warm-up). @default {50} */
  srnsWarmup: number;
  /** SRNS: temperature of the score-based memory update (tau). @default {10} */
  srnsTemperature: number;
}

/** The negative samplers of {@linkcode SequentialConfig.sampler}. */
export type SamplerName = "uniform" | "mns" | "dns" | "srns" | "full";

/** Every sampler name, in the order of REMI's Figure 3 then the full softmax. */
export const SAMPLER_NAMES: readonly SamplerName[] = ["uniform", "mns", "dns", "srns", "full"];

/** Samplers IHN (`beta > 0`) may re-weight: its weights assume uniformly drawn negatives. */
export const IHN_SAMPLERS: readonly SamplerName[] = ["uniform", "full"];

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
  sampler: "uniform",
  dnsCandidates: 5,
  srnsMemory: 8,
  srnsCandidates: 64,
  srnsAlpha: 5,
  srnsWarmup: 50,
  srnsTemperature: 10,
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
  checkPositiveIntegers(name, c, [
    "dim",
    "interests",
    "batchSize",
    "negativeRatio",
    "dnsCandidates",
    "srnsMemory",
    "srnsCandidates",
    "srnsWarmup",
  ]);
  if (!(c.lr > 0)) throw new RangeError(`${name}: lr must be > 0, got ${c.lr}`);
  if (!(c.beta >= 0)) throw new RangeError(`${name}: beta must be >= 0, got ${c.beta}`);
  if (!(c.lambda >= 0)) throw new RangeError(`${name}: lambda must be >= 0, got ${c.lambda}`);
  for (const key of ["covariance", "reattend"] as const) {
    if (!(c[key] >= 0)) throw new RangeError(`${name}: ${key} must be >= 0, got ${c[key]}`);
  }
  oneOf(name, c, "negatives", ["uniform", "log-uniform"]);
  oneOf(name, c, "optimizer", ["adam", "lazy-adam"]);
  oneOf(name, c, "init", ["reference", "glorot"]);
  oneOf(name, c, "sampler", SAMPLER_NAMES);
  if (!(c.srnsAlpha >= 0)) {
    throw new RangeError(`${name}: srnsAlpha must be >= 0, got ${c.srnsAlpha}`);
  }
  if (!(c.srnsTemperature > 0)) {
    throw new RangeError(`${name}: srnsTemperature must be > 0, got ${c.srnsTemperature}`);
  }
  if (c.beta > 0 && !IHN_SAMPLERS.includes(c.sampler)) {
    throw new RangeError(
      `${name}: sampler "${c.sampler}" cannot be combined with IHN (beta ${c.beta} > 0): IHN's ` +
        `importance weights assume uniformly drawn negatives, and "${c.sampler}" already chooses ` +
        `hard or popular ones; set beta=0, or use sampler "uniform" or "full"`,
    );
  }
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
