/**
 * Config of {@linkcode BprMf}.
 *
 * @module
 */
import {
  GRAPH_CF_DEFAULTS,
  type GraphCfConfig,
  LIGHTGCN_PYTORCH_TRAINING,
} from "../_graph/config.ts";

/** BPR-MF settings (the shared `cf` settings: d, lr, batch, L2, sampler, optimiser). */
export interface BprMfConfig extends GraphCfConfig {
  /** Standard deviation of the normal initialisation of both tables. @default {1} */
  initStd: number;
}

/**
 * Defaults: d 64, lr 1e-3, batch 2048, L2 1e-4 (LightGCN's settings for its MF
 * baseline), trained as LightGCN-PyTorch's `PureMF`: its user sampler, dense
 * Adam, and `nn.Embedding`'s own normal(0, 1) initialisation.
 */
export const BPRMF_DEFAULTS: Readonly<BprMfConfig> = {
  ...GRAPH_CF_DEFAULTS,
  ...LIGHTGCN_PYTORCH_TRAINING,
  initStd: 1,
};
