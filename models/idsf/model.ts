/**
 * IDSF (arXiv 2311.05956) on the `cf` family's BPR loop. Two item modalities
 * from the data layer's side features (categorical fields and title words,
 * see `_modalities.ts`), each projected to `d` as the average of learned
 * `d`-wide word vectors (a linear map of the multi-hot vector), and a third
 * when the run has dense item features (`--item-features`): the standardised
 * feature row times a learned `[F, d]` matrix.
 *
 * - Content module: hierarchical attention, first over the modalities an
 *   item has, then over [fused modalities, ID embedding]; a symmetric InfoNCE
 *   term aligns each pair of modality vectors of the same item (in-batch
 *   negatives), averaged over the pairs.
 * - Structure module: per modality, a light GCN over the user-item graph
 *   whose item layer 0 keeps a share `alpha` of the ID embedding
 *   (`alpha e + (1 - alpha) h`); the modality readouts are averaged (computed
 *   as one propagation of the averaged layer 0, the same numbers).
 * - Item vector = content + structure; user vector = the structure readout.
 *
 * A missing modality (no categories, empty title, no dense row) is masked out
 * of the attention and the alignment, and leaves the item's ID alone in that
 * modality's graph.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { layerMean, stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { IdsfConfig } from "./config.ts";
import { denseModality, itemModalities, type Modality } from "./_modalities.ts";
import { attentionPool, infoNce, shareId } from "./ops.ts";

/** Per-batch (or scoring) outputs of the forward pass. */
interface Forward {
  /** Users then items `[U + N, d]`: the averaged modality-graph readouts. */
  structure: Tensor;
  /** Final item vectors `[N, d]`. */
  items: Tensor;
  /** Projected modality vectors `[N, d]` each. */
  modalities: Tensor[];
}

/**
 * IDSF.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Idsf } from "./model.ts";
 * import { IDSF_DEFAULTS } from "./config.ts";
 * ok(new Idsf(IDSF_DEFAULTS).config.alpha === 0.5);
 * ```
 */
export class Idsf extends GraphCfModel<IdsfConfig> {
  #users!: EmbeddingTable;
  #items!: EmbeddingTable;
  #words: EmbeddingTable[] = [];
  #q1!: Tensor;
  #q2!: Tensor;
  #graph!: SparseMatrix;
  #mods: Modality[] = [];
  /** The dense modality: constant standardised rows `[N, F]` and the projection `[F, d]`. */
  #dense: { x: Tensor; w: Tensor } | undefined;
  /** Presence of every modality (bags, then dense), length N each. */
  #present: Uint8Array[] = [];
  /** Modality pairs of the alignment term, with the items having both. */
  #pairs: { a: number; b: number; both: Uint8Array }[] = [];
  #all = new Int32Array(0);
  #itemRows = new Int32Array(0);
  #maskModalities = new Uint8Array(0);
  #maskTop = new Uint8Array(0);

