/**
 * The ComiRec training sampler and the shared negative sampler.
 *
 * - A batch draws users uniformly with replacement from the training users;
 *   for each, a target position `k` uniformly in `[4, len)`; the history is the
 *   last `maxlen` items before `k`, right-padded with -1 (mask 0), as in
 *   ComiRec's data iterator.
 * - Negatives: one set of `N` items per batch, shared by all rows, uniform
 *   over the corpus or log-uniform over popularity rank (items are numbered by
 *   descending popularity): `q(i) = log((i + 2) / (i + 1)) / log(n + 1)`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Query, TrainingData } from "../types.ts";

/** A training batch. */
export interface SequenceBatch {
  /** Rows. */
  size: number;
  /** History length (columns). */
  maxlen: number;
  /** Item ids `[size, maxlen]`, -1 = padding. */
  history: Int32Array;
  /** 1 where `history` holds an item. */
  mask: Uint8Array;
  /** The item to predict for each row. */
  target: Int32Array;
  /** The training user of each row (SRNS keeps a memory per user; UMI reads its profile). */
  user: Int32Array;
  /** Timestamps aligned with `history` `[size, maxlen]`, 0 at padding (PIMIRec). */
  times: Float64Array;
}

/**
 * Draws ComiRec-style training batches.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { splitSequential } from "../../data/split.ts";
 * import { generateSynthetic } from "../../data/synthetic.ts";
 * import { SequenceSampler } from "./sampler.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 60, numItems: 50 }), { seed: 1 });
 * const batch = new SequenceSampler(split.train, 20, new Rng(1)).next(8);
 * ok(batch.target.length === 8);
 * ```
 */
export class SequenceSampler {
  readonly #users: Int32Array;

  /**
   * @param data Training data (users with at least 5 items are sampled).
   * @param maxlen History length.
   * @param rng The `batch-order` stream.
   */
  constructor(readonly data: TrainingData, readonly maxlen: number, readonly rng: Rng) {
    this.#users = data.trainUsers.filter((u) => data.userPtr[u + 1] - data.userPtr[u] > 4);
    if (this.#users.length === 0) {
      throw new RangeError("No training user has more than 4 interactions to sample from");
    }
  }

  /**
   * Draws a batch.
   *
   * @param size Rows.
   * @returns The batch.
   */
  next(size: number): SequenceBatch {
    const L = this.maxlen, d = this.data;
    const history = new Int32Array(size * L).fill(-1);
    const mask = new Uint8Array(size * L);
    const target = new Int32Array(size);
    const user = new Int32Array(size);
    const times = new Float64Array(size * L);
    for (let b = 0; b < size; b++) {
      const u = this.#users[this.rng.int(this.#users.length)];
      user[b] = u;
      const start = d.userPtr[u], len = d.userPtr[u + 1] - start;
      const k = 4 + this.rng.int(len - 4);
      target[b] = d.items[start + k];
      const from = Math.max(0, k - L);
      for (let p = from; p < k; p++) {
        history[b * L + p - from] = d.items[start + p];
        times[b * L + p - from] = d.times[start + p];
        mask[b * L + p - from] = 1;
      }
    }
    return { size, maxlen: L, history, mask, target, user, times };
  }
}

/**
 * The last `maxlen` items of each query's history, right-padded, for scoring,
 * with their times (0 where a query carries none) and the queries' users.
 *
 * @param queries Queries.
 * @param maxlen Columns.
 * @returns History, mask and times `[queries.length, maxlen]`, users `[queries.length]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { queryHistories } from "./sampler.ts";
 * const h = queryHistories([{ user: 0, history: Int32Array.of(1, 2, 3) }], 2);
 * deepStrictEqual([...h.history], [2, 3]);
 * ```
 */
export function queryHistories(
  queries: readonly Query[],
  maxlen: number,
): { history: Int32Array; mask: Uint8Array; users: Int32Array; times: Float64Array } {
  const history = new Int32Array(queries.length * maxlen).fill(-1);
  const mask = new Uint8Array(queries.length * maxlen);
  const users = Int32Array.from(queries, (q) => q.user);
  const times = new Float64Array(queries.length * maxlen);
  queries.forEach((q, b) => {
    const from = Math.max(0, q.history.length - maxlen);
    const h = q.history.subarray(from);
    history.set(h, b * maxlen);
    mask.fill(1, b * maxlen, b * maxlen + h.length);
    if (q.times) times.set(q.times.subarray(from), b * maxlen);
  });
  return { history, mask, users, times };
}

/** Negative sampling distributions. */
export type NegativeDistribution = "uniform" | "log-uniform";

/**
 * Draws the shared negatives of a batch and gives their log-probabilities.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { NegativeSampler } from "./sampler.ts";
 * const s = new NegativeSampler(100, "log-uniform", new Rng(1));
 * ok(s.sample(10).length === 10 && s.logQ(0) > s.logQ(99));
 * ```
 */
export class NegativeSampler {
  readonly #logN1: number;

  /**
   * @param numItems Corpus size.
   * @param distribution Uniform or log-uniform over popularity rank.
   * @param rng The `sampling` stream.
   */
  constructor(
    readonly numItems: number,
    readonly distribution: NegativeDistribution,
    readonly rng: Rng,
  ) {
    this.#logN1 = Math.log(numItems + 1);
  }

  /**
   * Draws `n` items with replacement.
   *
   * @param n How many.
   * @returns Item ids.
   */
  sample(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let j = 0; j < n; j++) out[j] = this.one();
    return out;
  }

  /**
   * Draws one item (the same draws as `sample(1)[0]`, without an array).
   *
   * @returns An item id.
   */
  one(): number {
    if (this.distribution === "uniform") return this.rng.int(this.numItems);
    // Inverse CDF of P(i) = log((i+2)/(i+1)) / log(n+1): i = floor(exp(u log(n+1))) - 1.
    const i = Math.floor(Math.exp(this.rng.float() * this.#logN1)) - 1;
    return Math.min(this.numItems - 1, Math.max(0, i));
  }

  /**
   * log q(item) of the distribution.
   *
   * @param item Item id.
   * @returns The log-probability.
   */
  logQ(item: number): number {
    return this.distribution === "uniform"
      ? -Math.log(this.numItems)
      : Math.log(Math.log((item + 2) / (item + 1)) / this.#logN1);
  }
}
