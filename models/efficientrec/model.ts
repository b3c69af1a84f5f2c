/**
 * EfficientRec (arXiv 2401.09693): no user-ID table. An item is
 * `[item features ; item ID embedding]` (features: a mean of learned
 * embeddings of the item's categorical side values, e.g. genres); a user's
 * interaction embedding is the attention-weighted sum of the items they
 * interacted with (`a = softmax_l(q . tanh(W_F f_l + W_E e_l))`), joined by a
 * demographic embedding where the dataset has user fields (mean of learned
 * embeddings of the user's values). The user profile is
 * `z = sigmoid(W_2 tanh(W_1 x + b_1) + b_2)`, one entry per cluster: as in the
 * paper, this sigmoid profile is itself the soft cluster assignment (a user can
 * belong to several clusters). Training is the paper's triplet loss on
 * profiles, `max(m + ||z - z^p|| - ||z - z^n||, 0)` with Euclidean norms: the
 * anchor is one random half of a user's interactions, the positive the other
 * half, the negative another user's half (only the anchor carries the
 * demographics, so they help only by predicting taste). After training each cluster keeps a
 * shortlist of the items its members liked most (membership-weighted share),
 * and a user's items are scored by cluster voting over the user's
 * `topClusters` largest profile entries: `sum_c z_c * shortlist_c(item)`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { CategoricalField } from "../../data/dataset.ts";
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

/** Categorical fields flattened into one vocabulary: row `r`'s values, each weighing 1/count. */
interface FieldCsr {
  ptr: Int32Array;
  index: Int32Array;
  weights: Float32Array;
  vocab: number;
}

/**
 * All categorical fields of `rows` rows as one CSR over a shared vocabulary
 * (fields in name order, each offset by the previous fields' vocabularies).
 *
 * @param fields The fields.
 * @param rows Row count.
 * @returns The CSR with equal weights per row.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { flattenFields } from "./model.ts";
 * // Row 0: gender "F" and age "25"; row 1: age "18" only.
 * const csr = flattenFields({
 *   gender: { vocab: ["F", "M"], ptr: Int32Array.of(0, 1, 1), codes: Int32Array.of(0) },
 *   age: { vocab: ["18", "25"], ptr: Int32Array.of(0, 1, 2), codes: Int32Array.of(1, 0) },
 * }, 2);
 * deepStrictEqual([...csr.index], [1, 2, 0]); // age first (names sorted), gender offset by 2
 * deepStrictEqual([...csr.weights], [0.5, 0.5, 1]);
 * ```
 */
