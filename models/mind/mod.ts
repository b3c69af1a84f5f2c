/**
 * MIND.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { MIND } from "./model.ts";

export { MIND };

/** Registry entry of MIND. */
export const mind: ModelSpec<SequentialConfig> = {
  name: "mind",
  title: "MIND",
  reference:
    "Li et al., Multi-Interest Network with Dynamic Routing for Recommendation at Tmall, CIKM 2019 (as built in ComiRec's code).",
  deviations:
    "ComiRec's version: fixed K = 4 (no dynamic interest number), no label-aware attention (the hard argmax readout instead), no side features; random initial routing logits from a seeded stream.",
  protocols: ["sequential"],
  defaults: SEQUENTIAL_DEFAULTS,
  configure: (o) => checkSequentialConfig("mind", mergeConfig("mind", SEQUENTIAL_DEFAULTS, o)),
  create: (config) => new MIND(config),
};
