/**
 * Config of {@linkcode MiFair}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of the multi-interest fairness model. */
export interface MiFairConfig extends GraphCfConfig {
  /** Propagation layers of the LightGCN backbone. @default {3} */
  layers: number;
  /** Virtual interests K per user and item (inferred; not stated in what we had). @default {4} */
  interests: number;
  /**
   * The graph backbone: `lightgcn` (attention over a node's neighbours alone)
   * or `cagcn-star` (CAGCN*'s collaboration-aware edge weights, Jaccard,
   * coefficient 1, enter the attention as a prior: weight x exp(logit)).
   * @default {"lightgcn"}
   */
  backbone: MiFairBackbone;
}

/** The graph a {@linkcode MiFairConfig} propagates over. */
export type MiFairBackbone = "lightgcn" | "cagcn-star";

/** Every accepted backbone. */
export const MIFAIR_BACKBONES: readonly MiFairBackbone[] = ["lightgcn", "cagcn-star"];

/** Defaults: the LightGCN backbone's settings (d 64, 3 layers, lr 1e-3, batch 2048, L2 1e-4), K = 4. */
export const MIFAIR_DEFAULTS: Readonly<MiFairConfig> = {
  ...GRAPH_CF_DEFAULTS,
  layers: 3,
  interests: 4,
  backbone: "lightgcn",
};

/** MI-Fair on CAGCN* (the fairness paper's second backbone), otherwise the defaults. */
export const MIFAIR_CAGCN_DEFAULTS: Readonly<MiFairConfig> = {
  ...MIFAIR_DEFAULTS,
  backbone: "cagcn-star",
};
