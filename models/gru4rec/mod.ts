/**
 * GRU4Rec.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { GRU4Rec } from "./model.ts";

export { GRU4Rec };

const DEFAULTS: Readonly<SequentialConfig> = { ...SEQUENTIAL_DEFAULTS, interests: 1 };

/** Registry entry of GRU4Rec. */
export const gru4rec: ModelSpec<SequentialConfig> = {
  name: "gru4rec",
  title: "GRU4Rec",
  reference:
    "Hidasi et al., Session-based Recommendations with Recurrent Neural Networks, ICLR 2016 (as built in ComiRec's code).",
  deviations:
    "One GRU layer of width d (REMI's code: width 2d, no biases, a Linear(2d, d) output layer and embedding dropout 0.2) over the last maxlen items, final state as the user vector, sampled softmax with shared negatives instead of the paper's session-parallel mini-batches and TOP1/BPR losses; see models/gru4rec/README.md.",
  protocols: ["sequential"],
  defaults: DEFAULTS,
  configure: (o) => {
    const c = checkSequentialConfig("gru4rec", mergeConfig("gru4rec", DEFAULTS, o));
    if (c.interests !== 1) throw new RangeError("gru4rec: interests must be 1");
    return c;
  },
  create: (config) => new GRU4Rec(config),
};
