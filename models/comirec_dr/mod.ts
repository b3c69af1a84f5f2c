/**
 * ComiRec-DR.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { ComiRecDR } from "./model.ts";

export { ComiRecDR };

const DEFAULTS: Readonly<SequentialConfig> = { ...SEQUENTIAL_DEFAULTS, lr: 0.005 };

/** Registry entry of ComiRec-DR. */
export const comirecDR: ModelSpec<SequentialConfig> = {
  name: "comirec-dr",
  title: "ComiRec-DR",
  reference:
    "Cen et al., Controllable Multi-Interest Framework for Recommendation, KDD 2020 (dynamic-routing variant).",
  deviations:
    "Negatives drawn with replacement; early stopping budget set by the run; routing logits updated on a stopped gradient as in ComiRec's code.",
  protocols: ["sequential"],
  defaults: DEFAULTS,
  configure: (o) => checkSequentialConfig("comirec-dr", mergeConfig("comirec-dr", DEFAULTS, o)),
  create: (config) => new ComiRecDR(config),
};
