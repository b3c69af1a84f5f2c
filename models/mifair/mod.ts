/**
 * The multi-interest fairness model (Zhao et al., WWW 2024) on LightGCN.
 *
 * @module
 */
import { checkGraphCfConfig } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { MIFAIR_DEFAULTS, type MiFairConfig } from "./config.ts";
import { MiFair } from "./model.ts";

export { MiFair };
export type { MiFairConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureMiFair } from "./mod.ts";
 * throws(() => configureMiFair({ interests: 0 }), RangeError);
 * ```
 */
export function configureMiFair(overrides: Record<string, unknown> = {}): MiFairConfig {
  const c = checkGraphCfConfig("mifair", mergeConfig("mifair", MIFAIR_DEFAULTS, overrides));
  if (!Number.isInteger(c.layers) || c.layers < 0) {
    throw new RangeError(`Model "mifair" config "layers" must be an integer >= 0, got ${c.layers}`);
  }
  if (!Number.isInteger(c.interests) || c.interests < 1 || c.interests > 255) {
    throw new RangeError(`Model "mifair" config "interests" must be in 1..255, got ${c.interests}`);
  }
  return c;
}

/** Registry entry of the multi-interest fairness model. */
export const miFair: ModelSpec<MiFairConfig> = {
  name: "mifair",
  title: "MI-Fair (LightGCN)",
  reference:
    'Zhao et al., "Can One Embedding Fit All? A Multi-Interest Learning Paradigm Towards Improving User Interest Diversity Fairness", WWW 2024.',
  deviations:
    "Inferred: interest attention softmax over a node's neighbours of c_n . w_k (unscaled), next center = the virtual interest closest to the current center, user scoring vectors = (readout center + k-th interest pooled from its items' readouts) / 2, K = 4, score = max over them, argmax without gradient; LightGCN backbone settings; no extra regulariser.",
  protocols: ["cf"],
  defaults: MIFAIR_DEFAULTS,
  configure: configureMiFair,
  create: (config) => new MiFair(config),
};
