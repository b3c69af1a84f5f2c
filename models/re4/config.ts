/**
 * Re4's settings beyond the family's, with the defaults of the authors' run
 * command (github.com/DeerSheep0314/Re4-...-Recommendation, README: `--thre -1
 * --ct_lambda 0.1 --cs_lambda 0.1 --att_lambda 0.001`, `t_cont` 0.02).
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";

/** Config of Re4 (the family's `reattend` is its re-attend weight). */
export interface Re4Config extends SequentialConfig {
  /** Weight of re-contrast (the authors' `ct_lambda`). @default {0.1} */
  contrast: number;
  /** Weight of re-construct (the authors' `cs_lambda`). @default {0.1} */
  construct: number;
  /** Re-contrast temperature (the authors' `t_cont`). @default {0.02} */
  temperature: number;
  /**
   * Attention above which a history item is a positive of an interest; 0 for
   * 1 / history length (the authors' `--thre -1`). @default {0}
   */
  threshold: number;
}

/**
 * Re4's defaults: the family's training setup (batch 128, 1,280 shared
 * negatives, lr 1e-3, K 4, as REMI runs every baseline) with the authors'
 * loss weights (re-attend 0.001).
 */
export const RE4_DEFAULTS: Readonly<Re4Config> = {
  ...SEQUENTIAL_DEFAULTS,
  reattend: 0.001,
  contrast: 0.1,
  construct: 0.1,
  temperature: 0.02,
  threshold: 0,
};

/**
 * Checks Re4's config.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkRe4Config, RE4_DEFAULTS } from "./config.ts";
 * checkRe4Config("re4", { ...RE4_DEFAULTS });
 * ```
 */
export function checkRe4Config(name: string, c: Re4Config): Re4Config {
  checkSequentialConfig(name, c);
  for (const key of ["contrast", "construct", "threshold"] as const) {
    if (!(c[key] >= 0)) throw new RangeError(`${name}: ${key} must be >= 0, got ${c[key]}`);
  }
  if (!(c.temperature > 0)) {
    throw new RangeError(`${name}: temperature must be > 0, got ${c.temperature}`);
  }
  if (c.threshold >= 1) throw new RangeError(`${name}: threshold must be < 1, got ${c.threshold}`);
  return c;
}
