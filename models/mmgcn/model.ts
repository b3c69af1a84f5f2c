/**
 * MMGCN (Wei et al., "MMGCN: Multi-modal Graph Convolution Network for
 * Personalized Recommendation of Micro-video", MM 2019) on the `cf` family's
 * BPR loop, following the paper and MMRec's implementation. Per modality m,
 * on its own copy of the user-item graph:
 *
 * - layer 0: `x = normalise([p_m; f_m])`, users' learned preference vectors
 *   `p_m` above the items' features `f_m` (a modality wider than `latent`
 *   first through a learned linear layer);
 * - each layer l, aggregation (paper Eq. 1-3, mean over neighbours)
 *   `h = lrelu(mean_N(x W_c))`, and combination with the shared ID
 *   embeddings (Eq. 5-7, element-wise form)
 *   `x_hat = lrelu(x W_l + b_l) + e_id`, `x = lrelu(h W_g + b_g + x_hat)`
 *   (the activation around the sum, as MMRec writes it).
 *
 * The node vectors are the mean over modalities of the last layer (Eq. 8's
 * sum, scaled); scoring is the inner product of user and item vectors (Eq. 9),
 * trained with BPR (Eq. 10) and L2 on the batch's ID rows.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { concatRows, leakyRelu, normalizeRows } from "../engine/ops_rows.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { FeatureProjection, itemFeatureMatrices } from "../_graph/features.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { spmm, stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { MmgcnConfig } from "./config.ts";

/** One layer's weights: aggregation, ID combination, output. */
interface Layer {
  conv: Tensor;
  lin: Tensor;
  linBias: Tensor;
  out: Tensor;
  outBias: Tensor;
}

/** One modality's inputs and parameters. */
interface Branch {
  /** The features as they enter layer 0 (`[N, w]`). */
  features: (tape: Tape) => Tensor;
  /** Width w of layer 0. */
  width: number;
  /** Users' preference vectors `[U, w]`. */
  preference: Tensor;
  layers: Layer[];
}

/**
 * The user-item graph with mean aggregation: row r's weights `1 / deg(r)`.
 *
 * @param data Training data.
 * @returns A (non-symmetric) `(U + N)`-square matrix.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { meanAdjacency } from "./model.ts";
 * const a = meanAdjacency(trainingDataFromRows([[0, 1], [1]], 2));
 * ok(a.weights[0] === 0.5 && a.weights[a.ptr[3]] === 0.5);
 * ```
 */
export function meanAdjacency(data: TrainingData): SparseMatrix {
  const a = normalizedAdjacency(data);
  const weights = new Float32Array(a.index.length);
  for (let r = 0; r < a.rows; r++) {
    for (let p = a.ptr[r]; p < a.ptr[r + 1]; p++) weights[p] = 1 / (a.ptr[r + 1] - a.ptr[r]);
  }
  return { rows: a.rows, ptr: a.ptr, index: a.index, weights };
}

/**
 * MMGCN.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Mmgcn } from "./model.ts";
 * import { MMGCN_DEFAULTS } from "./config.ts";
 * ok(new Mmgcn(MMGCN_DEFAULTS).config.layers === 2);
 * ```
 */
export class Mmgcn extends GraphCfModel<MmgcnConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #graph!: SparseMatrix;
  #branches: Branch[] = [];

  /**
   * ID tables, per-modality preferences, projections and layer weights, the graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const c = this.config, d = c.dim, U = data.numUsers, N = data.numItems;
    this.#users = new EmbeddingTable(normalInit(rng, U * d, c.initStd), U, d);
    this.#items = new EmbeddingTable(normalInit(rng, N * d, c.initStd), N, d);
    this.tables = [this.#users, this.#items];
    this.dense = [];
    // Xavier normal, as MMRec initialises every layer.
    const xavier = (rows: number, cols: number) =>
      new Tensor(normalInit(rng, rows * cols, Math.sqrt(2 / (rows + cols))), [rows, cols], true);
    const zeros = (n: number) => new Tensor(new Float32Array(n), [n], true);
    this.#branches = itemFeatureMatrices(data.itemFeatures, N).map((m) => {
      let features: (tape: Tape) => Tensor;
      let width = m.width;
      if (m.width > c.latent) {
        const mlp = new FeatureProjection(m, c.latent, rng);
        this.dense.push(...mlp.parameters);
        features = (tape) => mlp.apply(tape);
        width = c.latent;
      } else {
        const x = new Tensor(m.values, [N, m.width]);
        features = () => x;
      }
      const preference = new Tensor(normalInit(rng, U * width, c.initStd), [U, width], true);
      const layers = Array.from({ length: c.layers }, (_, l) => {
        const w = l === 0 ? width : d;
        return {
          conv: xavier(w, w),
          lin: xavier(w, d),
          linBias: zeros(d),
          out: xavier(w, d),
          outBias: zeros(d),
        };
      });
      this.dense.push(preference, ...layers.flatMap((l) => Object.values(l)));
      return { features, width, preference, layers };
    });
    this.#graph = meanAdjacency(data);
    this.diagnostics = { modalities: this.#branches.length };
  }

  /** Every node's vector: the mean over modalities of the last layer. */
  #forward(tape: Tape): { all: Tensor; ids: Tensor } {
    const c = this.config, d = c.dim, rows = this.#graph.rows;
    const ids = stackTables(tape, [this.#users, this.#items]);
    if (this.#branches.length === 0 || c.layers === 0) return { all: ids, ids };
    const lrelu = (t: Tensor) => leakyRelu(tape, t, c.slope);
    const outs = this.#branches.map((b) => {
      let x = normalizeRows(tape, concatRows(tape, [b.preference, b.features(tape)]));
      b.layers.forEach((layer, l) => {
        const w = l === 0 ? b.width : d;
        const h = lrelu(spmm(tape, this.#graph, tape.matmul(x, layer.conv, rows, w, w)));
        const xHat = tape.add(
          lrelu(tape.add(tape.matmul(x, layer.lin, rows, w, d), layer.linBias)),
          ids,
        );
        const g = tape.add(tape.matmul(h, layer.out, rows, w, d), layer.outBias);
        x = lrelu(tape.add(g, xHat));
      });
      return x;
    });
    const sum = outs.reduce((s, x) => tape.add(s, x));
    return { all: tape.scale(sum, 1 / outs.length), ids };
  }

  /**
   * BPR on the node vectors plus L2 on the batch's ID rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    const U = this.data.numUsers, B = batch.size;
    const { all, ids } = this.#forward(tape);
    const pos = batch.positives.map((i) => U + i), neg = batch.negatives.map((i) => U + i);
    const u = takeRows(tape, all, batch.users);
    const p = takeRows(tape, all, pos), n = takeRows(tape, all, neg);
    const rows = [batch.users, pos, neg].map((r) => takeRows(tape, ids, r));
    return tape.addScalars(
      bprLoss(tape, tape.rowDot(u, p, B), tape.rowDot(u, n, B)),
      l2Penalty(tape, rows, this.config.l2, B),
    );
  }

  /**
   * The node vectors, users then items.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const d = this.config.dim, U = this.data.numUsers;
    const { all } = this.#forward(new Tape(this.backend, { record: false }));
    return { users: all.data.slice(0, U * d), items: all.data.slice(U * d), width: d };
  }
}
