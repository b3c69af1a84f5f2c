/**
 * Config of {@linkcode Mmgcn}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of MMGCN (a user-item graph per modality). */
export interface MmgcnConfig extends GraphCfConfig {
  /**
   * Graph layers per modality (MMRec's config says `n_layers` 2; its code
   * always runs 3). @default {2}
   */
  layers: number;
  /**
   * Modalities wider than this are first mapped to this width by a learned
   * linear layer (MMRec: the 4,096-d image features to `dim_latent` 256;
   * narrower text features enter as they are). @default {256}
   */
  latent: number;
  /** Slope of the leaky ReLU below 0 (PyTorch's default). @default {0.01} */
  slope: number;
  /** Standard deviation of the normal initialisation of the ID and preference tables. @default {0.1} */
  initStd: number;
}

/**
 * Defaults: MMRec's MMGCN config (d 64, 2 layers, mean aggregation, latent
 * width 256, lr 1e-3, batch 2048) with the family's L2 1e-4 (MMRec's
 * `reg_weight` grid {0, 1e-5, ..., 0.1}).
 */
export const MMGCN_DEFAULTS: Readonly<MmgcnConfig> = {
  ...GRAPH_CF_DEFAULTS,
  layers: 2,
  latent: 256,
  slope: 0.01,
  initStd: 0.1,
};
