/**
 * BPR-MF (Rendle et al., UAI 2009): user and item embedding tables, score =
 * inner product, BPR loss on uniformly sampled negatives.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { EmbeddingTable, type Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprTableLoss } from "../_graph/bpr.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { BprMfConfig } from "./config.ts";

/**
 * Matrix factorisation trained with BPR.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { BprMf } from "./model.ts";
 * import { BPRMF_DEFAULTS } from "./config.ts";
 * ok(new BprMf(BPRMF_DEFAULTS).interests === 1);
 * ```
 */
export class BprMf extends GraphCfModel<BprMfConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;

  /**
   * Creates the two tables (normal, std `initStd`).
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim, std = this.config.initStd;
    this.#users = new EmbeddingTable(normalInit(rng, data.numUsers * d, std), data.numUsers, d);
    this.#items = new EmbeddingTable(normalInit(rng, data.numItems * d, std), data.numItems, d);
    this.tables = [this.#users, this.#items];
  }

  /**
   * BPR plus L2 on the batch's rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    return bprTableLoss(tape, { users: this.#users, items: this.#items }, batch, this.config.l2);
  }

  /**
   * The tables themselves.
   *
   * @returns User and item vectors.
   */
  protected scoringVectors(): ScoringVectors {
    return { users: this.#users.data, items: this.#items.data, width: this.config.dim };
  }
}
