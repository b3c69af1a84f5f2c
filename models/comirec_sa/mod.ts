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
    "Negatives drawn with replacement (TensorFlow draws unique ones); early stopping budget set by the run (reference: validate every 1,000 iterations, patience 50).",
  protocols: ["sequential"],
  defaults: SEQUENTIAL_DEFAULTS,
  configure: (o) =>
    checkSequentialConfig("comirec-sa", mergeConfig("comirec-sa", SEQUENTIAL_DEFAULTS, o)),
  create: (config) => new ComiRecSA(config),
};
