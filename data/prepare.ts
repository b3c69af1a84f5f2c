/**
 * Turns a raw interaction log into a prepared {@linkcode Dataset}: implicit
 * conversion, the papers' one-pass frequency filter, popularity renumbering,
 * per-user time order and a content checksum.
 *
 * @module
 */
import { datasetChecksum } from "./checksum.ts";
import type {
  CategoricalField,
  Dataset,
  InteractionLog,
  ItemFeatures,
  UserFeatures,
} from "./dataset.ts";

/** Preparation options. */
export interface PrepareOptions {
  /**
   * Keep only events with rating >= this value (implicit conversion);
   * `undefined` keeps every event.
   * @default {undefined}
   */
  minRating?: number;
  /**
   * Keep items seen at least this many times (first pass).
   * @default {5}
   */
  minItemCount?: number;
  /**
   * Then keep users with at least this many events among kept items (one pass,
   * not iterated to a fixed point, as in ComiRec's preprocessing).
   * @default {5}
   */
  minUserCount?: number;
  /**
   * `one-pass`: items, then users, once (the papers' filter). `k-core`:
   * repeat both until every kept item has `minItemCount` and every kept user
   * `minUserCount` events.
   * @default {"one-pass"}
   */
  filter?: "one-pass" | "k-core";
  /**
   * Repeated events of the same user and item: `keep-all`, or `keep-first`
   * (the earliest, ties in file order), applied before the frequency filter.
   * @default {"keep-all"}
   */
  dedupe?: "keep-all" | "keep-first";
  /**
   * After the filter, drop users with fewer events than this.
   * @default {0}
   */
  minSequenceLength?: number;
  /**
   * Keep only events with `start <= time < end`, in the source's time unit
   * (seconds, or milliseconds for RetailRocket); applied first.
   * @default {undefined}
   */
  timeWindow?: TimeWindow;
}

/** A half-open time interval; a missing bound is open. */
export interface TimeWindow {
  /** First time kept. */
  start?: number;
  /** First time no longer kept. */
  end?: number;
}

/** A prepared dataset and, for each of its interactions, the raw event it came from. */
export interface PreparedWithOrigin {
  /** The dataset. */
  dataset: Dataset;
  /** `origin[k]` is the index in the raw log of the dataset's interaction `k`. */
  origin: Int32Array;
}

/**
 * Prepares a log for benchmarking.
 *
 * Items are renumbered by descending popularity among the kept events (ties:
 * first appearance in the file); users keep their order of first appearance.
 * Each user's events are sorted by time, ties in file order. Items left with
 * no events after the user filter are dropped from the corpus.
 *
 * @param log The raw log from a loader.
 * @param options Filter and conversion options.
 * @returns The prepared dataset.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { prepareDataset } from "./prepare.ts";
 * const b = new InteractionLogBuilder("toy");
 * for (let t = 0; t < 3; t++) { b.add("a", "x", t); b.add("a", "y", t); b.add("b", "x", t); }
 * const ds = prepareDataset(b.finish(), { minItemCount: 1, minUserCount: 1 });
 * ok(ds.itemIds[0] === "x"); // most popular first
 * ```
 */
export function prepareDataset(log: InteractionLog, options: PrepareOptions = {}): Dataset {
  return prepareWithOrigin(log, options).dataset;
}

/**
 * {@linkcode prepareDataset}, also returning which raw event each prepared
 * interaction came from (given splits use it to carry their labels through).
 *
 * @param log The raw log.
 * @param options Filter and conversion options.
 * @returns The dataset and the origin of each interaction.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { prepareWithOrigin } from "./prepare.ts";
 * const b = new InteractionLogBuilder("toy");
 * b.add("a", "x", 2);
 * b.add("a", "y", 1);
 * const { origin } = prepareWithOrigin(b.finish(), { minItemCount: 1, minUserCount: 1 });
 * ok(origin[0] === 1 && origin[1] === 0); // sorted by time
 * ```
 */
