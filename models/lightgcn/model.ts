/**
 * LightGCN (He et al., SIGIR 2020): layer-0 user and item embeddings,
 * propagated `L` times over the symmetrically normalised user-item graph
 * without transforms or non-linearities; the readout is the mean of the
 * `L + 1` layers; BPR loss with L2 on the batch's layer-0 rows.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { EmbeddingTable, type Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { layerMean, sparseProduct, stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import { RowPool } from "../_graph/row_pool.ts";
import type { FitContext, TrainingData } from "../types.ts";
import type { LightGcnConfig } from "./config.ts";

/**
 * Layer-mean readout computed without a tape (scoring).
 *
 * @param a Normalised adjacency.
 * @param x Layer-0 rows.
 * @param dim Width.
 * @param layers L.
 * @param options `pool`: threads to split the products over (default: this thread).
 * @returns The readout.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { layerMeanValues } from "./model.ts";
 * const a = { rows: 1, ptr: Int32Array.of(0, 1), index: Int32Array.of(0), weights: Float32Array.of(3) };
 * ok(layerMeanValues(a, Float32Array.of(1), 1, 1)[0] === 2);
 * ```
 */
export function layerMeanValues(
  a: SparseMatrix,
  x: Float32Array,
  dim: number,
  layers: number,
  options: { pool?: RowPool } = {},
): Float32Array {
  const sum = Float32Array.from(x);
  let h = x;
  for (let l = 0; l < layers; l++) {
    h = sparseProduct(a, h, dim, options);
    for (let i = 0; i < sum.length; i++) sum[i] += h[i];
  }
  for (let i = 0; i < sum.length; i++) sum[i] /= layers + 1;
  return sum;
}

/**
 * LightGCN.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { LightGcn } from "./model.ts";
 * import { LIGHTGCN_DEFAULTS } from "./config.ts";
 * ok(new LightGcn(LIGHTGCN_DEFAULTS).config.layers === 3);
 * ```
 */
export class LightGcn<C extends LightGcnConfig = LightGcnConfig> extends GraphCfModel<C> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #graph!: SparseMatrix;
  #pool: RowPool | undefined;

  /**
   * Trains with the propagation split over `context.threads` threads
   * (default 1); the workers end when training does. The thread count
   * changes no value.
   *
   * @param data Training data.
   * @param context Streams, backend, budget, validation, threads.
   */
  override fit(data: TrainingData, context: FitContext): void {
    this.#pool = new RowPool(context.threads ?? 1);
    try {
      super.fit(data, context);
    } finally {
      this.#pool.close();
      this.#pool = undefined;
    }
  }

  /**
   * Layer-0 tables (normal, std `initStd`) and the normalised graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim, std = this.config.initStd;
    this.#users = new EmbeddingTable(normalInit(rng, data.numUsers * d, std), data.numUsers, d);
    this.#items = new EmbeddingTable(normalInit(rng, data.numItems * d, std), data.numItems, d);
    this.tables = [this.#users, this.#items];
    this.#graph = this.buildGraph(data);
  }

  /**
   * The propagation matrix (row `i` holds the weights of the messages into
   * node `i`): LightGCN's symmetric normalisation; CAGCN changes the weights.
   *
   * @param data Training data.
   * @returns The matrix.
   */
  protected buildGraph(data: TrainingData): SparseMatrix {
    return normalizedAdjacency(data);
  }

  /**
   * Propagates the whole graph, then BPR on the batch's readout rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    const U = this.data.numUsers;
    const ego = stackTables(tape, [this.#users, this.#items]);
    const all = layerMean(tape, this.#graph, ego, this.config.layers, { pool: this.#pool });
    const pos = batch.positives.map((i) => U + i), neg = batch.negatives.map((i) => U + i);
    const u = takeRows(tape, all, batch.users);
    const p = takeRows(tape, all, pos), n = takeRows(tape, all, neg);
    const loss = bprLoss(tape, tape.rowDot(u, p, batch.size), tape.rowDot(u, n, batch.size));
    const reg = l2Penalty(
      tape,
      [takeRows(tape, ego, batch.users), takeRows(tape, ego, pos), takeRows(tape, ego, neg)],
      this.config.l2,
      batch.size,
    );
    return tape.addScalars(loss, reg);
  }

  /**
   * The layer-mean readout of the trained tables.
   *
   * @returns User and item vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const U = this.data.numUsers, d = this.config.dim;
    const ego = new Float32Array(this.#users.data.length + this.#items.data.length);
    ego.set(this.#users.data);
    ego.set(this.#items.data, this.#users.data.length);
    const all = layerMeanValues(this.#graph, ego, d, this.config.layers, { pool: this.#pool });
    return { users: all.subarray(0, U * d), items: all.subarray(U * d), width: d };
  }
}
