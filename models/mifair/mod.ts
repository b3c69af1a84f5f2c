/**
 * The multi-interest fairness model (Zhao et al., WWW 2024) on LightGCN.
 *
 * @module
 */
import { checkGraphCfConfig } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import {
  MIFAIR_BACKBONES,
  MIFAIR_CAGCN_DEFAULTS,
  MIFAIR_DEFAULTS,
  type MiFairConfig,
} from "./config.ts";
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
export function configureMiFair(
  overrides: Record<string, unknown> = {},
  name = "mifair",
  defaults: Readonly<MiFairConfig> = MIFAIR_DEFAULTS,
): MiFairConfig {
  const c = checkGraphCfConfig(name, mergeConfig(name, defaults, overrides));
  if (!MIFAIR_BACKBONES.includes(c.backbone)) {
    throw new RangeError(
      `Model "${name}" config "backbone" must be one of ${
        MIFAIR_BACKBONES.join(", ")
      }, got "${c.backbone}"`,
    );
  }
  if (!Number.isInteger(c.layers) || c.layers < 0) {
    throw new RangeError(
      `Model "${name}" config "layers" must be an integer >= 0, got ${c.layers}`,
    );
  }
  if (!Number.isInteger(c.interests) || c.interests < 1 || c.interests > 255) {
    throw new RangeError(
      `Model "${name}" config "interests" must be in 1..255, got ${c.interests}`,
    );
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
  configure: (o) => configureMiFair(o),
  create: (config) => new MiFair(config),
};

/** The same model on CAGCN* (the paper's second backbone): its weights are the attention's prior. */
export const miFairCagcn: ModelSpec<MiFairConfig> = {
  ...miFair,
  name: "mifair-cagcn",
  title: "MI-Fair (CAGCN*)",
  deviations: miFair.deviations +
    " On CAGCN*: the graph's collaboration-aware weights (Jaccard, coefficient 1) multiply each neighbour's attention before normalising (our reading; the summary names the backbone only).",
  defaults: MIFAIR_CAGCN_DEFAULTS,
  configure: (o) => configureMiFair(o, "mifair-cagcn", MIFAIR_CAGCN_DEFAULTS),
};
