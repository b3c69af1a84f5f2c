/**
 * Config of {@linkcode LightGcn}.
 *
 * @module
 */
import {
  GRAPH_CF_DEFAULTS,
  type GraphCfConfig,
  LIGHTGCN_PYTORCH_TRAINING,
} from "../_graph/config.ts";

/** LightGCN settings. */
export interface LightGcnConfig extends GraphCfConfig {
  /** Propagation layers L. @default {3} */
  layers: number;
  /** Standard deviation of the normal initialisation of the layer-0 embeddings. @default {0.1} */
  initStd: number;
}

/**
 * The LightGCN paper's defaults (He et al., SIGIR 2020, section 4.1): d 64,
 * 3 layers, Adam lr 1e-3, batch 2048, L2 1e-4; trained as the authors'
 * LightGCN-PyTorch does: its user sampler, dense Adam, normal(0, 0.1)
 * initialisation. Also the named preset `LIGHTGCN_PAPER`.
 */
export const LIGHTGCN_DEFAULTS: Readonly<LightGcnConfig> = {
  ...GRAPH_CF_DEFAULTS,
  ...LIGHTGCN_PYTORCH_TRAINING,
  layers: 3,
  initStd: 0.1,
};

/** Named preset: the paper's settings (the same as the defaults). */
export const LIGHTGCN_PAPER: Readonly<LightGcnConfig> = LIGHTGCN_DEFAULTS;
