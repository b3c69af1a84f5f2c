/**
 * Config of {@linkcode Cagcn}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS } from "../_graph/config.ts";
import type { CirSimilarity } from "../_graph/cir.ts";
import type { LightGcnConfig } from "../lightgcn/config.ts";

/** CAGCN settings: LightGCN's plus the collaboration-aware weights. */
export interface CagcnConfig extends LightGcnConfig {
  /** The Common Interacting Ratio's similarity: `jc`, `sc`, `lhn` or `co`. @default {"jc"} */
  cir: CirSimilarity;
  /** The ratios' coefficient (the authors' `trend_coeff`). @default {1} */
  coeff: number;
  /** CAGCN* (LightGCN's weight plus the ratios) instead of CAGCN. @default {false} */
  fusion: boolean;
}

/**
 * CAGCN as the authors' run scripts train it on Gowalla (`main.py`,
 * `--type jc --trend_coeff 1 --l2 1e-4`): d 64, 3 layers, layer-mean readout,
 * Adam lr 1e-3 (dense), batch 2048, every training pair once per epoch.
 */
export const CAGCN_DEFAULTS: Readonly<CagcnConfig> = {
  ...GRAPH_CF_DEFAULTS,
  optimizer: "adam",
  sampler: "pairs",
  layers: 3,
  initStd: 0.1,
  cir: "jc",
  coeff: 1,
  fusion: false,
};

/**
 * CAGCN* as the authors' scripts train it on ml-1m (`main_fusion.py`,
 * `--type jc --trend_coeff 1 --l2 1e-3`; Gowalla uses coefficient 1.2).
 */
export const CAGCN_STAR_DEFAULTS: Readonly<CagcnConfig> = {
  ...CAGCN_DEFAULTS,
  l2: 0.001,
  fusion: true,
};
