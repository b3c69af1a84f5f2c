/**
 * PIMIRec, and REMI on PIMIRec (REMI's Table 3).
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import { checkPimiRecConfig, PIMIREC_DEFAULTS, type PimiRecConfig } from "./config.ts";
import { PimiRec } from "./model.ts";

export { PimiRec };
export * from "./config.ts";

const REFERENCE =
  "Chen et al., Exploring Periodicity and Interactivity in Multi-Interest Framework for Sequential Recommendation, IJCAI 2021.";
const DEVIATIONS =
  "As the authors' TensorFlow code (time intervals in days clipped at 64, star graph of 3 blocks with 4-head attention, SA extraction with biases, Glorot init), but no attention dropout (the code's 0.1), days counted from the window's first event instead of the user's first, accidental hits masked, no ONNX export; see models/pimirec/README.md.";

/** Registry entry of PIMIRec. */
export const pimiRec: ModelSpec<PimiRecConfig> = {
  name: "pimirec",
  title: "PIMIRec",
  reference: REFERENCE,
  deviations: DEVIATIONS,
  protocols: ["sequential"],
  defaults: PIMIREC_DEFAULTS,
  configure: (o) => checkPimiRecConfig("pimirec", mergeConfig("pimirec", PIMIREC_DEFAULTS, o)),
  create: (config) => new PimiRec(config),
};

const REMI_PIMIREC_DEFAULTS: Readonly<PimiRecConfig> = {
  ...PIMIREC_DEFAULTS,
  beta: 1,
  lambda: 100,
};

/** REMI (IHN beta 1, RR lambda 100) on PIMIRec, as REMI's Table 3. */
export const remiPimiRec: ModelSpec<PimiRecConfig> = {
  name: "remi-pimirec",
  title: "REMI (on PIMIRec)",
  reference:
    "Xie et al., Rethinking Multi-Interest Learning for Candidate Matching in Recommender Systems, RecSys 2023 (Table 3), on " +
    REFERENCE,
  deviations:
    "REMI's IHN (beta 1) and RR (lambda 100, on the extraction's routing A) as on ComiRec-SA (models/remi/README.md); PIMIRec as models/pimirec/README.md.",
  protocols: ["sequential"],
  defaults: REMI_PIMIREC_DEFAULTS,
  configure: (o) =>
    checkPimiRecConfig("remi-pimirec", mergeConfig("remi-pimirec", REMI_PIMIREC_DEFAULTS, o)),
  create: (config) => new PimiRec(config),
};
