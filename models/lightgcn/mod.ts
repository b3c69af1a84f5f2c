/**
 * LightGCN: linear propagation over the user-item graph with a layer-mean readout.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import { LIGHTGCN_DEFAULTS, LIGHTGCN_PAPER, type LightGcnConfig } from "./config.ts";
import { layerMeanValues, LightGcn } from "./model.ts";

export { layerMeanValues, LightGcn, LIGHTGCN_PAPER };
export type { LightGcnConfig };

/**
 * Checks LightGCN's config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureLightGcn } from "./mod.ts";
 * throws(() => configureLightGcn({ layers: -1 }), RangeError);
 * ```
 */
export function configureLightGcn(overrides: Record<string, unknown> = {}): LightGcnConfig {
  const c = checkGraphCfConfig("lightgcn", mergeConfig("lightgcn", LIGHTGCN_DEFAULTS, overrides));
  if (!Number.isInteger(c.layers) || c.layers < 0) {
    throw new RangeError(
      `Model "lightgcn" config "layers" must be an integer >= 0, got ${c.layers}`,
    );
  }
  checkInitStd("lightgcn", c.initStd);
  return c;
}

/** Registry entry of LightGCN. */
export const lightGcn: ModelSpec<LightGcnConfig> = {
  name: "lightgcn",
  title: "LightGCN",
  reference:
    'He et al., "LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation", SIGIR 2020.',
  deviations:
    'Paper defaults (d 64, 3 layers, Adam lr 1e-3, batch 2048, L2 1e-4), trained as LightGCN-PyTorch: a uniform user then one of its items per draw (sampler "users"), dense Adam ("adam"), normal(0, 0.1) init; the former pair sampler and lazy Adam remain as --set lightgcn.sampler=pairs, lightgcn.optimizer=lazy-adam; early stopping on validation Recall@50 under the run\'s shared budget.',
  protocols: ["cf"],
  defaults: LIGHTGCN_DEFAULTS,
  configure: configureLightGcn,
  create: (config) => new LightGcn(config),
};
