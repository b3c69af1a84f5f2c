/**
 * LATTICE: item-item graphs learned from modality features, combined with the
 * user-item graph (Zhang et al., MM 2021), on the `cf` family's BPR loop.
 *
 * @module
 */
import { checkGraphCfConfig, checkInitStd } from "../_graph/config.ts";
import { checkPositiveIntegers, mergeConfig, type ModelSpec } from "../types.ts";
import { LATTICE_DEFAULTS, type LatticeConfig } from "./config.ts";
import { Lattice } from "./model.ts";
import { latticeItemGraph } from "./ops.ts";

export { Lattice, LATTICE_DEFAULTS, latticeItemGraph };
export type { LatticeConfig };

/**
 * Checks the config.
 *
 * @param overrides Values to change.
 * @returns The full config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { configureLattice } from "./mod.ts";
 * throws(() => configureLattice({ lambda: 2 }), RangeError);
 * ```
 */
export function configureLattice(overrides: Record<string, unknown> = {}): LatticeConfig {
  const c = checkGraphCfConfig("lattice", mergeConfig("lattice", LATTICE_DEFAULTS, overrides));
  checkPositiveIntegers("lattice", c, ["knnK", "featureDim"]);
  const fail = (key: string, want: string, got: number) => {
    throw new RangeError(`Model "lattice" config "${key}" must be ${want}, got ${got}`);
  };
  if (!Number.isInteger(c.layers) || c.layers < 0) fail("layers", "an integer >= 0", c.layers);
  if (!Number.isInteger(c.itemLayers) || c.itemLayers < 0) {
    fail("itemLayers", "an integer >= 0", c.itemLayers);
  }
  if (!(c.lambda >= 0 && c.lambda <= 1)) fail("lambda", "in [0, 1]", c.lambda);
  checkInitStd("lattice", c.initStd);
  return c;
}

/** Registry entry of LATTICE. */
export const lattice: ModelSpec<LatticeConfig> = {
  name: "lattice",
  title: "LATTICE",
  reference: 'Zhang et al., "Mining Latent Structures for Multimedia Recommendation", ACM MM 2021.',
  deviations:
    "Modalities from the dataset (genres/categories and title words as TF-IDF, titles reduced to 128 columns by a fixed random projection) or dense files (standardised) instead of CNN image and sentence-encoder text vectors, and kept fixed (MMRec fine-tunes them); kNN lists of the learned graph chosen every ceil(pairs / batch) batches, their cosines differentiable at every batch (MMRec: the graph rebuilt with a gradient on an epoch's first batch only); cosines clamped at 0; LightGCN's symmetric normalisation without self-loops (MMRec: D^-1 (A + I)); no learning-rate decay (MMRec: 0.96 every 50 epochs); normal(0, 0.1) init; family lr 1e-3, batch 2048, pair sampler, lazy Adam.",
  protocols: ["cf"],
  needsItemFeatures: true,
  defaults: LATTICE_DEFAULTS,
  configure: configureLattice,
  create: (config) => new Lattice(config),
};
