/**
 * CAGCN and CAGCN* (Wang et al., WWW 2023): LightGCN whose propagation
 * weights come from the Common Interacting Ratio of each edge
 * (`models/_graph/cir.ts`); everything else (layer-0 tables, layer-mean
 * readout, BPR, L2 on the batch's layer-0 rows) is LightGCN's.
 *
 * @module
 */
import { collaborationAdjacency } from "../_graph/cir.ts";
import type { SparseMatrix } from "../_graph/graph.ts";
import { LightGcn } from "../lightgcn/model.ts";
import type { TrainingData } from "../types.ts";
import type { CagcnConfig } from "./config.ts";

/**
 * CAGCN (or CAGCN* with `fusion`).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Cagcn } from "./model.ts";
 * import { CAGCN_STAR_DEFAULTS } from "./config.ts";
 * ok(new Cagcn(CAGCN_STAR_DEFAULTS).config.fusion);
 * ```
 */
export class Cagcn extends LightGcn<CagcnConfig> {
  /**
   * The collaboration-aware matrix (models read no clock: its build time is
   * printed by `scripts/parity/cagcn_cir.ts`).
   *
   * @param data Training data.
   * @returns Row `i`: the weights of the messages into `i`.
   */
  protected override buildGraph(data: TrainingData): SparseMatrix {
    const c = this.config;
    return collaborationAdjacency(data, { type: c.cir, coeff: c.coeff, fusion: c.fusion });
  }
}
