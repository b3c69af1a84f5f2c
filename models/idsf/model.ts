/**
 * IDSF (arXiv 2311.05956) on the `cf` family's BPR loop, following the paper
 * and the authors' code (github.com/VanillaCreamer/IDSF). Item modalities come
 * from the data layer's side features (categorical fields and title words,
 * see `../_graph/modalities.ts`; each the average of learned `d`-wide word vectors, a
 * linear map of the multi-hot vector) and from dense feature files
 * (`--item-features [name=]PATH`, one modality per file: the standardised row
 * times a learned `[F, d]` matrix). Every modality m has its own item ID
 * embedding `id_m` and its own user preference embedding `p_m`.
 *
 * - Content module (hierarchical attention): per modality, the projected
 *   features fused with that modality's ID, `s_m = att(h_m, id_m)`; then the
 *   modalities' fused vectors fused, `content = att(s_1, .., s_M)`.
 *   Contrastive terms (summed, times `lossRatio`) align, per modality,
 *   `h_m` with `s_m`, `id_m` with `s_m` and `s_m` with `content`.
 * - Structure module: per modality a light GCN over the user-item graph from
 *   `x0 = [p_m; h_m]`, keeping a share `gamma` of the modality-specific IDs
 *   `[user ID; id_m]` at every layer, `x[l+1] = A x[l] + gamma [u; id_m]`,
 *   layer-mean readout; users and items each fuse their modality readouts by
 *   attention.
 * - Item vector = content + structure; user vector = the fused user readout.
 *
 * A missing modality (no categories, empty title, no dense row) is masked out
 * of its ID fusion (leaving `s_m = id_m`), leaves `id_m` as the item's layer 0
 * in that modality's graph, and keeps the item out of the `h_m`-`s_m` term.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { normalizedAdjacency, type SparseMatrix } from "../_graph/graph.ts";
import { stackTables, takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { IdsfConfig } from "./config.ts";
import { denseModality, itemModalities } from "../_graph/modalities.ts";
import { attentionPool, infoNce, modalityGraph, shareId } from "./ops.ts";

/** Per-batch (or scoring) outputs of the forward pass. */
interface Forward {
  /** Users `[U, d]`: the fused modality-graph readouts. */
  users: Tensor;
  /** Final item vectors `[N, d]`. */
  items: Tensor;
  /** Per modality: projected features, ID-fused vector, ID embedding, `[N, d]` each. */
  modalities: { h: Tensor; fused: Tensor; id: Tensor }[];
  /** Content vectors `[N, d]`. */
  content: Tensor;
}

/** One modality's inputs and parameters. */
interface ModalityParts {
  /** Name, for diagnostics. */
  name: string;
  /** 1 where the item has the modality. */
  present: Uint8Array;
  /** Projects the modality to `[N, d]`. */
  project: (tape: Tape) => Tensor;
  /** Modality-specific item ID embedding. */
  id: EmbeddingTable;
  /** Modality-specific user preference embedding (the graph's user layer 0). */
  pref: EmbeddingTable;
  /** Query of the features-ID fusion. */
  q: Tensor;
  /** `[N * 2]` mask of [features, ID]. */
  mask: Uint8Array;
}

/**
 * IDSF.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Idsf } from "./model.ts";
 * import { IDSF_DEFAULTS } from "./config.ts";
 * ok(new Idsf(IDSF_DEFAULTS).config.gamma === 0.3);
 * ```
 */
export class Idsf extends GraphCfModel<IdsfConfig> {
  #users!: EmbeddingTable;
  #parts: ModalityParts[] = [];
  #qContent!: Tensor;
  #qUser!: Tensor;
  #qItem!: Tensor;
  #graph!: SparseMatrix;
  #all = new Int32Array(0);
  #userRows = new Int32Array(0);
  #itemRows = new Int32Array(0);

