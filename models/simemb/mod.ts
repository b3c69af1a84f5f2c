/**
 * SimEmb on ComiRec-SA and on REMI.
 *
 * @module
 */
import { checkSequentialConfig } from "../_sequential/config.ts";
import { ComiRecSA } from "../comirec_sa/model.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { checkSimEmbConfig, SIMEMB_DEFAULTS, type SimEmbConfig } from "./config.ts";
import { withSimEmb } from "./model.ts";

export { cooccurrenceWeights } from "./cooccurrence.ts";
export { withSimEmb };
export type { SimEmbConfig };

const REFERENCE =
  "Attribute Simulation for Item Embedding Enhancement in Multi-interest Recommendation, arXiv 2311.17374.";
const DEVIATIONS =
  "Inferred details: co-occurrence counted within T = 3 steps either side, the 20 most frequent co-occurring items kept per item, the item itself added with count 1, rows normalised to sum 1; the attribute table has the host's embedding size.";

const SimEmbComiRecSA = withSimEmb(ComiRecSA);

function spec(
  name: string,
  title: string,
  defaults: SimEmbConfig,
  note: string,
): ModelSpec<SimEmbConfig> {
  return {
    name,
    title,
    reference: REFERENCE,
    deviations: `${note}${DEVIATIONS}`,
    protocols: ["sequential"],
    defaults,
    configure: (o) =>
      checkSimEmbConfig(name, checkSequentialConfig(name, mergeConfig(name, defaults, o))),
    create: (config) => new SimEmbComiRecSA(config),
  };
}

/** SimEmb item embeddings in ComiRec-SA. */
export const comirecSASimEmb: ModelSpec<SimEmbConfig> = spec(
  "comirec-sa+simemb",
  "ComiRec-SA + SimEmb",
  SIMEMB_DEFAULTS,
  "Host: ComiRec-SA. ",
);

/** SimEmb item embeddings in REMI (ComiRec-SA with IHN and RR). */
export const remiSimEmb: ModelSpec<SimEmbConfig> = spec(
  "remi+simemb",
  "REMI + SimEmb",
  { ...SIMEMB_DEFAULTS, beta: 1, lambda: 100 },
  "Host: REMI on ComiRec-SA. ",
);
