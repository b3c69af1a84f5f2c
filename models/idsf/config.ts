/**
 * Config of {@linkcode Idsf}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** Settings of IDSF (ID embedding as subtle features of content and structure). */
export interface IdsfConfig extends GraphCfConfig {
  /** Propagation layers of each modality's light GCN (the authors' code: 2). @default {2} */
  layers: number;
  /**
   * Share of the modality-specific ID embedding added back at every layer of
   * each modality's light GCN (the authors' `--gamma`). @default {0.3}
   */
  gamma: number;
  /** Weight of the contrastive terms, summed (the authors' `--loss_ratio`). @default {1} */
  lossRatio: number;
  /** InfoNCE temperature (the authors' code: 0.5). @default {0.5} */
  temperature: number;
  /** Most distinct batch items in each contrastive term (bounds its B² cost). @default {128} */
  clBatch: number;
}

/**
 * Defaults: the `cf` family's d 64, lr 1e-3, batch 2048, L2 1e-4; IDSF's own
 * terms as the authors' parser sets them (2 layers, gamma 0.3, loss ratio
 * 1.0, tau 0.5).
 */
export const IDSF_DEFAULTS: Readonly<IdsfConfig> = {
  ...GRAPH_CF_DEFAULTS,
  layers: 2,
  gamma: 0.3,
  lossRatio: 1,
  temperature: 0.5,
  clBatch: 128,
};

/**
 * `--loss_ratio` and `--gamma` per dataset as the authors' README runs them
 * (its Clothing line names `--dataset sports`, a typo: the values are the
 * Clothing ones), keyed by recbench's dataset names. Use with
 * `--set idsf.lossRatio=... --set idsf.gamma=...`.
 */
export const IDSF_AUTHOR_SETTINGS: Readonly<
  Record<string, Readonly<Pick<IdsfConfig, "lossRatio" | "gamma">>>
> = {
  "amazon-baby": { lossRatio: 0.3, gamma: 0.3 },
  "amazon-sports-and-outdoors": { lossRatio: 1, gamma: 0.3 },
  "amazon-clothing-shoes-and-jewelry": { lossRatio: 1, gamma: 1 },
};
