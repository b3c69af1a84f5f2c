/**
 * BPR-MF: matrix factorisation with Bayesian personalised ranking.
 *
 * @module
 */
import { checkGraphCfConfig } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { BPRMF_DEFAULTS, type BprMfConfig } from "./config.ts";
import { BprMf } from "./model.ts";

export { BprMf };
export type { BprMfConfig };

/** Registry entry of BPR-MF. */
export const bprMf: ModelSpec<BprMfConfig> = {
  name: "bprmf",
  title: "BPR-MF",
  reference:
    'Rendle et al., "BPR: Bayesian Personalized Ranking from Implicit Feedback", UAI 2009.',
  deviations:
    "Adam (lr 1e-3, batch 2048, L2 1e-4 on batch rows, LightGCN's MF setting) instead of SGD; one uniform negative per training pair per epoch; early stopping on validation Recall@50.",
  protocols: ["cf"],
  defaults: BPRMF_DEFAULTS,
  configure: (overrides) =>
    checkGraphCfConfig("bprmf", mergeConfig("bprmf", BPRMF_DEFAULTS, overrides)),
  create: (config) => new BprMf(config),
};
