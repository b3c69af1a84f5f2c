/**
 * FREEDOM (Zhou and Shen, "A Tale of Two Graphs: Freezing and Denoising Graph
 * Structures for Multimodal Recommendation", MM 2023) on the `cf` family's
 * BPR loop, following the paper and MMRec's implementation:
 *
 * - Frozen item-item graph (paper Sec. 3.1): per modality, each item's `k`
 *   nearest items by cosine of the raw features, unweighted, normalised
 *   `D^-1/2 A D^-1/2`; the modalities' graphs summed with weights
 *   (`imageWeight` for an image modality); built once before training.
 *   Item side `h = S^L_i e_id` (`itemLayers` propagations of the item IDs).
 * - Denoised user-item graph (Sec. 3.2): each epoch keeps a share
 *   `1 - dropout` of the training edges, drawn without replacement with
 *   probability proportional to `1 / sqrt(d_u d_i)` (degree-sensitive
 *   pruning), renormalised; LightGCN over it (`layers`, layer mean).
 *   Scoring propagates over the full graph.
 * - Item vector = LightGCN readout + `h`; user vector = LightGCN readout.
 * - Loss (Sec. 3.3): BPR on the final vectors plus `featureLoss` times, per
 *   modality, BPR of the user readout against the items' projected features
 *   `W_m f_i + b_m`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { EmbeddingTable, type Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { FeatureProjection, itemFeatureMatrices } from "../_graph/features.ts";
import { distinctUserItems, normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { EpochClock } from "../_graph/epoch.ts";
import { stateArray, stateRecord, type TrainingState } from "../engine/checkpoint.ts";
import { rawKnnGraphs, weightedSum } from "../_graph/knn.ts";
import { layerMean, sparseProduct, spmm, stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import { layerMeanValues } from "../lightgcn/mod.ts";
import type { TrainingData } from "../types.ts";
import type { FreedomConfig } from "./config.ts";

/**
 * The weight of each modality's graph: `imageWeight` for one named `image`
 * or `visual`, the rest shared equally by the others (FREEDOM's
 * `mm_image_weight` generalised past two modalities).
 *
 * @param names Modality names.
 * @param imageWeight The image graph's weight.
 * @returns One weight per name, summing to 1.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { modalityWeights } from "./model.ts";
 * deepStrictEqual(modalityWeights(["image", "text"], 0.1), [0.1, 0.9]);
 * deepStrictEqual(modalityWeights(["categories", "title"], 0.1), [0.5, 0.5]);
 * ```
 */
export function modalityWeights(names: readonly string[], imageWeight: number): number[] {
  const isImage = names.map((n) => n === "image" || n === "visual");
  const images = isImage.filter(Boolean).length, others = names.length - images;
  if (images === 0 || others === 0) return names.map(() => 1 / names.length);
  return isImage.map((v) => v ? imageWeight / images : (1 - imageWeight) / others);
}

/**
 * Degree-sensitive edge pruning: `keep` distinct training pairs drawn without
 * replacement with probability proportional to `1 / sqrt(d_u d_i)` (as
 * `torch.multinomial(values, keep)`), by Efraimidis-Spirakis keys
 * `ln(r) / w` (the `keep` largest).
 *
 * @param data Training data.
 * @param keep Edges to keep.
 * @param rng The stream drawn from.
 * @returns `user * numItems + item` of each kept edge.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { pruneEdges } from "./model.ts";
 * ok(pruneEdges(trainingDataFromRows([[0, 1], [1]], 2), 2, new Rng(1)).size === 2);
 * ```
 */
export function pruneEdges(data: TrainingData, keep: number, rng: Rng): Set<number> {
  const { ptr, items } = distinctUserItems(data);
  const degI = new Float64Array(data.numItems);
  for (const i of items) degI[i]++;
  const keys = new Float64Array(items.length), codes = new Float64Array(items.length);
  for (let u = 0; u < data.numUsers; u++) {
    for (let p = ptr[u]; p < ptr[u + 1]; p++) {
      const w = 1 / Math.sqrt((ptr[u + 1] - ptr[u]) * degI[items[p]]);
      keys[p] = Math.log(1 - rng.float()) / w;
      codes[p] = u * data.numItems + items[p];
    }
  }
  const order = Int32Array.from(keys.keys()).sort((a, b) => keys[b] - keys[a] || a - b);
  return new Set(Array.from(order.subarray(0, keep), (p) => codes[p]));
}

/**
 * FREEDOM.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Freedom } from "./model.ts";
 * import { FREEDOM_DEFAULTS } from "./config.ts";
 * ok(new Freedom(FREEDOM_DEFAULTS).config.knnK === 10);
 * ```
 */
