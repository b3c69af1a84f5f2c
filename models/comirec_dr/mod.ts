/**
 * ComiRec-DR.
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import { checkCapsuleConfig, COMIREC_DR_DEFAULTS, type ComiRecDrConfig } from "./config.ts";
import { ComiRecDR } from "./model.ts";

export { ComiRecDR };
export * from "./config.ts";

/** Registry entry of ComiRec-DR. */
export const comirecDR: ModelSpec<ComiRecDrConfig> = {
  name: "comirec-dr",
  title: "ComiRec-DR",
  reference:
    "Cen et al., Controllable Multi-Interest Framework for Recommendation, KDD 2020 (dynamic-routing variant).",
  deviations:
    "As REMI's code: one capsule map per position, routing softmax over positions, He-normal init, lr 0.001; negatives drawn with replacement and accidental hits masked; early stopping budget set by the run; see models/comirec_dr/README.md.",
  protocols: ["sequential"],
  defaults: COMIREC_DR_DEFAULTS,
  configure: (o) =>
    checkCapsuleConfig("comirec-dr", mergeConfig("comirec-dr", COMIREC_DR_DEFAULTS, o)),
  create: (config) => new ComiRecDR(config),
};
