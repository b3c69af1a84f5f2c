/**
 * BPR-MF: matrix factorisation with Bayesian personalised ranking.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
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
    'Adam instead of SGD, trained as LightGCN-PyTorch\'s MF baseline (lr 1e-3, batch 2048, L2 1e-4 on batch rows): a uniform user then one of its items per draw (sampler "users"), dense Adam ("adam"), normal(0, 1) init; the former pair sampler, lazy Adam and std 0.1 remain as --set bprmf.sampler=pairs, bprmf.optimizer=lazy-adam, bprmf.initStd=0.1; early stopping on validation Recall@50.',
  protocols: ["cf"],
  defaults: BPRMF_DEFAULTS,
  configure: (overrides) => {
    const c = checkGraphCfConfig("bprmf", mergeConfig("bprmf", BPRMF_DEFAULTS, overrides));
    checkInitStd("bprmf", c.initStd);
    return c;
  },
  create: (config) => new BprMf(config),
};