  /**
   * ID tables, word tables, attention queries, the dense projection and the graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim, U = data.numUsers, N = data.numItems;
    const { categories, title } = itemModalities(data.itemFeatures, N);
    this.#mods = [categories, title];
    this.#users = new EmbeddingTable(normalInit(rng, U * d, 0.1), U, d);
    this.#items = new EmbeddingTable(normalInit(rng, N * d, 0.1), N, d);
    this.#words = this.#mods.map((m) => {
      const rows = Math.max(m.vocab, 1);
      return new EmbeddingTable(normalInit(rng, rows * d, 0.1), rows, d);
    });
    this.#q1 = new Tensor(normalInit(rng, d, 0.1), [d], true);
    this.#q2 = new Tensor(normalInit(rng, d, 0.1), [d], true);
    this.tables = [this.#users, this.#items, ...this.#words];
    this.dense = [this.#q1, this.#q2];
    // Drawn after everything else, so a run without dense features is unchanged.
    const dense = denseModality(data.itemFeatures?.dense, N);
    this.#dense = undefined;
    if (dense) {
      const F = dense.width;
      // Standardised inputs: std 0.1 / sqrt(F) gives projected values of std about 0.1.
      const w = new Tensor(normalInit(rng, F * d, 0.1 / Math.sqrt(F)), [F, d], true);
      this.#dense = { x: new Tensor(dense.values, [N, F]), w };
      this.dense.push(w);
    }
    this.#present = [...this.#mods.map((m) => m.present), ...(dense ? [dense.present] : [])];
    this.#graph = normalizedAdjacency(data);
    this.#all = Int32Array.from({ length: N }, (_, i) => i);
    this.#itemRows = Int32Array.from({ length: N }, (_, i) => U + i);
    const M = this.#present.length;
    this.#maskModalities = new Uint8Array(N * M);
    this.#maskTop = new Uint8Array(N * 2);
    for (let i = 0; i < N; i++) {
      let any = 0;
      this.#present.forEach((present, k) => {
        this.#maskModalities[i * M + k] = present[i];
        any |= present[i];
      });
      this.#maskTop[i * 2] = any;
      this.#maskTop[i * 2 + 1] = 1;
    }
    this.#pairs = [];
    for (let a = 0; a < M; a++) {
      for (let b = a + 1; b < M; b++) {
        const [pa, pb] = [this.#present[a], this.#present[b]];
        this.#pairs.push({ a, b, both: pa.map((v, i) => v & pb[i]) });
      }
    }
    const count = (p: Uint8Array) => p.reduce((s, v) => s + v, 0);
    this.diagnostics = {
      itemsWithCategories: count(categories.present),
      itemsWithTitle: count(title.present),
      ...(dense ? { itemsWithDenseFeatures: count(dense.present) } : {}),
    };
  }

  /** Content, structure and modality vectors of every node. */
  #forward(tape: Tape, ego: Tensor): Forward {
    const c = this.config, U = this.data.numUsers;
    // The bag of word vectors is the modality's linear projection to d (see the README).
    const modalities = this.#mods.map((m, k) => tape.combine(this.#words[k], m, this.#all));
    if (this.#dense) {
      const { x, w } = this.#dense, [N, F] = x.shape;
      modalities.push(tape.matmul(x, w, N, F, c.dim));
    }
    const ids = takeRows(tape, ego, this.#itemRows);
    const fused = attentionPool(tape, modalities, this.#q1, this.#maskModalities);
    const content = attentionPool(tape, [fused, ids], this.#q2, this.#maskTop);
    // Propagation is linear, so the mean of the per-modality readouts is the
    // readout of the mean layer 0: one propagation instead of one per modality.
    const layer0 = this.#present.map((present, k) =>
      shareId(tape, ego, modalities[k], { alpha: c.alpha, present, offset: U })
    );
    const mean = tape.scale(layer0.reduce((s, x) => tape.add(s, x)), 1 / layer0.length);
    const structure = layerMean(tape, this.#graph, mean, c.layers);
    const items = tape.add(content, takeRows(tape, structure, this.#itemRows));
    return { structure, items, modalities };
  }

  /** Distinct batch items having both modalities of a pair, at most `clBatch`, in random order. */
  #contrastItems(batch: BprBatch, both: Uint8Array, rng: Rng): Int32Array {
    const seen = new Set<number>();
    for (const i of batch.positives) if (both[i]) seen.add(i);
    const ids = Int32Array.from(seen).sort();
    rng.shuffle(ids);
    return ids.slice(0, this.config.clBatch);
  }

  /**
   * BPR on `user . (content + structure)`, the contrastive term (the mean
   * over modality pairs with two or more batch items), L2 on the batch's ID rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @param rng The `sampling` stream (which items enter the contrastive term).
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor {
    const U = this.data.numUsers, B = batch.size;
    const ego = stackTables(tape, [this.#users, this.#items]);
    const f = this.#forward(tape, ego);
    const u = takeRows(tape, f.structure, batch.users);
    const p = takeRows(tape, f.items, batch.positives);
    const n = takeRows(tape, f.items, batch.negatives);
    const terms = [bprLoss(tape, tape.rowDot(u, p, B), tape.rowDot(u, n, B))];
    const pos = batch.positives.map((i) => U + i), neg = batch.negatives.map((i) => U + i);
    terms.push(l2Penalty(
      tape,
      [takeRows(tape, ego, batch.users), takeRows(tape, ego, pos), takeRows(tape, ego, neg)],
      this.config.l2,
      B,
    ));
    const aligned: Tensor[] = [];
    for (const pair of this.#pairs) {
      const cl = this.#contrastItems(batch, pair.both, rng);
      if (this.config.lambdaCl > 0 && cl.length >= 2) {
        const [a, b] = [f.modalities[pair.a], f.modalities[pair.b]].map((m) =>
          takeRows(tape, m, cl)
        );
        aligned.push(infoNce(tape, a, b, this.config.temperature));
      }
    }
    if (aligned.length > 0) {
      const sum = aligned.reduce((s, x) => tape.add(s, x));
      terms.push(tape.scale(sum, this.config.lambdaCl / aligned.length));
    }
    return tape.addScalars(...terms);
  }

  /**
   * The structure readout per user, content + structure per item.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const U = this.data.numUsers, d = this.config.dim;
    const tape = new Tape(this.backend, { record: false });
    const ego = new Float32Array(this.#users.data.length + this.#items.data.length);
    ego.set(this.#users.data);
    ego.set(this.#items.data, this.#users.data.length);
    const f = this.#forward(tape, new Tensor(ego, [ego.length / d, d]));
    return { users: f.structure.data.slice(0, U * d), items: f.items.data.slice(), width: d };
  }
}
