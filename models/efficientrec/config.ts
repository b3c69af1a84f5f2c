/**
 * Config of {@linkcode EfficientRec}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** EfficientRec settings (`dim` is the ID part; features add `featureDim`). */
export interface EfficientRecConfig extends GraphCfConfig {
  /** Width of the item-feature part of an item vector. @default {16} */
  featureDim: number;
  /** Hidden size of the attention scorer. @default {32} */
  attentionDim: number;
  /** Items per split of a user's interactions (a random sample when longer). @default {32} */
  maxItems: number;
  /** Triplet margin on squared distances. @default {1} */
  margin: number;
  /** User clusters. @default {20} */
  clusters: number;
  /** Sharpness of the sigmoid assignment. @default {20} */
  sharpness: number;
  /** Cosine slack below the nearest cluster that still gives weight 1/2. @default {0.1} */
  slack: number;
  /** Items kept in each cluster's shortlist. @default {200} */
  shortlist: number;
}

/** Defaults (inferred where the paper gives no value; see the README). */
export const EFFICIENTREC_DEFAULTS: Readonly<EfficientRecConfig> = {
  ...GRAPH_CF_DEFAULTS,
  dim: 48,
  batchSize: 256,
  featureDim: 16,
  attentionDim: 32,
  maxItems: 32,
  margin: 1,
  clusters: 20,
  sharpness: 20,
  slack: 0.1,
  shortlist: 200,
};
