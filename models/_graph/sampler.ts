/**
 * BPR triples for the `cf` family: every training interaction once per epoch
 * in a shuffled order (as RecBole's data loader does), each with one negative
 * drawn uniformly from the items the user has not interacted with in training.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { TrainingData } from "../types.ts";
import { distinctUserItems } from "./graph.ts";

/** One batch of `(user, positive, negative)`. */
export interface BprBatch {
  /** Users. */
  users: Int32Array;
  /** Their training items. */
  positives: Int32Array;
  /** Uniform items they have not interacted with. */
  negatives: Int32Array;
  /** Batch size. */
  size: number;
}

/**
 * Draws BPR batches.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { BprSampler } from "./sampler.ts";
 * const s = new BprSampler(trainingDataFromRows([[0], [1]], 3), new Rng(1));
 * const b = s.next(4);
 * ok(b.size === 4 && b.negatives.every((n, k) => n !== b.positives[k]));
 * ```
 */
export class BprSampler {
  readonly #users: Int32Array;
  readonly #items: Int32Array;
  readonly #order: Int32Array;
  readonly #seen: { ptr: Int32Array; items: Int32Array };
  readonly #numItems: number;
  #at: number;
  /** Completed passes over the training interactions. */
  epochs = 0;

  /**
   * @param data Training data (at least one interaction).
   * @param rng The `sampling` stream.
   */
  constructor(data: TrainingData, readonly rng: Rng) {
    this.#seen = distinctUserItems(data);
    this.#users = new Int32Array(this.#seen.items.length);
    for (let u = 0; u < data.numUsers; u++) {
      this.#users.fill(u, this.#seen.ptr[u], this.#seen.ptr[u + 1]);
    }
    if (this.#users.length === 0) throw new RangeError("BprSampler: no training interactions");
    this.#items = this.#seen.items;
    this.#numItems = data.numItems;
    this.#order = Int32Array.from(this.#users.keys());
    this.#at = this.#order.length;
  }

  /** Training pairs per epoch. */
  get pairs(): number {
    return this.#order.length;
  }

  /**
   * Whether `user` has `item` among its training items.
   *
   * @param user User.
   * @param item Item.
   * @returns True when seen.
   */
  seen(user: number, item: number): boolean {
    const { ptr, items } = this.#seen;
    let lo = ptr[user], hi = ptr[user + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (items[mid] < item) lo = mid + 1;
      else hi = mid;
    }
    return lo < ptr[user + 1] && items[lo] === item;
  }

  /**
   * The next batch (wrapping into a new shuffled epoch as needed).
   *
   * @param size Batch size.
   * @returns The batch.
   */
  next(size: number): BprBatch {
    const users = new Int32Array(size), positives = new Int32Array(size);
    const negatives = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      if (this.#at >= this.#order.length) {
        this.rng.shuffle(this.#order);
        this.#at = 0;
        this.epochs++;
      }
      const p = this.#order[this.#at++];
      const u = this.#users[p];
      users[b] = u;
      positives[b] = this.#items[p];
      let n = this.rng.int(this.#numItems);
      // A user who has seen every item keeps a seen negative rather than loop forever.
      for (let t = 0; t < 100 && this.seen(u, n); t++) n = this.rng.int(this.#numItems);
      negatives[b] = n;
    }
    return { users, positives, negatives, size };
  }
}
