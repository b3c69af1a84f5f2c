/**
 * The in-memory data model: a raw interaction log as read from files, and the
 * prepared dataset every model sees (dense ids, per-user CSR in time order).
 *
 * @module
 */

/** Optional item side features: multi-valued categorical fields and titles. */
export interface ItemFeatures {
  /** Item titles by dense item index ("" where unknown). */
  titles?: string[];
  /**
   * Categorical fields (e.g. `genres`) as CSR over dense item indices:
   * values of item `i` are `codes[ptr[i]..ptr[i+1])`, indices into `vocab`.
   */
  fields: Record<string, CategoricalField>;
  /**
   * Dense numeric features from extra files (`--item-features [name=]PATH`,
   * one entry per file in the order given, see `item_features.ts`). Attached
   * by the runner after preparation, so they are not part of
   * {@linkcode Dataset.checksum}; each file's SHA-256 is in its `source`.
   */
  dense?: DenseItemFeatures[];
}

/** Dense item features: one float vector per item, or none (a missing row). */
export interface DenseItemFeatures {
  /** The modality the file feeds (`text`, `visual`, ...; `dense` when unnamed). */
  modality: string;
  /** Feature names (the CSV header after `item_id`; `f0`, `f1`, ... for NPY). */
  names: string[];
  /** Values `[numItems, names.length]` by dense item index; zeros where `present` is 0. */
  values: Float32Array;
  /** 1 where the item has a row in the file, 0 where it has none. */
  present: Uint8Array;
  /**
   * The file the values came from and the SHA-256 of its bytes; for NPY also
   * the item-id file beside it and its SHA-256.
   */
  source: { file: string; sha256: string; ids?: { file: string; sha256: string } };
}

/**
 * Optional user side features (demographics such as gender, age group,
 * occupation or country), as categorical fields in CSR form over dense user
 * indices (a user without a value has an empty row).
 */
export interface UserFeatures {
  /** Fields by name, e.g. `gender`, `age`. */
  fields: Record<string, CategoricalField>;
  /** The file the features came from (recorded in the dataset summary). */
  source?: string;
}

/** User features keyed by raw user id, before renumbering. */
export interface RawUserFeatures {
  /** Multi-valued categorical fields by raw user id. */
  fields: Record<string, Map<string, string[]>>;
  /** The file they were read from. */
  source?: string;
}

/** One multi-valued categorical item feature in CSR form. */
export interface CategoricalField {
  /** Value names, index = code. */
  vocab: string[];
  /** Row pointers, length numItems + 1. */
  ptr: Int32Array;
  /** Codes into `vocab`. */
  codes: Int32Array;
}

/**
 * A prepared dataset: users and items have dense indices `0..n-1`, each user's
 * interactions are contiguous (CSR) and sorted by time, ties in file order.
 * Items are numbered by descending popularity (ties: first seen in the file).
 */
export interface Dataset {
  /** Dataset name, e.g. `"ml-latest-small"`. */
  readonly name: string;
  /** Number of users. */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** Row pointers, length numUsers + 1. */
  readonly userPtr: Int32Array;
  /** Item index of each interaction, grouped by user. */
  readonly items: Int32Array;
  /** Timestamp of each interaction (seconds or ms as in the source). */
  readonly times: Float64Array;
  /** Rating of each interaction, if the source has ratings. */
  readonly ratings?: Float32Array;
  /** Raw user id of each dense user index. */
  readonly userIds: readonly string[];
  /** Raw item id of each dense item index. */
  readonly itemIds: readonly string[];
  /** Item side features, if the source has them. */
  readonly itemFeatures?: ItemFeatures;
  /** User side features (demographics), if the source has them. */
  readonly userFeatures?: UserFeatures;
  /** SHA-256 (hex) over the prepared content: ids, interactions, times, ratings, features. */
  readonly checksum: string;
  /** What preparation did, for the results' config. */
  readonly preparation: PreparationReport;
}

/** A record of what preparation kept and dropped. */
export interface PreparationReport {
  /** Options used. */
  options: Record<string, unknown>;
  /** Interactions read from the source. */
  rawInteractions: number;
  /** Interactions dropped by the rating threshold. */
  droppedByRating: number;
  /** Interactions dropped by the item and user frequency filter. */
  droppedByFilter: number;
  /** Interactions outside the time window (`PrepareOptions.timeWindow`). */
  droppedByTimeWindow?: number;
  /** Repeated user-item events dropped by `dedupe: "keep-first"`. */
  droppedAsDuplicates?: number;
  /** Interactions of users shorter than `minSequenceLength` after the filter. */
  droppedByLength?: number;
  /** Lines the loader skipped on purpose (e.g. headers), with reasons; never silent. */
  skipped: Record<string, number>;
  /** What the loader wants said (e.g. an optional file that was missing). */
  notes?: string[];
}

/**
 * A raw interaction log, columnar, as loaders produce it. Users and items carry
 * provisional indices in order of first appearance; `prepareDataset` renumbers.
 */
export interface InteractionLog {
  /** Dataset name. */
  name: string;
  /** Provisional user index of each event. */
  users: Int32Array;
  /** Provisional item index of each event. */
  items: Int32Array;
  /** Timestamp of each event. */
  times: Float64Array;
  /** Rating of each event, if any. */
  ratings?: Float32Array;
  /** Raw user ids by provisional index. */
  userIds: string[];
  /** Raw item ids by provisional index. */
  itemIds: string[];
  /** Item features keyed by raw item id, if the source has them. */
  itemFeatures?: RawItemFeatures;
  /** User features (demographics) keyed by raw user id, if the source has them. */
  userFeatures?: RawUserFeatures;
  /** Lines skipped on purpose, with reasons. */
  skipped: Record<string, number>;
  /** What the loader wants said (e.g. an optional file that was missing). */
  notes?: string[];
}

/** Item features keyed by raw item id, before renumbering. */
export interface RawItemFeatures {
  /** Title by raw item id. */
  titles: Map<string, string>;
  /** Multi-valued categorical fields by raw item id. */
  fields: Record<string, Map<string, string[]>>;
}

/**
 * Returns the items of user `u` (a view, not a copy).
 *
 * @param dataset The dataset.
 * @param user Dense user index.
 * @returns The user's item indices in time order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { userItems } from "./dataset.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const ds = generateSynthetic({ numUsers: 50, numItems: 40 });
 * ok(userItems(ds, 0).length > 0);
 * ```
 */
export function userItems(dataset: Pick<Dataset, "userPtr" | "items">, user: number): Int32Array {
  return dataset.items.subarray(dataset.userPtr[user], dataset.userPtr[user + 1]);
}