export function prepareWithOrigin(
  log: InteractionLog,
  options: PrepareOptions = {},
): PreparedWithOrigin {
  const minItem = options.minItemCount ?? 5;
  const minUser = options.minUserCount ?? 5;
  const minRating = options.minRating;
  const filter = options.filter ?? "one-pass";
  const dedupe = options.dedupe ?? "keep-all";
  const minLength = options.minSequenceLength ?? 0;
  const window = options.timeWindow;
  if (filter !== "one-pass" && filter !== "k-core") {
    throw new RangeError(`filter must be one-pass or k-core, got "${filter}"`);
  }
  if (dedupe !== "keep-all" && dedupe !== "keep-first") {
    throw new RangeError(`dedupe must be keep-all or keep-first, got "${dedupe}"`);
  }
  const n = log.items.length;
  const keep = new Uint8Array(n).fill(1);
  let droppedByTimeWindow = 0;
  if (window && (window.start !== undefined || window.end !== undefined)) {
    const start = window.start ?? -Infinity, end = window.end ?? Infinity;
    for (let e = 0; e < n; e++) {
      const t = log.times[e];
      if (!(t >= start && t < end)) {
        keep[e] = 0;
        droppedByTimeWindow++;
      }
    }
  }
  let droppedByRating = 0;
  if (minRating !== undefined) {
    if (!log.ratings) {
      throw new TypeError(`Dataset "${log.name}" has no ratings, so minRating cannot apply`);
    }
    for (let e = 0; e < n; e++) {
      if (keep[e] && !(log.ratings[e] >= minRating)) {
        keep[e] = 0;
        droppedByRating++;
      }
    }
  }
  const droppedAsDuplicates = dedupe === "keep-first" ? dropRepeats(log, keep) : 0;
  const beforeFilter = n - droppedByTimeWindow - droppedByRating - droppedAsDuplicates;
  if (filter === "one-pass") filterOnce(log, keep, minItem, minUser);
  else filterToCore(log, keep, minItem, minUser);
  let afterFilter = 0;
  for (let e = 0; e < n; e++) afterFilter += keep[e];
  const droppedByFilter = beforeFilter - afterFilter;
  let droppedByLength = 0;
  if (minLength > 0) {
    const length = countBy(log.users, log.userIds.length, keep);
    for (let e = 0; e < n; e++) {
      if (keep[e] && length[log.users[e]] < minLength) {
        keep[e] = 0;
        droppedByLength++;
      }
    }
  }
  const kept = afterFilter - droppedByLength;
  const finalItemCount = countBy(log.items, log.itemIds.length, keep);

  // Items by descending popularity, ties by first appearance (provisional index).
  const presentItems: number[] = [];
  for (let i = 0; i < finalItemCount.length; i++) if (finalItemCount[i] > 0) presentItems.push(i);
  presentItems.sort((a, b) => finalItemCount[b] - finalItemCount[a] || a - b);
  const itemMap = new Int32Array(log.itemIds.length).fill(-1);
  presentItems.forEach((old, idx) => itemMap[old] = idx);

  const userMap = new Int32Array(log.userIds.length).fill(-1);
  const userIds: string[] = [];
  for (let e = 0; e < n; e++) {
    if (keep[e] && userMap[log.users[e]] < 0) {
      userMap[log.users[e]] = userIds.length;
      userIds.push(log.userIds[log.users[e]]);
    }
  }
  const numUsers = userIds.length;
  const userPtr = new Int32Array(numUsers + 1);
  for (let e = 0; e < n; e++) if (keep[e]) userPtr[userMap[log.users[e]] + 1]++;
  for (let u = 0; u < numUsers; u++) userPtr[u + 1] += userPtr[u];
  // Counting sort by user keeps file order within a user; then a stable sort by time.
  const order = new Int32Array(kept);
  const fill = userPtr.slice(0, numUsers);
  for (let e = 0; e < n; e++) if (keep[e]) order[fill[userMap[log.users[e]]]++] = e;
  for (let u = 0; u < numUsers; u++) {
    const seg = order.subarray(userPtr[u], userPtr[u + 1]);
    if (!isSortedByTime(seg, log.times)) {
      const sorted = Array.from(seg).sort((a, b) => log.times[a] - log.times[b] || a - b);
      seg.set(sorted);
    }
  }
  const items = new Int32Array(kept);
  const times = new Float64Array(kept);
  const ratings = log.ratings ? new Float32Array(kept) : undefined;
  for (let k = 0; k < kept; k++) {
    const e = order[k];
    items[k] = itemMap[log.items[e]];
    times[k] = log.times[e];
    if (ratings && log.ratings) ratings[k] = log.ratings[e];
  }
  const itemIds = presentItems.map((old) => log.itemIds[old]);
  const itemFeatures = log.itemFeatures ? mapFeatures(log.itemFeatures, itemIds) : undefined;
  const userFeatures = log.userFeatures ? mapUserFeatures(log.userFeatures, userIds) : undefined;
  const content = { userPtr, items, times, ratings, userIds, itemIds, itemFeatures, userFeatures };
  const notes = [...(log.notes ?? [])];
  if (userFeatures) notes.push(describeUserFeatures(userFeatures, numUsers));
  const dataset: Dataset = {
    name: log.name,
    numUsers,
    numItems: itemIds.length,
    userPtr,
    items,
    times,
    ...(ratings ? { ratings } : {}),
    userIds,
    itemIds,
    ...(itemFeatures ? { itemFeatures } : {}),
    ...(userFeatures ? { userFeatures } : {}),
    checksum: datasetChecksum(content),
    preparation: {
      options: {
        minRating: minRating ?? null,
        minItemCount: minItem,
        minUserCount: minUser,
        filter,
        dedupe,
        minSequenceLength: minLength,
        timeWindow: window && (window.start !== undefined || window.end !== undefined)
          ? `[${window.start ?? "-inf"}, ${window.end ?? "inf"})`
          : null,
      },
      rawInteractions: n,
      droppedByRating,
      droppedByFilter,
      droppedByTimeWindow,
      droppedAsDuplicates,
      droppedByLength,
      skipped: { ...log.skipped },
      ...(notes.length > 0 ? { notes } : {}),
    },
  };
  return { dataset, origin: order };
}

