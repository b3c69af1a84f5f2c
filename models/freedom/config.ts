/**
 * Config of {@linkcode Freedom}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of FREEDOM (frozen item-item graphs, denoised user-item graph). */
export interface FreedomConfig extends GraphCfConfig {
  /** LightGCN layers over the user-item graph (MMRec's `n_ui_layers`). @default {2} */
  layers: number;
  /** Propagations over the frozen item-item graph (MMRec's `n_mm_layers`). @default {1} */
  itemLayers: number;
  /** Neighbours kept per item in each modality's graph (`knn_k`). @default {10} */
  knnK: number;
  /**
   * Weight of an `image` or `visual` modality's graph in the sum (`mm_image_weight`);
   * the other modalities share the rest equally (all equal when there is no image modality).
   * @default {0.1}
   */
  imageWeight: number;
  /** Share of user-item edges dropped by degree-sensitive pruning each epoch (`dropout`). @default {0.8} */
  dropout: number;
  /** Weight of the per-modality BPR terms on projected features (MMRec's `reg_weight`). @default {0.0001} */
  featureLoss: number;
  /** Standard deviation of the normal initialisation. @default {0.1} */
  initStd: number;
}

/**
 * Defaults: MMRec's FREEDOM config (2 user-item layers, 1 item-item layer,
 * k 10, image weight 0.1, d 64, lr 1e-3, batch 2048) with the first value of
 * its `dropout` grid {0.8, 0.9} and the middle of its `reg_weight` grid
 * {0, 1e-5, 1e-4, 1e-3}; no L2 on embeddings, as MMRec's FREEDOM has none.
 */
export const FREEDOM_DEFAULTS: Readonly<FreedomConfig> = {
  ...GRAPH_CF_DEFAULTS,
  l2: 0,
  layers: 2,
  itemLayers: 1,
  knnK: 10,
  imageWeight: 0.1,
  dropout: 0.8,
  featureLoss: 0.0001,
  initStd: 0.1,
};
