/**
 * Config of {@linkcode Vbpr}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of VBPR (visual Bayesian personalised ranking). */
export interface VbprConfig extends GraphCfConfig {
  /**
   * Width K' of the visual factors `theta_u` and `E f_i` (`dim` is the width
   * K of the latent factors `gamma_u`, `gamma_i`). MMRec: equal to `dim`. @default {64}
   */
  visualDim: number;
  /** Standard deviation of the normal initialisation of every parameter. @default {0.1} */
  initStd: number;
}

/**
 * Defaults: MMRec's (`embedding_size` 64 for both factors, lr 1e-3, batch
 * 2048) with the family's L2 1e-4 (MMRec's grid for `reg_weight`:
 * {2, 1, 1e-1, ..., 1e-5}).
 */
export const VBPR_DEFAULTS: Readonly<VbprConfig> = {
  ...GRAPH_CF_DEFAULTS,
  visualDim: 64,
  initStd: 0.1,
};
