/**
 * BPR triples for the `cf` family, each with one negative drawn uniformly from
 * the items the user has not interacted with in training. Two samplers
 * ({@linkcode BprSampling}):
 *
 * - `"users"` (LightGCN-PyTorch's `UniformSample_original`): each draw picks a
 *   user uniformly among all users, then one of that user's training items
 *   uniformly; a user without training items yields nothing for that draw. An
 *   epoch is as many draws as training pairs, so a user with few items is
 *   visited as often as one with many. Batches are cut within an epoch, the
 *   last one shorter (their `minibatch`).
 * - `"pairs"` (RecBole's loader): every training pair once per epoch in a
 *   shuffled order, batches running across epoch ends.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { TrainingData } from "../types.ts";
import {
  type Checkpointable,
  stateArray,
  stateNumber,
  type TrainingState,
} from "../engine/checkpoint.ts";
import type { BprSampling } from "./config.ts";
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
 * const s = new BprSampler(trainingDataFromRows([[0], [1]], 3), new Rng(1), { sampling: "pairs" });
 * const b = s.next(4);
 * ok(b.size === 4 && b.negatives.every((n, k) => n !== b.positives[k]));
 * ```
 */
export class BprSampler implements Checkpointable {
  readonly #users: Int32Array;
  readonly #items: Int32Array;
  readonly #order: Int32Array;
  readonly #seen: { ptr: Int32Array; items: Int32Array };
  readonly #numItems: number;
  readonly #numUsers: number;
  readonly #sampling: BprSampling;
  #at: number;
  /** Passes over the training interactions begun (the current one included). */
  epochs = 0;
  #draws = 0;

  /**
   * @param data Training data (at least one interaction).
   * @param rng The stream all draws come from.
   * @param options The sampler (default `"pairs"`).
   */
  constructor(
    data: TrainingData,
    readonly rng: Rng,
    options: { sampling?: BprSampling } = {},
  ) {
    this.#sampling = options.sampling ?? "pairs";
    this.#numUsers = data.numUsers;
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

  /** Epochs drawn so far, a fraction: draws over training pairs. */
  get epochsDrawn(): number {
    return this.#draws / this.#order.length;
  }

  /**
   * Where the sampler is in its epoch (its stream is saved with the others).
   *
   * @returns The epoch order, position and counters.
   */
  checkpointState(): TrainingState {
    return { order: this.#order.slice(), at: this.#at, epochs: this.epochs, draws: this.#draws };
  }

  /**
   * Puts back a state from `checkpointState` of a sampler over the same data.
   *
   * @param state The saved state.
   */
  restoreState(state: TrainingState): void {
    this.#order.set(stateArray(state.order, Int32Array, "BPR epoch order", this.#order.length));
    this.#at = stateNumber(state.at, "BPR sampler position");
    this.epochs = stateNumber(state.epochs, "BPR sampler epochs");
    this.#draws = stateNumber(state.draws, "BPR sampler draws");
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
   * The next batch: for `"pairs"`, `size` triples, wrapping into a new
   * shuffled epoch as needed; for `"users"`, `size` triples or fewer when the
   * epoch's draws run out (the next call starts a new epoch).
   *
   * @param size Batch size.
   * @returns The batch.
   */
  next(size: number): BprBatch {
    return this.#sampling === "users" ? this.#nextOfUsers(size) : this.#nextOfPairs(size);
  }

  #negative(u: number): number {
    let n = this.rng.int(this.#numItems);
    // A user who has seen every item keeps a seen negative rather than loop forever.
    for (let t = 0; t < 100 && this.seen(u, n); t++) n = this.rng.int(this.#numItems);
    return n;
  }

  #nextOfUsers(size: number): BprBatch {
    const users = new Int32Array(size), positives = new Int32Array(size);
    const negatives = new Int32Array(size);
    const { ptr } = this.#seen;
    // #at counts the epoch's draws; an epoch has as many draws as training pairs.
    // A batch ends with its epoch, unless it is still empty then.
    let b = 0;
    while (b < size) {
      if (this.#at >= this.#order.length) {
        if (b > 0) break;
        this.#at = 0;
        this.epochs++;
      }
      this.#at++;
      this.#draws++;
      const u = this.rng.int(this.#numUsers);
      const degree = ptr[u + 1] - ptr[u];
      if (degree === 0) continue;
      users[b] = u;
      positives[b] = this.#items[ptr[u] + this.rng.int(degree)];
      negatives[b] = this.#negative(u);
      b++;
    }
    return b === size ? { users, positives, negatives, size } : {
      users: users.slice(0, b),
      positives: positives.slice(0, b),
      negatives: negatives.slice(0, b),
      size: b,
    };
  }

  #nextOfPairs(size: number): BprBatch {
    const users = new Int32Array(size), positives = new Int32Array(size);
    const negatives = new Int32Array(size);
    for (let b = 0; b < size; b++) {
      if (this.#at >= this.#order.length) {
        this.rng.shuffle(this.#order);
        this.#at = 0;
        this.epochs++;
      }
      const p = this.#order[this.#at++];
      this.#draws++;
      const u = this.#users[p];
      users[b] = u;
      positives[b] = this.#items[p];
      negatives[b] = this.#negative(u);
    }
    return { users, positives, negatives, size };
  }
}
