/**
 * VBPR: visual Bayesian personalised ranking (He and McAuley, AAAI 2016), on
 * the `cf` family's BPR loop.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { checkPositiveIntegers, mergeConfig, type ModelSpec } from "../types.ts";
import { VBPR_DEFAULTS, type VbprConfig } from "./config.ts";
import { Vbpr } from "./model.ts";

export { Vbpr, VBPR_DEFAULTS };
export type { VbprConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureVbpr } from "./mod.ts";
 * throws(() => configureVbpr({ visualDim: 0 }), RangeError);
 * ```
 */
export function configureVbpr(overrides: Record<string, unknown> = {}): VbprConfig {
  const c = checkGraphCfConfig("vbpr", mergeConfig("vbpr", VBPR_DEFAULTS, overrides));
  checkPositiveIntegers("vbpr", c, ["visualDim"]);
  checkInitStd("vbpr", c.initStd);
  return c;
}

/** Registry entry of VBPR. */
export const vbpr: ModelSpec<VbprConfig> = {
  name: "vbpr",
  title: "VBPR",
  reference:
    'He and McAuley, "VBPR: Visual Bayesian Personalized Ranking from Implicit Feedback", AAAI 2016.',
  deviations:
    "f_i = every item modality side by side (dense files standardised; genres/categories and title words as TF-IDF, titles reduced to 128 columns by a fixed random projection) instead of one CNN image vector; L2 1e-4 on the batch's rows (gamma_u, theta_u, gamma_i, beta_i), none on E and beta'; normal(0, 0.1) init; family lr 1e-3, batch 2048, pair sampler, lazy Adam.",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: VBPR_DEFAULTS,
  configure: configureVbpr,
  create: (config) => new Vbpr(config),
};