/** Counts kept events per user (or item) index. */
function countBy(ids: Int32Array, size: number, keep: Uint8Array): Int32Array {
  const count = new Int32Array(size);
  for (let e = 0; e < ids.length; e++) if (keep[e]) count[ids[e]]++;
  return count;
}

/** The papers' filter: items seen `minItem` times, then users with `minUser` of them, once. */
function filterOnce(log: InteractionLog, keep: Uint8Array, minItem: number, minUser: number) {
  const itemCount = countBy(log.items, log.itemIds.length, keep);
  const userCount = new Int32Array(log.userIds.length);
  for (let e = 0; e < keep.length; e++) {
    if (keep[e] && itemCount[log.items[e]] >= minItem) userCount[log.users[e]]++;
  }
  for (let e = 0; e < keep.length; e++) {
    if (keep[e] && !(itemCount[log.items[e]] >= minItem && userCount[log.users[e]] >= minUser)) {
      keep[e] = 0;
    }
  }
}

/** Iterates the filter until no event is dropped (the k-core). */
function filterToCore(log: InteractionLog, keep: Uint8Array, minItem: number, minUser: number) {
  for (let changed = true; changed;) {
    changed = false;
    const itemCount = countBy(log.items, log.itemIds.length, keep);
    const userCount = countBy(log.users, log.userIds.length, keep);
    for (let e = 0; e < keep.length; e++) {
      if (keep[e] && (itemCount[log.items[e]] < minItem || userCount[log.users[e]] < minUser)) {
        keep[e] = 0;
        changed = true;
      }
    }
  }
}

