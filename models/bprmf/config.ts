/**
 * Config of {@linkcode BprMf}.
 *
 * @module
 */
import { GRAPH_CF_DEFAULTS, type GraphCfConfig } from "../_graph/config.ts";

/** BPR-MF settings (the shared `cf` settings: d, lr, batch, L2). */
export type BprMfConfig = GraphCfConfig;

/** Defaults: d 64, lr 1e-3, batch 2048, L2 1e-4 (LightGCN's settings for its MF baseline). */
export const BPRMF_DEFAULTS: Readonly<BprMfConfig> = { ...GRAPH_CF_DEFAULTS };
