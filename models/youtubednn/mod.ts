/**
 * YouTube DNN.
 *
 * @module
 */
import {
  checkSequentialConfig,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { YouTubeDNN } from "./model.ts";

export { YouTubeDNN };

const DEFAULTS: Readonly<SequentialConfig> = { ...SEQUENTIAL_DEFAULTS, interests: 1 };

/** Registry entry of YouTube DNN. */
export const youtubeDnn: ModelSpec<SequentialConfig> = {
  name: "youtubednn",
  title: "YouTube DNN",
  reference:
    "Covington et al., Deep Neural Networks for YouTube Recommendations, RecSys 2016 (as built in ComiRec's code).",
  deviations:
    "One dense layer without bias on the mean-pooled history (the reference code's version), no side features; same sampled-softmax training as the multi-interest models; the mean skips padded positions (REMI's code adds its padding row); see models/youtubednn/README.md.",
  protocols: ["sequential"],
  defaults: DEFAULTS,
  configure: (o) => {
    const c = checkSequentialConfig("youtubednn", mergeConfig("youtubednn", DEFAULTS, o));
    if (c.interests !== 1) throw new RangeError("youtubednn: interests must be 1");
    return c;
  },
  create: (config) => new YouTubeDNN(config),
};
