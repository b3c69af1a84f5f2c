/**
 * Accumulates events into an {@linkcode InteractionLog} while a loader streams
 * a file: raw ids are mapped to provisional indices in order of first appearance.
 *
 * @module
 */
import type { InteractionLog, RawItemFeatures, RawUserFeatures } from "./dataset.ts";

/**
 * Growable columnar event buffer.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * const b = new InteractionLogBuilder("toy", { withRatings: true });
 * b.add("u1", "i1", 10, 4.5);
 * ok(b.finish().items.length === 1);
 * ```
 */
export class InteractionLogBuilder {
  readonly #name: string;
  readonly #withRatings: boolean;
  #users = new Int32Array(1024);
  #items = new Int32Array(1024);
  #times = new Float64Array(1024);
  #ratings: Float32Array;
  #length = 0;
  readonly #userIndex = new Map<string, number>();
  readonly #itemIndex = new Map<string, number>();
  readonly #userIds: string[] = [];
  readonly #itemIds: string[] = [];
  /** Lines skipped on purpose, by reason. */
  readonly skipped: Record<string, number> = {};
  /** Item features, if the loader reads them. */
  itemFeatures?: RawItemFeatures;
  /** User features (demographics), if the loader reads them. */
  userFeatures?: RawUserFeatures;
  /** What the loader wants said (e.g. an optional file that was missing). */
  readonly notes: string[] = [];

  /**
   * @param name Dataset name.
   * @param options `withRatings`: keep a rating column.
   */
  constructor(name: string, options: { withRatings?: boolean } = {}) {
    this.#name = name;
    this.#withRatings = options.withRatings ?? false;
    this.#ratings = new Float32Array(this.#withRatings ? 1024 : 0);
  }

  /** Number of events added so far. */
  get length(): number {
    return this.#length;
  }

  /**
   * Adds one event.
   *
   * @param user Raw user id.
   * @param item Raw item id.
   * @param time Timestamp.
   * @param rating Rating (ignored unless the builder keeps ratings).
   */
  add(user: string, item: string, time: number, rating = 1): void {
    if (this.#length === this.#users.length) this.#grow();
    let u = this.#userIndex.get(user);
    if (u === undefined) {
      u = this.#userIds.length;
      this.#userIndex.set(user, u);
      this.#userIds.push(user);
    }
    let i = this.#itemIndex.get(item);
    if (i === undefined) {
      i = this.#itemIds.length;
      this.#itemIndex.set(item, i);
      this.#itemIds.push(item);
    }
    const n = this.#length++;
    this.#users[n] = u;
    this.#items[n] = i;
    this.#times[n] = time;
    if (this.#withRatings) this.#ratings[n] = rating;
  }

  /**
   * Whether an item id has been added.
   *
   * @param item Raw item id.
   * @returns `true` once `add` has seen the item.
   */
  hasItem(item: string): boolean {
    return this.#itemIndex.has(item);
  }

  /**
   * Counts a line skipped on purpose (a header, a filtered event type).
   *
   * @param reason Why it was skipped.
   */
  skip(reason: string): void {
    this.skipped[reason] = (this.skipped[reason] ?? 0) + 1;
  }

  #grow(): void {
    const size = this.#users.length * 2;
    const users = new Int32Array(size);
    users.set(this.#users);
    this.#users = users;
    const items = new Int32Array(size);
    items.set(this.#items);
    this.#items = items;
    const times = new Float64Array(size);
    times.set(this.#times);
    this.#times = times;
    if (this.#withRatings) {
      const ratings = new Float32Array(size);
      ratings.set(this.#ratings);
      this.#ratings = ratings;
    }
  }

  /**
   * Returns the log (trimmed copies of the buffers).
   *
   * @returns The interaction log.
   */
  finish(): InteractionLog {
    const n = this.#length;
    return {
      name: this.#name,
      users: this.#users.slice(0, n),
      items: this.#items.slice(0, n),
      times: this.#times.slice(0, n),
      ...(this.#withRatings ? { ratings: this.#ratings.slice(0, n) } : {}),
      userIds: this.#userIds,
      itemIds: this.#itemIds,
      ...(this.itemFeatures ? { itemFeatures: this.itemFeatures } : {}),
      ...(this.userFeatures ? { userFeatures: this.userFeatures } : {}),
      skipped: { ...this.skipped },
      ...(this.notes.length > 0 ? { notes: [...this.notes] } : {}),
    };
  }
}
