/**
 * Config of {@linkcode Lattice}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of LATTICE (latent item-item structures learned from modalities). */
export interface LatticeConfig extends GraphCfConfig {
  /** LightGCN layers over the user-item graph (MMRec: `len(weight_size)`). @default {2} */
  layers: number;
  /** Propagations over the learned item-item graph (`n_layers`). @default {1} */
  itemLayers: number;
  /** Neighbours kept per item in each modality's graph (`knn_k`). @default {10} */
  knnK: number;
  /** Weight of the graphs of the raw features against the learned ones (`lambda_coeff`). @default {0.9} */
  lambda: number;
  /** Width of the projected features the learned graphs come from (`feat_embed_dim`). @default {64} */
  featureDim: number;
  /** Standard deviation of the normal initialisation of the ID tables. @default {0.1} */
  initStd: number;
}

/**
 * Defaults: MMRec's LATTICE config (LightGCN backbone with 2 layers, 1
 * item-graph layer, k 10, lambda 0.9, feature width 64, d 64, lr 1e-3, batch
 * 2048) and the family's L2 1e-4 (MMRec's `reg_weight` grid {0, 1e-5, 1e-4,
 * 1e-3}), on the final vectors as MMRec's LATTICE puts it.
 */
export const LATTICE_DEFAULTS: Readonly<LatticeConfig> = {
  ...GRAPH_CF_DEFAULTS,
  layers: 2,
  itemLayers: 1,
  knnK: 10,
  lambda: 0.9,
  featureDim: 64,
  initStd: 0.1,
};
