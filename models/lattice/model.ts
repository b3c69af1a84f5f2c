/**
 * LATTICE (Zhang et al., "Mining Latent Structures for Multimedia
 * Recommendation", MM 2021) with its LightGCN backbone, on the `cf` family's
 * BPR loop, following the paper and MMRec's implementation:
 *
 * - Per modality m, the raw features give a fixed kNN graph `O_m` (cosine,
 *   k neighbours, weighted by the similarity, normalised); a learned linear
 *   map gives `z_m = W_m f + b_m`, whose kNN lists are chosen again at the
 *   start of every epoch (as MMRec rebuilds the learned graph) and whose
 *   cosines on those lists stay differentiable at every batch.
 * - Item-item graph `S = (1 - lambda) N(sum_m w_m A_m) + lambda sum_m w_m O_m`,
 *   `w = softmax` of learned logits (`ops.ts`); `h = S^L e_id`.
 * - LightGCN over the user-item graph (`layers`, layer mean).
 * - Item vector = LightGCN readout + `h / |h|`; user vector = LightGCN readout.
 * - Loss: BPR plus L2 on the batch's final vectors (MMRec's placement).
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { normalizeRows } from "../engine/ops_rows.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { FeatureProjection, itemFeatureMatrices } from "../_graph/features.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { EpochClock } from "../_graph/epoch.ts";
import { stateArray, stateList, stateRecord, type TrainingState } from "../engine/checkpoint.ts";
import { cosineKnn, rawKnnGraphs } from "../_graph/knn.ts";
import { layerMean, stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { LatticeConfig } from "./config.ts";
import { latticeItemGraph } from "./ops.ts";

/**
 * LATTICE.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Lattice } from "./model.ts";
 * import { LATTICE_DEFAULTS } from "./config.ts";
 * ok(new Lattice(LATTICE_DEFAULTS).config.lambda === 0.9);
 * ```
 */
export class Lattice extends GraphCfModel<LatticeConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #graph!: SparseMatrix;
  #projections: FeatureProjection[] = [];
  #original: SparseMatrix[] = [];
  #neighbours: Int32Array[] = [];
  #logits!: Tensor;
  #clock!: EpochClock;

  /**
   * Tables, projections, modality weights, the graphs of the raw features and the user-item graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const c = this.config, d = c.dim, U = data.numUsers, N = data.numItems;
    this.#users = new EmbeddingTable(normalInit(rng, U * d, c.initStd), U, d);
    this.#items = new EmbeddingTable(normalInit(rng, N * d, c.initStd), N, d);
    this.tables = [this.#users, this.#items];
    const matrices = itemFeatureMatrices(data.itemFeatures, N);
    this.#projections = matrices.map((m) => new FeatureProjection(m, c.featureDim, rng));
    this.#logits = new Tensor(new Float32Array(matrices.length), [matrices.length], true);
    this.dense = [...this.#projections.flatMap((p) => p.parameters), this.#logits];
    this.#original = rawKnnGraphs(matrices, { k: c.knnK, backend: this.backend, weighted: true });
    this.#neighbours = [];
    this.#graph = normalizedAdjacency(data);
    this.#clock = new EpochClock(data, c.batchSize);
    this.diagnostics = { modalities: matrices.length };
  }

  /**
   * The learned weight of each modality's graph (softmax of the logits), in
   * the order of `itemFeatureMatrices`.
   *
   * @returns One weight per modality.
   */
  modalityWeights(): number[] {
    const l = Array.from(this.#logits.data), mx = Math.max(...l);
    const e = l.map((v) => Math.exp(v - mx)), s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }

  /** Where the epoch clock is and the epoch's kNN lists, for checkpoints. */
  protected override checkpointState(): TrainingState {
    return { clock: this.#clock.checkpointState(), neighbours: this.#neighbours };
  }

  /** @inheritdoc */
  protected override restoreState(state: TrainingState): void {
    this.#clock.restoreState(stateRecord(state.clock, "LATTICE epoch clock"));
    this.#neighbours = stateList(state.neighbours, "LATTICE kNN lists").map((n, i) =>
      stateArray(n, Int32Array, `LATTICE kNN list ${i}`).slice()
    );
  }

  /** Chooses each modality's kNN lists from the current projections. */
  #chooseNeighbours(): void {
    const tape = new Tape(this.backend, { record: false });
    this.#neighbours = this.#projections.map((p) =>
      cosineKnn(p.apply(tape).data, p.out, {
        k: this.config.knnK,
        backend: this.backend,
        present: p.m.present,
      }).neighbours
    );
  }

  /** `h = S^L e_id` over every item. */
  #itemSide(tape: Tape): Tensor {
    const c = this.config;
    return latticeItemGraph(
      tape,
      this.#projections.map((p) => p.apply(tape)),
      this.#logits,
      stackTables(tape, [this.#items]),
      {
        neighbours: this.#neighbours,
        k: c.knnK,
        original: this.#original,
        lambda: c.lambda,
        layers: c.itemLayers,
      },
    );
  }

  /**
   * BPR on the final vectors plus L2 on them.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    const c = this.config, U = this.data.numUsers, B = batch.size;
    if (this.#clock.tick()) this.#chooseNeighbours();
    const h = this.#itemSide(tape);
    const all = layerMean(
      tape,
      this.#graph,
      stackTables(tape, [this.#users, this.#items]),
      c.layers,
    );
    const item = (ids: Int32Array) =>
      tape.add(
        takeRows(tape, all, ids.map((i) => U + i)),
        normalizeRows(tape, takeRows(tape, h, ids)),
      );
    const u = takeRows(tape, all, batch.users);
    const p = item(batch.positives), n = item(batch.negatives);
    return tape.addScalars(
      bprLoss(tape, tape.rowDot(u, p, B), tape.rowDot(u, n, B)),
      l2Penalty(tape, [u, p, n], c.l2, B),
    );
  }

  /**
   * LightGCN readout per user; readout + normalised item-graph term per item,
   * the kNN lists chosen again from the trained projections (as MMRec scores).
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const c = this.config, U = this.data.numUsers, d = c.dim;
    this.#chooseNeighbours();
    const tape = new Tape(this.backend, { record: false });
    const h = normalizeRows(tape, this.#itemSide(tape)).data;
    const all =
      layerMean(tape, this.#graph, stackTables(tape, [this.#users, this.#items]), c.layers)
        .data;
    const items = all.slice(U * d);
    for (let k = 0; k < items.length; k++) items[k] += h[k];
    return { users: all.slice(0, U * d), items, width: d };
  }
}
