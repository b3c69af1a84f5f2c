/**
 * Re4: ComiRec-SA-style attention with Re4's three backward flows.
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import { checkRe4Config, RE4_DEFAULTS, type Re4Config } from "./config.ts";
import { Re4 } from "./model.ts";

export { Re4 };
export * from "./config.ts";

/** Registry entry of Re4. */
export const re4: ModelSpec<Re4Config> = {
  name: "re4",
  title: "Re4",
  reference:
    "Zhang et al., Re4: Learning to Re-contrast, Re-attend, Re-construct for Multi-interest Recommendation, WWW 2022.",
  deviations:
    "Forward flow and the three backward flows as the authors' code; the family's training setup instead of theirs (batch 128 not 1,024, 1,280 shared negatives not 5,000, lr 1e-3 not 3e-3, no weight decay, K 4 not 8, He-normal init not N(0, 1)), as REMI runs its baselines; hidden size 4d (the authors' 256 at d 64); see models/re4/README.md.",
  protocols: ["sequential"],
  defaults: RE4_DEFAULTS,
  configure: (o) => checkRe4Config("re4", mergeConfig("re4", RE4_DEFAULTS, o)),
  create: (config) => new Re4(config),
};
