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
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
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
   * Creates the two tables (normal, std 0.1).
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim;
    this.#users = new EmbeddingTable(normalInit(rng, data.numUsers * d, 0.1), data.numUsers, d);
    this.#items = new EmbeddingTable(normalInit(rng, data.numItems * d, 0.1), data.numItems, d);
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
    const u = tape.gather(this.#users, batch.users);
    const p = tape.gather(this.#items, batch.positives);
    const n = tape.gather(this.#items, batch.negatives);
    const loss = bprLoss(tape, tape.rowDot(u, p, batch.size), tape.rowDot(u, n, batch.size));
    return tape.addScalars(loss, l2Penalty(tape, [u, p, n], this.config.l2, batch.size));
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