export function flattenFields(fields: Record<string, CategoricalField>, rows: number): FieldCsr {
  const names = Object.keys(fields).sort();
  const ptr = new Int32Array(rows + 1), index: number[] = [], weights: number[] = [];
  let vocab = 0;
  const offsets = names.map((name) => {
    const o = vocab;
    vocab += fields[name].vocab.length;
    return o;
  });
  for (let r = 0; r < rows; r++) {
    const start = index.length;
    names.forEach((name, f) => {
      const fl = fields[name];
      for (let p = fl.ptr[r]; p < fl.ptr[r + 1]; p++) index.push(offsets[f] + fl.codes[p]);
    });
    for (let p = start; p < index.length; p++) weights.push(1 / (index.length - start));
    ptr[r + 1] = index.length;
  }
  return { ptr, index: Int32Array.from(index), weights: Float32Array.from(weights), vocab };
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
  #featureCsr!: FieldCsr;
  #demo: { table: EmbeddingTable; csr: FieldCsr; w: Tensor } | undefined;
  #wf!: Tensor;
  #we!: Tensor;
  #q!: Tensor;
  #w1f!: Tensor;
  #w1e!: Tensor;
  #b1!: Tensor;
  #w2!: Tensor;
  #b2!: Tensor;
  #shortlists = new Float32Array(0);

  /**
   * Item ID and feature tables, demographic table, attention and profile weights.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const c = this.config, n = data.numItems, h = c.attentionDim, H = c.hiddenDim;
    this.#featureCsr = flattenFields(data.itemFeatures?.fields ?? {}, n);
    const rows = Math.max(this.#featureCsr.vocab, 1);
    this.#ids = new EmbeddingTable(normalInit(rng, n * c.dim, 0.1), n, c.dim);
    this.#features = new EmbeddingTable(
      normalInit(rng, rows * c.featureDim, 0.1),
      rows,
      c.featureDim,
    );
    this.#wf = new Tensor(normalInit(rng, c.featureDim * h, 0.1), [c.featureDim, h], true);
    this.#we = new Tensor(normalInit(rng, c.dim * h, 0.1), [c.dim, h], true);
    this.#q = new Tensor(normalInit(rng, h, 0.1), [h, 1], true);
    // Glorot-scaled profile layers, so the sigmoid starts away from saturation.
    const s1 = Math.sqrt(2 / (c.featureDim + c.dim + H)), s2 = Math.sqrt(2 / (H + c.clusters));
    this.#w1f = new Tensor(normalInit(rng, c.featureDim * H, s1), [c.featureDim, H], true);
    this.#w1e = new Tensor(normalInit(rng, c.dim * H, s1), [c.dim, H], true);
    this.#b1 = new Tensor(new Float32Array(H), [H], true);
    this.#w2 = new Tensor(normalInit(rng, H * c.clusters, s2), [H, c.clusters], true);
    this.#b2 = new Tensor(new Float32Array(c.clusters), [c.clusters], true);
    this.tables = [this.#ids, this.#features];
    this.dense = [this.#wf, this.#we, this.#q, this.#w1f, this.#w1e, this.#b1, this.#w2, this.#b2];
    this.#demo = undefined;
    const userFields = data.userFeatures?.fields ?? {};
    if (c.demographics === 1 && Object.keys(userFields).length > 0) {
      const csr = flattenFields(userFields, data.numUsers);
      const table = new EmbeddingTable(
        normalInit(rng, Math.max(csr.vocab, 1) * c.featureDim, 0.1),
        Math.max(csr.vocab, 1),
        c.featureDim,
      );
      const w = new Tensor(normalInit(rng, c.featureDim * H, s1), [c.featureDim, H], true);
      this.#demo = { table, csr, w };
      this.tables.push(table);
      this.dense.push(w);
    }
  }

  /**
   * Sigmoid profiles `[B, clusters]` of padded item lists (and their users,
   * for the demographic part unless `withDemographics` is false), with the
   * pooled ID part `[B, dim]` (for L2).
   */
  #profile(tape: Tape, h: Halves, users: Int32Array, withDemographics = true): [Tensor, Tensor] {
    const c = this.config, B = users.length, L = h.ids.length / B, H = c.hiddenDim;
    const e = tape.gather(this.#ids, h.ids);
    const f = tape.combine(this.#features, this.#featureCsr, h.ids);
    const hid = tape.tanh(
      tape.add(
        tape.matmul(f, this.#wf, B * L, c.featureDim, c.attentionDim),
        tape.matmul(e, this.#we, B * L, c.dim, c.attentionDim),
      ),
    );
    const logits = tape.matmul(hid, this.#q, B * L, c.attentionDim, 1);
    const a = tape.softmax(logits, B, L, h.mask);
    const xf = tape.bmm(a, f, B, 1, L, c.featureDim);
    const xe = tape.bmm(a, e, B, 1, L, c.dim);
    let pre = tape.add(
      tape.matmul(xf, this.#w1f, B, c.featureDim, H),
      tape.matmul(xe, this.#w1e, B, c.dim, H),
    );
    if (this.#demo && withDemographics) {
      const d = tape.combine(this.#demo.table, this.#demo.csr, users);
      pre = tape.add(pre, tape.matmul(d, this.#demo.w, B, c.featureDim, H));
    }
    const hidden = tape.tanh(tape.add(pre, this.#b1));
    const z = tape.sigmoid(tape.add(tape.matmul(hidden, this.#w2, B, H, c.clusters), this.#b2));
    return [z, xe];
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
   * Triplet loss on the profiles of two random halves of each batch user's interactions.
   *
   * @param tape The tape.
   * @param batch Users (from the shared sampler: a uniform user per draw by default).
   * @param rng The `sampling` stream.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor {
    const B = batch.size, M = this.config.maxItems, { userPtr, items } = this.data;
    const first: Int32Array[] = [], second: Int32Array[] = [];
    const cold = this.#demo ? this.config.coldAnchors : 0;
    for (const u of batch.users) {
      const mine = rng.shuffle(items.slice(userPtr[u], userPtr[u + 1]));
      const half = Math.max(1, mine.length >> 1);
      // A demographics-only anchor stands for a user without history.
      first.push(
        cold > 0 && rng.float() < cold ? new Int32Array(0) : mine.slice(0, Math.min(half, M)),
      );
      second.push(mine.length > 1 ? mine.slice(half, half + M) : mine);
    }
    const users = Int32Array.from(batch.users);
    // Only the anchor carries the demographics: with them on both sides the
    // triplet is solved by recognising a user's demographics (see the README).
    const [anchor, pooledIds] = this.#profile(tape, this.#pad(first), users);
    const [positive] = this.#profile(tape, this.#pad(second), users, false);
    // The negative of row b is the positive half of the next row holding another user.
    const other = Int32Array.from({ length: B }, (_, b) => {
      for (let s = 1; s < B; s++) {
        if (batch.users[(b + s) % B] !== batch.users[b]) return (b + s) % B;
      }
      return (b + 1) % B;
    });
    const negative = takeRows(tape, positive, other);
    const loss = tripletLoss(tape, anchor, positive, negative, this.config.margin);
    return tape.addScalars(loss, l2Penalty(tape, [pooledIds], this.config.l2, B));
  }

  /**
   * Soft cluster assignments `[rows, clusters]` of item lists: the sigmoid
   * profiles, each row keeping only its `topClusters` largest entries (ties:
   * the lower cluster), computed in batches without a tape.
   */
  #memberships(lists: readonly ArrayLike<number>[], users: Int32Array): Float32Array {
    const C = this.config.clusters, top = this.config.topClusters;
    const out = new Float32Array(lists.length * C);
    const tape = new Tape(this.backend, { record: false });
    for (let s = 0; s < lists.length; s += 512) {
      const part = lists.slice(s, s + 512);
      const [z] = this.#profile(tape, this.#pad(part), users.subarray(s, s + part.length));
      out.set(z.data, s * C);
    }
    if (top > 0 && top < C) {
      const order = Array.from({ length: C }, (_, k) => k);
      for (let r = 0; r < lists.length; r++) {
        const row = out.subarray(r * C, (r + 1) * C);
        order.sort((a, b) => row[b] - row[a] || a - b);
        for (let k = top; k < C; k++) row[order[k]] = 0;
      }
    }
    return out;
  }

  /**
   * How binary the training users' kept memberships are: the share above 0.99
   * and the share of kept entries tied with another kept entry of their row
   * (to 1e-6), where the order among clusters is then arbitrary.
   */
  #profileDiagnostics(member: Float32Array): void {
    const C = this.config.clusters;
    let kept = 0, saturated = 0, tied = 0;
    for (const u of this.data.trainUsers) {
      const row = member.subarray(u * C, (u + 1) * C);
      for (let k = 0; k < C; k++) {
        if (row[k] === 0) continue;
        kept++;
        if (row[k] > 0.99) saturated++;
        if (row.some((v, j) => j !== k && v !== 0 && Math.abs(v - row[k]) < 1e-6)) tied++;
      }
    }
    this.diagnostics.saturatedShare = kept > 0 ? saturated / kept : 0;
    this.diagnostics.tiedShare = kept > 0 ? tied / kept : 0;
  }

  /** The most recent items of a history, at most 4 x maxItems. */
  #recent(history: ArrayLike<number>): ArrayLike<number> {
    const cap = 4 * this.config.maxItems;
    return history.length > cap
      ? Array.prototype.slice.call(history, history.length - cap)
      : history;
  }

  /**
   * Assigns the training users to clusters by their profiles and builds the
   * shortlists; returns the memberships of all users and the shortlists as
   * vectors, so that `membership . shortlist` is the cluster vote.
   *
   * @returns Memberships `[numUsers, C]` and shortlists `[numItems, C]`.
   */
  protected scoringVectors(): ScoringVectors {
    const C = this.config.clusters, { userPtr, items, numUsers, numItems } = this.data;
    const lists = Array.from(
      { length: numUsers },
      (_, u) => this.#recent(items.subarray(userPtr[u], userPtr[u + 1])),
    );
    const member = this.#memberships(lists, Int32Array.from({ length: numUsers }, (_, u) => u));
    this.#profileDiagnostics(member);
    // Shortlists: membership-weighted share of members who liked each item, top `shortlist` kept.
    const liked = new Float64Array(C * numItems), mass = new Float64Array(C);
    for (const u of this.data.trainUsers) {
      for (let k = 0; k < C; k++) {
        const m = member[u * C + k];
        if (m === 0) continue;
        mass[k] += m;
        for (let p = userPtr[u]; p < userPtr[u + 1]; p++) liked[k * numItems + items[p]] += m;
      }
    }
    const shortlists = new Float32Array(numItems * C);
    const keep = Math.min(this.config.shortlist, numItems);
    let used = 0;
    for (let k = 0; k < C; k++) {
      if (mass[k] > 0) used++;
      const row = liked.subarray(k * numItems, (k + 1) * numItems);
      const order = Array.from({ length: numItems }, (_, i) => i)
        .sort((a, b) => row[b] - row[a] || a - b);
      for (let r = 0; r < keep; r++) {
        const i = order[r];
        shortlists[i * C + k] = mass[k] > 0 ? row[i] / mass[k] : 0;
      }
    }
    this.diagnostics.clustersUsed = used;
    this.#shortlists = shortlists;
    return { users: member, items: shortlists, width: C };
  }

  /**
   * Cluster voting for each query, from its history and its user's
   * demographics (never a user table): the query's cluster memberships and
   * the item shortlists, whose inner product is the vote `score` ranks by.
   *
   * @param queries Queries.
   * @returns `users [Q, 1, C]`, `items [numItems, C]`.
   */
  override embedQueries(queries: readonly Query[]): Embeddings {
    const { width: C } = this.vectors();
    const member = this.#memberships(
      queries.map((q) => this.#recent(q.history)),
      Int32Array.from(queries, (q) => q.user),
    );
    return { users: member, items: this.#shortlists, dim: C };
  }

  /**
   * No export: the memberships come from the query's history through the
   * profile network, not from a user table.
   *
   * @returns Undefined.
   */
  override exportEncoder(): GraphSpec | undefined {
    return undefined;
  }
}
