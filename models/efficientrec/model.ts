/**
 * EfficientRec (arXiv 2401.09693): no user-ID table. An item is
 * `[item features ; item ID embedding]` (features: a mean of learned
 * embeddings of the item's categorical side values, e.g. genres); a user is
 * the attention-weighted sum of the items they interacted with
 * (`a = softmax_l(q . tanh(W_F f_l + W_E e_l))`). Training is a triplet loss:
 * the anchor is one random half of a user's interactions, the positive the
 * other half, the negative another user's half. After training the users
 * are clustered (k-means on the normalised user vectors), each user belongs
 * softly to every cluster through a sigmoid of its cosine to the cluster
 * relative to its nearest one, each cluster keeps a shortlist of the items
 * its members liked most (membership-weighted counts), and a user's items
 * are scored by cluster voting: `sum_c membership(u, c) * shortlist_c(item)`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { kmeans } from "../../metrics/kmeans.ts";
import { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { l2Penalty } from "../_graph/bpr.ts";
import { takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import type { Embeddings, Query, TrainingData } from "../types.ts";
import type { EfficientRecConfig } from "./config.ts";
import { tripletLoss } from "./ops.ts";

/** Items of each user split for the triplet: padded `[B, L]` ids (-1 pad) and mask. */
interface Halves {
  ids: Int32Array;
  mask: Uint8Array;
}

/**
 * EfficientRec.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { EfficientRec } from "./model.ts";
 * import { EFFICIENTREC_DEFAULTS } from "./config.ts";
 * ok(new EfficientRec(EFFICIENTREC_DEFAULTS).interests === 1);
 * ```
 */
export class EfficientRec extends GraphCfModel<EfficientRecConfig> {
  #ids!: EmbeddingTable;
  #features!: EmbeddingTable;
  #featureCsr!: { ptr: Int32Array; index: Int32Array; weights: Float32Array };
  #wf!: Tensor;
  #we!: Tensor;
  #q!: Tensor;
  #centers = new Float32Array(0);
  #shortlists = new Float32Array(0);
  #rng!: Rng;