/**
 * Drops all but the earliest event of each user-item pair (ties: the first in
 * the file). Returns how many were dropped.
 */
function dropRepeats(log: InteractionLog, keep: Uint8Array): number {
  const numUsers = log.userIds.length;
  const ptr = new Int32Array(numUsers + 1);
  for (let e = 0; e < keep.length; e++) if (keep[e]) ptr[log.users[e] + 1]++;
  for (let u = 0; u < numUsers; u++) ptr[u + 1] += ptr[u];
  const byUser = new Int32Array(ptr[numUsers]);
  const fill = ptr.slice(0, numUsers);
  for (let e = 0; e < keep.length; e++) if (keep[e]) byUser[fill[log.users[e]]++] = e;
  const stamp = new Int32Array(log.itemIds.length);
  const best = new Int32Array(log.itemIds.length);
  let dropped = 0;
  for (let u = 0; u < numUsers; u++) {
    for (let k = ptr[u]; k < ptr[u + 1]; k++) {
      const e = byUser[k];
      const i = log.items[e];
      if (stamp[i] !== u + 1) {
        stamp[i] = u + 1;
        best[i] = e;
      } else if (log.times[e] < log.times[best[i]]) {
        keep[best[i]] = 0;
        best[i] = e;
        dropped++;
      } else {
        keep[e] = 0;
        dropped++;
      }
    }
  }
  return dropped;
}

function isSortedByTime(seg: Int32Array, times: Float64Array): boolean {
  for (let k = 1; k < seg.length; k++) if (times[seg[k]] < times[seg[k - 1]]) return false;
  return true;
}

function mapFeatures(
  raw: NonNullable<InteractionLog["itemFeatures"]>,
  itemIds: string[],
): ItemFeatures {
  return {
    titles: itemIds.map((id) => raw.titles.get(id) ?? ""),
    fields: mapFields(raw.fields, itemIds),
  };
}

function mapUserFeatures(
  raw: NonNullable<InteractionLog["userFeatures"]>,
  userIds: string[],
): UserFeatures {
  return {
    fields: mapFields(raw.fields, userIds),
    ...(raw.source !== undefined ? { source: raw.source } : {}),
  };
}

/** One line on the user features kept: where from, fields and their sizes, coverage. */
function describeUserFeatures(f: UserFeatures, numUsers: number): string {
  const names = Object.keys(f.fields).sort();
  let covered = 0;
  for (let u = 0; u < numUsers; u++) {
    if (names.some((n) => f.fields[n].ptr[u + 1] > f.fields[n].ptr[u])) covered++;
  }
  const fields = names.map((n) => `${n} (${f.fields[n].vocab.length} values)`).join(", ");
  return `user demographics${
    f.source !== undefined ? ` from ${f.source}` : ""
  }: ${fields}; ${covered} of ${numUsers} users have at least one value`;
}

/** Categorical fields keyed by raw id, as CSR over the dense ids `ids`. */
function mapFields(
  raw: Record<string, Map<string, string[]>>,
  ids: string[],
): Record<string, CategoricalField> {
  const fields: Record<string, CategoricalField> = {};
  for (const name of Object.keys(raw).sort()) {
    const byId = raw[name];
    const vocab = new Map<string, number>();
    // Vocabulary sorted by name so codes do not depend on file order.
    const names = new Set<string>();
    for (const id of ids) for (const v of byId.get(id) ?? []) names.add(v);
    [...names].sort().forEach((v, i) => vocab.set(v, i));
    const ptr = new Int32Array(ids.length + 1);
    const codes: number[] = [];
    ids.forEach((id, i) => {
      for (const v of byId.get(id) ?? []) codes.push(vocab.get(v)!);
      ptr[i + 1] = codes.length;
    });
    fields[name] = { vocab: [...vocab.keys()], ptr, codes: Int32Array.from(codes) };
  }
  return fields;
}
