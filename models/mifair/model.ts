/**
 * The multi-interest fairness model (Zhao et al., WWW 2024) on a LightGCN
 * backbone. Each user and item has a center embedding. At every layer the
 * interest embedding generator gives each node K virtual interest embeddings,
 * attention-weighted means of its neighbours' centers (for a user: the items
 * it interacted with), a neighbour related to the globally shared interest
 * `w_k` weighing more in interest k (`interestPool`); the center embedding
 * aggregator then takes, as the node's next center, the virtual embedding
 * closest to its current center (an argmax), so the next layer reaches one
 * hop further. The readout is the layer mean of the centers. A user is scored
 * by K vectors, each the mean of its readout center and its k-th virtual
 * interest generated from its items' readouts; an item by its readout center;
 * the score is the max over the user's K vectors (BPR on that max in
 * training; the shared ranking merges the K rows by max).
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { collaborationAdjacency } from "../_graph/cir.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprSampler } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { MiFairConfig } from "./config.ts";
import { closestInterest, interestPool } from "./ops.ts";

type BprBatch = ReturnType<BprSampler["next"]>;

/**
 * The multi-interest fairness model.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MiFair } from "./model.ts";
 * import { MIFAIR_DEFAULTS } from "./config.ts";
 * ok(new MiFair(MIFAIR_DEFAULTS).interests === 4);
 * ```
 */
export class MiFair extends GraphCfModel<MiFairConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #w!: Tensor;
  #graph!: SparseMatrix;

  /** CAGCN*'s weights enter the attention as a prior; LightGCN's are ignored. */
  get #weighted(): boolean {
    return this.config.backbone === "cagcn-star";
  }

  /** @param config Settings. */
  constructor(config: MiFairConfig) {
    super(config);
    this.rowsPerUser = config.interests;
  }

  /**
   * Center tables, interest parameters and the graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim, K = this.config.interests;
    this.#users = new EmbeddingTable(normalInit(rng, data.numUsers * d, 0.1), data.numUsers, d);
    this.#items = new EmbeddingTable(normalInit(rng, data.numItems * d, 0.1), data.numItems, d);
    this.#w = new Tensor(normalInit(rng, K * d, 0.1), [K, d], true);
    this.tables = [this.#users, this.#items];
    this.dense = [this.#w];
    this.#graph = this.config.backbone === "cagcn-star"
      ? collaborationAdjacency(data, { type: "jc", coeff: 1, fusion: true })
      : normalizedAdjacency(data);
  }

  /** Layer-mean readout of the centers; each layer's centers are the closest virtual interests. */
  #propagate(tape: Tape, ego: Tensor): Tensor {
    const K = this.config.interests, d = this.config.dim;
    let c = ego, sum = ego;
    for (let l = 0; l < this.config.layers; l++) {
      const m = interestPool(tape, this.#graph, c, this.#w, { weighted: this.#weighted });
      c = tape.pick(m, c.size / d, K, closestInterest(c, m));
      sum = tape.add(sum, c);
    }
    return tape.scale(sum, 1 / (this.config.layers + 1));
  }

  /**
   * The K scoring vectors of `users`, `[B, K, d]`: (readout center + k-th
   * virtual interest) / 2; each distinct user's interests are pooled once.
   */
  #userInterests(tape: Tape, all: Tensor, users: Int32Array): Tensor {
    const K = this.config.interests, B = users.length;
    const distinct = Int32Array.from(new Set(users)).sort();
    const slot = new Map<number, number>();
    distinct.forEach((u, s) => slot.set(u, s));
    const pooled = interestPool(tape, this.#graph, all, this.#w, {
      rows: distinct,
      weighted: this.#weighted,
    });
    const perSlot = new Int32Array(B * K), repeated = new Int32Array(B * K);
    for (let b = 0; b < B; b++) {
      const s = slot.get(users[b])!;
      for (let k = 0; k < K; k++) perSlot[b * K + k] = s * K + k;
      repeated.fill(users[b], b * K, (b + 1) * K);
    }
    const m = takeRows(tape, pooled, perSlot);
    return tape.scale(tape.add(m, takeRows(tape, all, repeated)), 0.5);
  }

  /** Max over the user's interests of `interest . item`, `[B]`, and which interest. */
  #maxScore(tape: Tape, userInterests: Tensor, items: Tensor, batch: number): Tensor {
    const K = this.config.interests, d = this.config.dim;
    const s = tape.bmm(userInterests, items, batch, K, d, 1);
    const idx = new Int32Array(batch);
    for (let b = 0; b < batch; b++) {
      for (let k = 1; k < K; k++) if (s.data[b * K + k] > s.data[b * K + idx[b]]) idx[b] = k;
    }
    return tape.pick(s, batch, K, idx);
  }

  /**
   * BPR on the max-interest score, L2 on the batch's layer-0 rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    const U = this.data.numUsers, B = batch.size;
    const ego = stackTables(tape, [this.#users, this.#items]);
    const all = this.#propagate(tape, ego);
    const pos = batch.positives.map((i) => U + i), neg = batch.negatives.map((i) => U + i);
    const ui = this.#userInterests(tape, all, batch.users);
    const p = takeRows(tape, all, pos), n = takeRows(tape, all, neg);
    const loss = bprLoss(tape, this.#maxScore(tape, ui, p, B), this.#maxScore(tape, ui, n, B));
    const reg = l2Penalty(
      tape,
      [takeRows(tape, ego, batch.users), takeRows(tape, ego, pos), takeRows(tape, ego, neg)],
      this.config.l2,
      B,
    );
    return tape.addScalars(loss, reg);
  }

  /**
   * K interest vectors per user, the readout center per item.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const U = this.data.numUsers, d = this.config.dim;
    const tape = new Tape(this.backend ?? new TypeScriptBackend(), { record: false });
    const ego = new Float32Array(this.#users.data.length + this.#items.data.length);
    ego.set(this.#users.data);
    ego.set(this.#items.data, this.#users.data.length);
    const all = this.#propagate(tape, new Tensor(ego, [ego.length / d, d]));
    const users = this.#userInterests(tape, all, Int32Array.from({ length: U }, (_, u) => u));
    return { users: users.data, items: all.data.slice(U * d), width: d };
  }
}
