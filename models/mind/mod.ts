/**
 * MIND.
 *
 * @module
 */
import { checkCapsuleConfig } from "../comirec_dr/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { MIND_DEFAULTS, type MindConfig } from "./config.ts";
import { MIND } from "./model.ts";

export { MIND };
export * from "./config.ts";

/** Registry entry of MIND. */
export const mind: ModelSpec<MindConfig> = {
  name: "mind",
  title: "MIND",
  reference:
    "Li et al., Multi-Interest Network with Dynamic Routing for Recommendation at Tmall, CIKM 2019 (as built in REMI's and ComiRec's code).",
  deviations:
    "The reference code's version: fixed K (no dynamic interest number), no label-aware attention (the hard argmax readout instead), no side features, ReLU layer on Books only; random initial routing logits from a seeded stream; see models/mind/README.md.",
  protocols: ["sequential"],
  defaults: MIND_DEFAULTS,
  configure: (o) => {
    const c = checkCapsuleConfig("mind", mergeConfig("mind", MIND_DEFAULTS, o));
    if (typeof c.reluLayer !== "boolean") throw new TypeError("mind: reluLayer must be a boolean");
    return c;
  },
  create: (config) => new MIND(config),
};
