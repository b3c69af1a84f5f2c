/**
 * CAGCN and CAGCN*: LightGCN with collaboration-aware propagation weights.
 *
 * @module
 */
import { CIR_SIMILARITIES } from "../_graph/cir.ts";
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { CAGCN_DEFAULTS, CAGCN_STAR_DEFAULTS, type CagcnConfig } from "./config.ts";
import { Cagcn } from "./model.ts";

export { Cagcn, CAGCN_DEFAULTS, CAGCN_STAR_DEFAULTS };
export type { CagcnConfig };

/**
 * Checks a CAGCN config.
 *
 * @param name Model name, for messages.
 * @param defaults The variant's defaults.
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { CAGCN_DEFAULTS, configureCagcn } from "./mod.ts";
 * throws(() => configureCagcn("cagcn", CAGCN_DEFAULTS, { cir: "cosine" }), RangeError);
 * ```
 */
export function configureCagcn(
  name: string,
  defaults: Readonly<CagcnConfig>,
  overrides: Record<string, unknown> = {},
): CagcnConfig {
  const c = checkGraphCfConfig(name, mergeConfig(name, defaults, overrides));
  if (!Number.isInteger(c.layers) || c.layers < 0) {
    throw new RangeError(
      `Model "${name}" config "layers" must be an integer >= 0, got ${c.layers}`,
    );
  }
  if (!CIR_SIMILARITIES.includes(c.cir)) {
    throw new RangeError(
      `Model "${name}" config "cir" must be one of ${CIR_SIMILARITIES.join(", ")}, got "${c.cir}"`,
    );
  }
  if (!(c.coeff > 0)) {
    throw new RangeError(`Model "${name}" config "coeff" must be > 0, got ${c.coeff}`);
  }
  checkInitStd(name, c.initStd);
  return c;
}

const REFERENCE =
  'Wang et al., "Collaboration-Aware Graph Convolutional Network for Recommender Systems", WWW 2023 (code: github.com/YuWVandy/CAGCN).';
const DEVIATIONS =
  "LightGCN's normal(0, 0.1) init instead of the authors' Xavier-uniform; negatives avoid the user's training items only (the authors' code also avoids the test items); early stopping on validation Recall@50 under the run's budget instead of on test recall every 5 epochs. See models/cagcn/README.md.";

/** Registry entry of CAGCN (`main.py` of the authors' code). */
export const cagcn: ModelSpec<CagcnConfig> = {
  name: "cagcn",
  title: "CAGCN",
  reference: REFERENCE,
  deviations: DEVIATIONS,
  protocols: ["cf"],
  defaults: CAGCN_DEFAULTS,
  configure: (o) => configureCagcn("cagcn", CAGCN_DEFAULTS, o),
  create: (config) => new Cagcn(config),
};

/** Registry entry of CAGCN* (`main_fusion.py`). */
export const cagcnStar: ModelSpec<CagcnConfig> = {
  name: "cagcn-star",
  title: "CAGCN*",
  reference: REFERENCE,
  deviations: DEVIATIONS,
  protocols: ["cf"],
  defaults: CAGCN_STAR_DEFAULTS,
  configure: (o) => configureCagcn("cagcn-star", CAGCN_STAR_DEFAULTS, o),
  create: (config) => new Cagcn(config),
};