  /**
   * Item ID and feature tables, attention weights.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const c = this.config, n = data.numItems;
    // All categorical fields share one vocabulary (offset per field, fields by name).
    const fields = data.itemFeatures?.fields ?? {};
    const names = Object.keys(fields).sort();
    const ptr = new Int32Array(n + 1), index: number[] = [], weights: number[] = [];
    let vocab = 0;
    const offsets = names.map((name) => {
      const o = vocab;
      vocab += fields[name].vocab.length;
      return o;
    });
    for (let i = 0; i < n; i++) {
      const start = index.length;
      names.forEach((name, f) => {
        const fl = fields[name];
        for (let p = fl.ptr[i]; p < fl.ptr[i + 1]; p++) index.push(offsets[f] + fl.codes[p]);
      });
      for (let p = start; p < index.length; p++) weights.push(1 / (index.length - start));
      ptr[i + 1] = index.length;
    }
    this.#featureCsr = { ptr, index: Int32Array.from(index), weights: Float32Array.from(weights) };
    const rows = Math.max(vocab, 1);
    this.#ids = new EmbeddingTable(normalInit(rng, n * c.dim, 0.1), n, c.dim);
    this.#features = new EmbeddingTable(
      normalInit(rng, rows * c.featureDim, 0.1),
      rows,
      c.featureDim,
    );
    const h = c.attentionDim;
    this.#wf = new Tensor(normalInit(rng, c.featureDim * h, 0.1), [c.featureDim, h], true);
    this.#we = new Tensor(normalInit(rng, c.dim * h, 0.1), [c.dim, h], true);
    this.#q = new Tensor(normalInit(rng, h, 0.1), [h, 1], true);
    this.tables = [this.#ids, this.#features];
    this.dense = [this.#wf, this.#we, this.#q];
  }

  /** User vectors from padded item lists: the feature part `[B, fd]` and the ID part `[B, d]`. */
  #encode(tape: Tape, h: Halves, batch: number): [Tensor, Tensor] {
    const c = this.config, L = h.ids.length / batch;
    const e = tape.gather(this.#ids, h.ids);
    const f = tape.combine(this.#features, this.#featureCsr, h.ids);
    const hid = tape.tanh(
      tape.add(
        tape.matmul(f, this.#wf, batch * L, c.featureDim, c.attentionDim),
        tape.matmul(e, this.#we, batch * L, c.dim, c.attentionDim),
      ),
    );
    const logits = tape.matmul(hid, this.#q, batch * L, c.attentionDim, 1);
    const a = tape.softmax(logits, batch, L, h.mask);
    return [
      tape.bmm(a, f, batch, 1, L, c.featureDim),
      tape.bmm(a, e, batch, 1, L, c.dim),
    ];
  }

  /** Pads item lists into `[B, L]`. */
  #pad(lists: readonly ArrayLike<number>[]): Halves {
    const L = Math.max(1, ...lists.map((l) => l.length));
    const ids = new Int32Array(lists.length * L).fill(-1), mask = new Uint8Array(ids.length);
    lists.forEach((l, b) => {
      for (let k = 0; k < l.length; k++) {
        ids[b * L + k] = l[k];
        mask[b * L + k] = 1;
      }
    });
    return { ids, mask };
  }

  /**
   * Triplet loss on two random halves of each batch user's interactions.
   *
   * @param tape The tape.
   * @param batch Users (drawn by the shared sampler, one per training pair).
   * @param rng The `sampling` stream.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor {
    const B = batch.size, M = this.config.maxItems, { userPtr, items } = this.data;
    const first: Int32Array[] = [], second: Int32Array[] = [];
    for (const u of batch.users) {
      const mine = rng.shuffle(items.slice(userPtr[u], userPtr[u + 1]));
      const half = Math.max(1, mine.length >> 1);
      first.push(mine.slice(0, Math.min(half, M)));
      second.push(mine.length > 1 ? mine.slice(half, half + M) : mine);
    }
    const anchor = this.#encode(tape, this.#pad(first), B);
    const positive = this.#encode(tape, this.#pad(second), B);
    // The negative of row b is the positive half of the next row holding another user.
    const other = Int32Array.from({ length: B }, (_, b) => {
      for (let s = 1; s < B; s++) {
        if (batch.users[(b + s) % B] !== batch.users[b]) return (b + s) % B;
      }
      return (b + 1) % B;
    });
    const negative = positive.map((t) => takeRows(tape, t, other));
    const loss = tripletLoss(tape, anchor, positive, negative, this.config.margin);
    return tape.addScalars(loss, l2Penalty(tape, [anchor[1]], this.config.l2, B));
  }

  /** Normalised user vectors `[rows, fd + d]` of item lists, computed in batches without a tape. */
  #userVectors(lists: readonly ArrayLike<number>[]): Float32Array {
    const c = this.config, D = c.featureDim + c.dim;
    const out = new Float32Array(lists.length * D);
    const tape = new Tape(this.backend, { record: false });
    for (let s = 0; s < lists.length; s += 512) {
      const part = lists.slice(s, s + 512);
      const [f, e] = this.#encode(tape, this.#pad(part), part.length);
      for (let r = 0; r < part.length; r++) {
        const o = (s + r) * D;
        out.set(f.data.subarray(r * c.featureDim, (r + 1) * c.featureDim), o);
        out.set(e.data.subarray(r * c.dim, (r + 1) * c.dim), o + c.featureDim);
        let n = 0;
        for (let j = 0; j < D; j++) n += out[o + j] ** 2;
        const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
        for (let j = 0; j < D; j++) out[o + j] *= inv;
      }
    }
    return out;
  }

  /** Sigmoid memberships `[rows, C]` of normalised user vectors. */
  #memberships(vectors: Float32Array, rows: number): Float32Array {
    const c = this.config, D = c.featureDim + c.dim, C = this.#centers.length / D;
    const cos = this.backend.gemm(vectors, this.#centers, rows, D, C, { transB: true });
    const out = new Float32Array(rows * C);
    for (let r = 0; r < rows; r++) {
      let best = -Infinity;
      for (let k = 0; k < C; k++) best = Math.max(best, cos[r * C + k]);
      for (let k = 0; k < C; k++) {
        out[r * C + k] = 1 / (1 + Math.exp(-c.sharpness * (cos[r * C + k] - best + c.slack)));
      }
    }
    return out;
  }

  /** The most recent items of a history, at most 4 x maxItems. */
  #recent(history: ArrayLike<number>): ArrayLike<number> {
    const cap = 4 * this.config.maxItems;
    return history.length > cap
      ? Array.prototype.slice.call(history, history.length - cap)
      : history;
  }

  /**
   * Clusters the training users and builds the shortlists; returns the
   * memberships of the training users and the shortlists as vectors, so that
   * `membership . shortlist` is the cluster vote.
   *
   * @returns Memberships `[numUsers, C]` and shortlists `[numItems, C]`.
   */
  protected scoringVectors(): ScoringVectors {
    const c = this.config, { userPtr, items, numUsers, numItems } = this.data;
    const D = c.featureDim + c.dim;
    const lists = Array.from(
      { length: numUsers },
      (_, u) => this.#recent(items.subarray(userPtr[u], userPtr[u + 1])),
    );
    const vectors = this.#userVectors(lists);
    const active = Array.from(this.data.trainUsers);
    const activeVectors = new Float32Array(active.length * D);
    active.forEach((u, r) => activeVectors.set(vectors.subarray(u * D, (u + 1) * D), r * D));
    const C = Math.min(c.clusters, active.length);
    const labels = kmeans({ data: activeVectors, rows: active.length, dim: D }, C);
    const centers = new Float32Array(C * D);
    labels.forEach((k, r) => {
      for (let j = 0; j < D; j++) centers[k * D + j] += activeVectors[r * D + j];
    });
    for (let k = 0; k < C; k++) {
      let n = 0;
      for (let j = 0; j < D; j++) n += centers[k * D + j] ** 2;
      const inv = n > 0 ? 1 / Math.sqrt(n) : 0;
      for (let j = 0; j < D; j++) centers[k * D + j] *= inv;
    }
    this.#centers = centers;
    const member = this.#memberships(vectors, numUsers);
    // Shortlists: membership-weighted share of members who liked each item, top `shortlist` kept.
    const liked = new Float64Array(C * numItems), mass = new Float64Array(C);
    for (const u of active) {
      for (let k = 0; k < C; k++) {
        const m = member[u * C + k];
        mass[k] += m;
        for (let p = userPtr[u]; p < userPtr[u + 1]; p++) liked[k * numItems + items[p]] += m;
      }
    }
    const shortlists = new Float32Array(numItems * C);
    const keep = Math.min(c.shortlist, numItems);
    for (let k = 0; k < C; k++) {
      const row = liked.subarray(k * numItems, (k + 1) * numItems);
      const order = Array.from({ length: numItems }, (_, i) => i)
        .sort((a, b) => row[b] - row[a] || a - b);
      for (let r = 0; r < keep; r++) {
        const i = order[r];
        shortlists[i * C + k] = mass[k] > 0 ? row[i] / mass[k] : 0;
      }
    }
    this.#shortlists = shortlists;
    return { users: member, items: shortlists, width: C };
  }

  /**
   * Cluster voting for each query, from its history (never a user table):
   * the query's cluster memberships and the item shortlists, whose inner
   * product is the vote `score` ranks by.
   *
   * @param queries Queries.
   * @returns `users [Q, 1, C]`, `items [numItems, C]`.
   */
  override embedQueries(queries: readonly Query[]): Embeddings {
    const { width: C } = this.vectors();
    const member = this.#memberships(
      this.#userVectors(queries.map((q) => this.#recent(q.history))),
      queries.length,
    );
    return { users: member, items: this.#shortlists, dim: C };
  }

  /**
   * No export: the memberships come from the query's history through the
   * item features and the cluster centers, not from a user table.
   *
   * @returns Undefined.
   */
  override exportEncoder(): GraphSpec | undefined {
    return undefined;
  }
}
