/**
 * GRU4Rec.
 *
 * @module
 */
import { checkGru4RecConfig, GRU4REC_DEFAULTS, type Gru4RecConfig } from "./config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { GRU4Rec } from "./model.ts";

export { GRU4Rec };
export * from "./config.ts";

/** Registry entry of GRU4Rec. */
export const gru4rec: ModelSpec<Gru4RecConfig> = {
  name: "gru4rec",
  title: "GRU4Rec",
  reference:
    "Hidasi et al., Session-based Recommendations with Recurrent Neural Networks, ICLR 2016 (as built in REMI's and ComiRec's code).",
  deviations:
    "REMI's code's version: one bias-free GRU layer of width 2d, a Linear(2d, d) output layer, dropout 0.2 on the history embeddings, final state as the user vector; sampled softmax with shared negatives instead of the paper's session-parallel mini-batches and TOP1/BPR losses; see models/gru4rec/README.md.",
  protocols: ["sequential"],
  defaults: GRU4REC_DEFAULTS,
  configure: (o) => checkGru4RecConfig(mergeConfig("gru4rec", GRU4REC_DEFAULTS, o)),
  create: (config) => new GRU4Rec(config),
};