  /**
   * ID, preference and word tables, queries, dense projections and the graph.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const d = this.config.dim, U = data.numUsers, N = data.numItems;
    const table = (rows: number) => new EmbeddingTable(normalInit(rng, rows * d, 0.1), rows, d);
    const vector = () => new Tensor(normalInit(rng, d, 0.1), [d], true);
    this.#all = Int32Array.from({ length: N }, (_, i) => i);
    this.#userRows = Int32Array.from({ length: U }, (_, u) => u);
    this.#itemRows = Int32Array.from({ length: N }, (_, i) => U + i);
    this.#users = table(U);
    this.tables = [this.#users];
    this.dense = [];
    const parts: ModalityParts[] = [];
    const add = (name: string, present: Uint8Array, project: (tape: Tape) => Tensor) => {
      const mask = new Uint8Array(N * 2);
      for (let i = 0; i < N; i++) [mask[2 * i], mask[2 * i + 1]] = [present[i], 1];
      const part = { name, present, project, id: table(N), pref: table(U), q: vector(), mask };
      this.tables.push(part.id, part.pref);
      this.dense.push(part.q);
      parts.push(part);
    };
    const { categories, title } = itemModalities(data.itemFeatures, N);
    for (const [name, bag] of [["categories", categories], ["title", title]] as const) {
      const words = table(Math.max(bag.vocab, 1));
      this.tables.push(words);
      add(name, bag.present, (tape) => tape.combine(words, bag, this.#all));
    }
    for (const file of data.itemFeatures?.dense ?? []) {
      const dense = denseModality(file, N)!;
      const F = dense.width;
      // Standardised inputs: std 0.1 / sqrt(F) gives projected values of std about 0.1.
      const w = new Tensor(normalInit(rng, F * d, 0.1 / Math.sqrt(F)), [F, d], true);
      const x = new Tensor(dense.values, [N, F]);
      this.dense.push(w);
      add(file.modality, dense.present, (tape) => tape.matmul(x, w, N, F, d));
    }
    this.#parts = parts;
    this.#qContent = vector();
    this.#qUser = vector();
    this.#qItem = vector();
    this.dense.push(this.#qContent, this.#qUser, this.#qItem);
    this.#graph = normalizedAdjacency(data);
    const count = (p: Uint8Array) => p.reduce((s, v) => s + v, 0);
    this.diagnostics = Object.fromEntries(
      parts.map((p) => [`itemsWith:${p.name}`, count(p.present)]),
    );
  }

  /** Content, structure and per-modality vectors of every node. */
  #forward(tape: Tape): Forward {
    const c = this.config, U = this.data.numUsers, N = this.data.numItems, M = this.#parts.length;
    const modalities = this.#parts.map((p) => {
      const h = p.project(tape);
      const id = stackTables(tape, [p.id]);
      return { h, id, fused: attentionPool(tape, [h, id], p.q, p.mask) };
    });
    const ones = new Uint8Array(N * M).fill(1);
    const content = attentionPool(tape, modalities.map((m) => m.fused), this.#qContent, ones);
    const readouts = this.#parts.map((p, k) => {
      const layer0 = shareId(tape, stackTables(tape, [p.pref, p.id]), modalities[k].h, {
        alpha: 0,
        present: p.present,
        offset: U,
      });
      const ids = stackTables(tape, [this.#users, p.id]);
      return modalityGraph(tape, this.#graph, layer0, ids, { gamma: c.gamma, layers: c.layers });
    });
    const users = attentionPool(
      tape,
      readouts.map((r) => takeRows(tape, r, this.#userRows)),
      this.#qUser,
      new Uint8Array(U * M).fill(1),
    );
    const structure = attentionPool(
      tape,
      readouts.map((r) => takeRows(tape, r, this.#itemRows)),
      this.#qItem,
      ones,
    );
    return { users, items: tape.add(content, structure), modalities, content };
  }

  /** Distinct batch items with `keep` set, at most `clBatch`, in random order. */
  #contrastItems(batch: BprBatch, keep: Uint8Array | undefined, rng: Rng): Int32Array {
    const seen = new Set<number>();
    for (const i of batch.positives) if (!keep || keep[i]) seen.add(i);
    const ids = Int32Array.from(seen).sort();
    rng.shuffle(ids);
    return ids.slice(0, this.config.clBatch);
  }

  /**
   * BPR on `user . (content + structure)`, the contrastive terms (summed,
   * times `lossRatio`), L2 on the batch's layer-0 ID and preference rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @param rng The `sampling` stream (which items enter the contrastive terms).
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor {
    const B = batch.size;
    const f = this.#forward(tape);
    const u = takeRows(tape, f.users, batch.users);
    const p = takeRows(tape, f.items, batch.positives);
    const n = takeRows(tape, f.items, batch.negatives);
    const terms = [bprLoss(tape, tape.rowDot(u, p, B), tape.rowDot(u, n, B))];
    const rows = [takeRows(tape, stackTables(tape, [this.#users]), batch.users)];
    this.#parts.forEach((part, k) => {
      rows.push(takeRows(tape, stackTables(tape, [part.pref]), batch.users));
      const id = f.modalities[k].id;
      rows.push(takeRows(tape, id, batch.positives), takeRows(tape, id, batch.negatives));
    });
    terms.push(l2Penalty(tape, rows, this.config.l2, B));
    if (this.config.lossRatio > 0) {
      const aligned: Tensor[] = [];
      const align = (x: Tensor, y: Tensor, keep?: Uint8Array) => {
        const cl = this.#contrastItems(batch, keep, rng);
        if (cl.length < 2) return;
        aligned.push(
          infoNce(tape, takeRows(tape, x, cl), takeRows(tape, y, cl), this.config.temperature),
        );
      };
      this.#parts.forEach((part, k) => {
        const m = f.modalities[k];
        align(m.h, m.fused, part.present);
        align(m.id, m.fused);
        align(m.fused, f.content);
      });
      if (aligned.length > 0) {
        terms.push(tape.scale(aligned.reduce((s, x) => tape.add(s, x)), this.config.lossRatio));
      }
    }
    return tape.addScalars(...terms);
  }

  /**
   * The fused structure readout per user, content + structure per item.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const f = this.#forward(new Tape(this.backend, { record: false }));
    return { users: f.users.data.slice(), items: f.items.data.slice(), width: this.config.dim };
  }
}