export class Freedom extends GraphCfModel<FreedomConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #full!: SparseMatrix;
  #pruned!: SparseMatrix;
  #itemGraph!: SparseMatrix;
  #projections: FeatureProjection[] = [];
  #clock!: EpochClock;

  /**
   * Tables, feature projections, the full user-item graph and the frozen item-item graph.
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
    this.#projections = matrices.map((m) => new FeatureProjection(m, d, rng));
    this.dense = this.#projections.flatMap((p) => p.parameters);
    this.#full = normalizedAdjacency(data);
    this.#pruned = this.#full;
    const graphs = rawKnnGraphs(matrices, { k: c.knnK, backend: this.backend });
    this.#itemGraph = graphs.length > 0
      ? weightedSum(graphs, modalityWeights(matrices.map((m) => m.name), c.imageWeight))
      : identity(N);
    this.#clock = new EpochClock(data, c.batchSize);
    this.diagnostics = {
      modalities: matrices.length,
      itemGraphEdges: this.#itemGraph.index.length,
    };
  }

  /** Where the epoch clock is and the epoch's pruned graph, for checkpoints. */
  protected override checkpointState(): TrainingState {
    const p = this.#pruned;
    return {
      clock: this.#clock.checkpointState(),
      pruned: p === this.#full ? null : { ptr: p.ptr, index: p.index, weights: p.weights },
    };
  }

  /** @inheritdoc */
  protected override restoreState(state: TrainingState): void {
    this.#clock.restoreState(stateRecord(state.clock, "FREEDOM epoch clock"));
    if (state.pruned === null) {
      this.#pruned = this.#full;
      return;
    }
    const p = stateRecord(state.pruned, "FREEDOM pruned graph");
    const rows = this.#full.rows;
    this.#pruned = {
      rows,
      ptr: stateArray(p.ptr, Int32Array, "FREEDOM pruned graph rows", rows + 1).slice(),
      index: stateArray(p.index, Int32Array, "FREEDOM pruned graph columns").slice(),
      weights: stateArray(p.weights, Float32Array, "FREEDOM pruned graph weights").slice(),
      ...(this.#full.symmetric ? { symmetric: true } : {}),
    };
  }

  /** Draws the epoch's pruned graph. */
  #prune(rng: Rng): void {
    const c = this.config;
    if (c.dropout === 0) {
      this.#pruned = this.#full;
      return;
    }
    const edges = this.#full.index.length / 2;
    const kept = pruneEdges(this.data, Math.floor(edges * (1 - c.dropout)), rng);
    const N = this.data.numItems;
    this.#pruned = normalizedAdjacency(this.data, { keep: (u, i) => kept.has(u * N + i) });
  }

  /**
   * BPR on the final vectors, the per-modality feature BPR terms, L2 on layer-0 rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @param rng The `sampling` stream (the epoch's pruned graph).
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor {
    const c = this.config, U = this.data.numUsers, B = batch.size;
    if (this.#clock.tick()) this.#prune(rng);
    const ego = stackTables(tape, [this.#users, this.#items]);
    const all = layerMean(tape, this.#pruned, ego, c.layers);
    let h = stackTables(tape, [this.#items]);
    for (let l = 0; l < c.itemLayers; l++) h = spmm(tape, this.#itemGraph, h);
    const pos = batch.positives.map((i) => U + i), neg = batch.negatives.map((i) => U + i);
    const u = takeRows(tape, all, batch.users);
    const p = tape.add(takeRows(tape, all, pos), takeRows(tape, h, batch.positives));
    const n = tape.add(takeRows(tape, all, neg), takeRows(tape, h, batch.negatives));
    const terms = [bprLoss(tape, tape.rowDot(u, p, B), tape.rowDot(u, n, B))];
    if (c.featureLoss > 0) {
      for (const proj of this.#projections) {
        const fp = proj.apply(tape, batch.positives), fn = proj.apply(tape, batch.negatives);
        const term = bprLoss(tape, tape.rowDot(u, fp, B), tape.rowDot(u, fn, B));
        terms.push(tape.scale(term, c.featureLoss));
      }
    }
    if (c.l2 > 0) {
      const rows = [takeRows(tape, ego, batch.users), takeRows(tape, ego, pos)];
      terms.push(l2Penalty(tape, [...rows, takeRows(tape, ego, neg)], c.l2, B));
    }
    return tape.addScalars(...terms);
  }

  /**
   * LightGCN over the full graph; items add the item-graph term.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const c = this.config, U = this.data.numUsers, d = c.dim;
    const ego = new Float32Array((U + this.data.numItems) * d);
    ego.set(this.#users.data);
    ego.set(this.#items.data, U * d);
    const all = layerMeanValues(this.#full, ego, d, c.layers);
    let h = this.#items.data;
    for (let l = 0; l < c.itemLayers; l++) h = sparseProduct(this.#itemGraph, h, d);
    const items = all.slice(U * d);
    for (let k = 0; k < items.length; k++) items[k] += h[k];
    return { users: all.subarray(0, U * d), items, width: d };
  }
}

/** The `n`-square identity (the item graph when no modality exists). */
function identity(n: number): SparseMatrix {
  return {
    rows: n,
    ptr: Int32Array.from({ length: n + 1 }, (_, i) => i),
    index: Int32Array.from({ length: n }, (_, i) => i),
    weights: new Float32Array(n).fill(1),
    symmetric: true,
  };
}
