/**
 * Config of {@linkcode EfficientRec}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** EfficientRec settings (`dim` is the item ID part; features add `featureDim`). */
export interface EfficientRecConfig extends GraphCfConfig {
  /** Width of the item-feature part of an item vector, and of the demographic part. @default {16} */
  featureDim: number;
  /** Hidden size of the attention scorer. @default {32} */
  attentionDim: number;
  /** Hidden size of the layer before the sigmoid profile. @default {64} */
  hiddenDim: number;
  /** Items per split of a user's interactions (a random sample when longer). @default {32} */
  maxItems: number;
  /** Triplet margin on Euclidean (not squared) distances between profiles. @default {1} */
  margin: number;
  /**
   * Clusters = width of the sigmoid user profile, which is the soft assignment
   * (the authors' code: 43). @default {43}
   */
  clusters: number;
  /** Clusters a user votes with (the largest profile entries); 0 = all. @default {5} */
  topClusters: number;
  /** Items kept in each cluster's shortlist. @default {200} */
  shortlist: number;
  /** Use the users' demographic fields when the dataset has them (1) or not (0). @default {1} */
  demographics: number;
  /**
   * Share of triplet anchors made of the user's demographics alone (no
   * items), so that demographics learn to stand for a user without history;
   * only with demographics. @default {0.1}
   */
  coldAnchors: number;
}

/** Defaults (inferred where the paper gives no value; see the README). */
export const EFFICIENTREC_DEFAULTS: Readonly<EfficientRecConfig> = {
  ...GRAPH_CF_DEFAULTS,
  // A uniform user per draw: the notebook trains over users, not over ratings.
  sampler: "users",
  dim: 48,
  batchSize: 256,
  featureDim: 16,
  attentionDim: 32,
  hiddenDim: 64,
  maxItems: 32,
  margin: 1,
  clusters: 43,
  topClusters: 5,
  shortlist: 200,
  demographics: 1,
  coldAnchors: 0.1,
};
