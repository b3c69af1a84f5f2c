/**
 * Config of {@linkcode Idsf}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of IDSF (ID embedding as subtle features of content and structure). */
export interface IdsfConfig extends GraphCfConfig {
  /** Propagation layers of each modality's light GCN (inferred; 2 for time, LightGCN uses 3). @default {2} */
  layers: number;
  /** Share of the ID embedding kept in each modality graph's item layer 0 (inferred). @default {0.5} */
  alpha: number;
  /** Weight of the contrastive alignment term (inferred). @default {0.1} */
  lambdaCl: number;
  /** InfoNCE temperature (inferred). @default {0.2} */
  temperature: number;
  /** Most distinct batch items in the contrastive term (inferred; bounds its B² cost). @default {128} */
  clBatch: number;
}

/** Defaults: LightGCN's d 64, lr 1e-3, batch 2048, L2 1e-4; 2 layers and the IDSF terms inferred. */
export const IDSF_DEFAULTS: Readonly<IdsfConfig> = {
  ...GRAPH_CF_DEFAULTS,
  layers: 2,
  alpha: 0.5,
  lambdaCl: 0.1,
  temperature: 0.2,
  clBatch: 128,
};
