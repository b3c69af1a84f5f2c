/**
 * Turns a raw interaction log into a prepared {@linkcode Dataset}: implicit
 * conversion, the papers' one-pass frequency filter, popularity renumbering,
 * per-user time order and a content checksum.
 *
 * @module
 */
import { datasetChecksum } from "./checksum.ts";
import type { CategoricalField, Dataset, InteractionLog, ItemFeatures } from "./dataset.ts";

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
  const minItem = options.minItemCount ?? 5;
  const minUser = options.minUserCount ?? 5;
  const minRating = options.minRating;
  const n = log.items.length;
  const keep = new Uint8Array(n).fill(1);
  let droppedByRating = 0;
  if (minRating !== undefined) {
    if (!log.ratings) {
      throw new TypeError(`Dataset "${log.name}" has no ratings, so minRating cannot apply`);
    }
    for (let e = 0; e < n; e++) {
      if (!(log.ratings[e] >= minRating)) {
        keep[e] = 0;
        droppedByRating++;
      }
    }
  }
  const itemCount = new Int32Array(log.itemIds.length);
  for (let e = 0; e < n; e++) if (keep[e]) itemCount[log.items[e]]++;
  const userCount = new Int32Array(log.userIds.length);
  for (let e = 0; e < n; e++) {
    if (keep[e] && itemCount[log.items[e]] >= minItem) userCount[log.users[e]]++;
  }
  let kept = 0;
  const finalItemCount = new Int32Array(log.itemIds.length);
  for (let e = 0; e < n; e++) {
    const ok = keep[e] === 1 && itemCount[log.items[e]] >= minItem &&
      userCount[log.users[e]] >= minUser;
    keep[e] = ok ? 1 : 0;
    if (ok) {
      kept++;
      finalItemCount[log.items[e]]++;
    }
  }
  const droppedByFilter = n - droppedByRating - kept;

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
  const content = { userPtr, items, times, ratings, userIds, itemIds, itemFeatures };
  return {
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
    checksum: datasetChecksum(content),
    preparation: {
      options: { minRating: minRating ?? null, minItemCount: minItem, minUserCount: minUser },
      rawInteractions: n,
      droppedByRating,
      droppedByFilter,
      skipped: { ...log.skipped },
    },
  };
}

function isSortedByTime(seg: Int32Array, times: Float64Array): boolean {
  for (let k = 1; k < seg.length; k++) if (times[seg[k]] < times[seg[k - 1]]) return false;
  return true;
}

function mapFeatures(
  raw: NonNullable<InteractionLog["itemFeatures"]>,
  itemIds: string[],
): ItemFeatures {
  const fields: Record<string, CategoricalField> = {};
  for (const name of Object.keys(raw.fields).sort()) {
    const byId = raw.fields[name];
    const vocab = new Map<string, number>();
    // Vocabulary sorted by name so codes do not depend on file order.
    const names = new Set<string>();
    for (const id of itemIds) for (const v of byId.get(id) ?? []) names.add(v);
    [...names].sort().forEach((v, i) => vocab.set(v, i));
    const ptr = new Int32Array(itemIds.length + 1);
    const codes: number[] = [];
    itemIds.forEach((id, i) => {
      for (const v of byId.get(id) ?? []) codes.push(vocab.get(v)!);
      ptr[i + 1] = codes.length;
    });
    fields[name] = { vocab: [...vocab.keys()], ptr, codes: Int32Array.from(codes) };
  }
  return { titles: itemIds.map((id) => raw.titles.get(id) ?? ""), fields };
}
