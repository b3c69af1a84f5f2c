/**
 * ComiRec-SA.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { ComiRecSA } from "./model.ts";

export { ComiRecSA };

/** Registry entry of ComiRec-SA. */
export const comirecSA: ModelSpec<SequentialConfig> = {
  name: "comirec-sa",
  title: "ComiRec-SA",
  reference:
    "Cen et al., Controllable Multi-Interest Framework for Recommendation, KDD 2020 (self-attentive variant).",
  deviations:
    "As REMI's code (dense Adam, He-normal init); accidental hits masked; early stopping budget set by the run (reference: up to 1,000,000 iterations, validate every 1,000, patience 50); see models/comirec_sa/README.md.",
  protocols: ["sequential"],
  defaults: SEQUENTIAL_DEFAULTS,
  configure: (o) =>
    checkSequentialConfig("comirec-sa", mergeConfig("comirec-sa", SEQUENTIAL_DEFAULTS, o)),
  create: (config) => new ComiRecSA(config),
};
