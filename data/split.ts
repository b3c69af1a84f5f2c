/**
 * The two evaluation protocols of the suite, as splits of a prepared dataset.
 *
 * - `sequential` (ComiRec / REMI / SimEmb): users are shuffled with the seed
 *   and split 8:1:1 into disjoint train / valid / test users. Train users'
 *   whole sequences are training data; a held-out user's first 80% (floored)
 *   is the history and every item in the remaining 20% is a target.
 * - `cf` (IDSF / fairness / EfficientRec): each user's interactions are split
 *   8:1:1, at random (seeded) or by time; models train on the training part
 *   and rank every item the user has not interacted with in training.
 *
 * @module
 */
import type { Dataset, ItemFeatures, UserFeatures } from "./dataset.ts";
import { deriveRng } from "./rng.ts";

/** Protocol names. */
export type ProtocolName = "sequential" | "cf";

/** All protocol names, in report order. */
export const PROTOCOLS: readonly ProtocolName[] = ["sequential", "cf"];

/** What models train on. CSR over all dataset users; rows of non-training users are empty. */
export interface TrainingData {
  /** The protocol that produced this split. */
  readonly protocol: ProtocolName;
  /** Number of users (dense index space of the dataset). */
  readonly numUsers: number;
  /** Number of items. */
  readonly numItems: number;
  /** Row pointers, length numUsers + 1. */
  readonly userPtr: Int32Array;
  /** Training items of each user, in time order. */
  readonly items: Int32Array;
  /** Timestamps aligned with `items`. */
  readonly times: Float64Array;
  /** Users with a non-empty training row, ascending. */
  readonly trainUsers: Int32Array;
  /** Item side features, if the dataset has them. */
  readonly itemFeatures?: ItemFeatures;
  /** User side features (demographics) over all dataset users, if the dataset has them. */
  readonly userFeatures?: UserFeatures;
  /** The validation queries, for early stopping. */
  readonly validation: EvaluationSet;
  /**
   * Longest history a query carries (`maxlen` in the sequential protocol;
   * 0 means unlimited, as in `cf`). Sequence models should train on windows of this length.
   */
  readonly maxHistory: number;
}

/** A user to score: the user index and the history the model may use. */
export interface Query {
  /** Dense user index (in `sequential`, a user the model never trained on). */
  readonly user: number;
  /** History items in time order. */
  readonly history: Int32Array;
  /**
   * Timestamps aligned with `history` (`sequential` queries carry them, for
   * models that read the events' times such as PIMIRec).
   */
  readonly times?: Float64Array;
}

/** Queries with their targets and exclusions. */
export interface EvaluationSet {
  /** Queries, one per evaluated user, in ascending user order. */
  readonly queries: readonly Query[];
  /** Target items of each query. */
  readonly targets: readonly ReadonlySet<number>[];
  /**
   * Items never to recommend to each query, sorted ascending: training items in
   * `cf`; in `sequential` only with `excludeHistory` (the whole 80% prefix).
   */
  readonly exclude?: readonly Int32Array[];
  /**
   * Target events of each query, repeats counted (`sequential` only): the
   * denominator of the reference code's recall, see `metrics/variants.ts`.
   */
  readonly targetEvents?: readonly number[];
}

/** A dataset split under one protocol. */
export interface Split {
  /** Protocol name. */
  readonly protocol: ProtocolName;
  /** Training data (includes the validation set). */
  readonly train: TrainingData;
  /** Test queries. */
  readonly test: EvaluationSet;
  /** Protocol settings, for the results' config. */
  readonly config: Record<string, unknown>;
}

/** Options of {@linkcode splitSequential}. */
export interface SequentialSplitOptions {
  /** Split seed. */
  seed: number;
  /** Train / valid / test user ratios. @default {[0.8, 0.1, 0.1]} */
  ratios?: readonly [number, number, number];
  /** Share of a held-out sequence used as history. @default {0.8} */
  historyShare?: number;
  /**
   * A query's history is the last `maxlen` items of that share (ComiRec and
   * REMI: 20 for Amazon Books and RetailRocket, 40 for Gowalla).
   * @default {20}
   */
  maxlen?: number;
  /**
   * Remove history items from the candidates of held-out users. The reference
   * code does not; turning it on is labelled in the report, with the number of
   * test targets that are also in the history (`config.testTargetsInHistory`),
   * which then cannot be hit.
   * @default {false}
   */
  excludeHistory?: boolean;
}

/**
 * The `sequential` protocol: disjoint train / valid / test users.
 *
 * @param dataset The prepared dataset.
 * @param options Seed and ratios.
 * @returns The split.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { splitSequential } from "./split.ts";
 * const s = splitSequential(generateSynthetic({ numUsers: 100, numItems: 60 }), { seed: 1 });
 * ok(s.test.queries.length > 0);
 * ```
 */
export function splitSequential(dataset: Dataset, options: SequentialSplitOptions): Split {
  const ratios = options.ratios ?? [0.8, 0.1, 0.1];
  checkRatios(ratios);
  const share = options.historyShare ?? 0.8;
  const maxlen = options.maxlen ?? 20;
  return sequentialSplitOf(dataset, sequentialUserParts(dataset, { seed: options.seed, ratios }), {
    historyShare: share,
    maxlen,
    excludeHistory: options.excludeHistory ?? false,
    config: { seed: options.seed, ratios: [...ratios] },
  });
}

/** Disjoint train / valid / test users of the `sequential` protocol, each ascending. */
export interface UserParts {
  /** Users whose whole sequences train the models. */
  train: Int32Array;
  /** Users scored for early stopping. */
  valid: Int32Array;
  /** Users scored for the reported metrics. */
  test: Int32Array;
}

/**
 * The user partition of the `sequential` protocol: users shuffled with the
 * seed's `split` stream, then cut 8:1:1 (floored), each part ascending.
 *
 * @param dataset The prepared dataset (only `numUsers` and `name` are read).
 * @param options Seed and ratios.
 * @returns The three parts.
 * @throws {RangeError} If the train or test part is empty.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { sequentialUserParts } from "./split.ts";
 * const parts = sequentialUserParts(generateSynthetic({ numUsers: 100, numItems: 60 }), { seed: 1 });
 * ok(parts.train.length === 80 && parts.valid.length === 10 && parts.test.length === 10);
 * ```
 */
export function sequentialUserParts(
  dataset: Pick<Dataset, "numUsers" | "name">,
  options: { seed: number; ratios?: readonly [number, number, number] },
): UserParts {
  const ratios = options.ratios ?? [0.8, 0.1, 0.1];
  checkRatios(ratios);
  const users = Int32Array.from({ length: dataset.numUsers }, (_, u) => u);
  deriveRng(options.seed, "split").shuffle(users);
  const n = users.length;
  const nTrain = Math.floor(n * ratios[0]);
  const nValid = Math.floor(n * (ratios[0] + ratios[1])) - nTrain;
  const sortUp = (a: Int32Array) => a.sort();
  const parts = {
    train: sortUp(users.slice(0, nTrain)),
    valid: sortUp(users.slice(nTrain, nTrain + nValid)),
    test: sortUp(users.slice(nTrain + nValid)),
  };
  if (parts.train.length === 0 || parts.test.length === 0) {
    throw new RangeError(
      `Dataset "${dataset.name}" has too few users (${n}) for an 8:1:1 user split`,
    );
  }
  return parts;
}

/** Options of {@linkcode sequentialSplitOf}. */
export interface HeldOutOptions {
  /** Share of a held-out sequence used as history. */
  historyShare: number;
  /** A query's history is the last `maxlen` items of that share. */
  maxlen: number;
  /** Remove the whole history share from the candidates. */
  excludeHistory: boolean;
  /** Extra entries of the split's `config` (seed, ratios, or `split: "given"`). */
  config?: Record<string, unknown>;
}

/**
 * The `sequential` split for a given user partition: train users' whole
 * sequences train; a valid or test user's first `historyShare` (floored) is
 * the history (its last `maxlen` items) and every later event is a target.
 * Users whose cut leaves no history or no target are not scored.
 *
 * @param dataset The prepared dataset.
 * @param parts Disjoint train / valid / test users, ascending.
 * @param options History share, maxlen, exclusions and extra config.
 * @returns The split.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { sequentialSplitOf, sequentialUserParts } from "./split.ts";
 * const ds = generateSynthetic({ numUsers: 100, numItems: 60 });
 * const parts = sequentialUserParts(ds, { seed: 1 });
 * const s = sequentialSplitOf(ds, parts, { historyShare: 0.8, maxlen: 20, excludeHistory: false });
 * ok(s.test.queries.length === 10);
 * ```
 */
export function sequentialSplitOf(
  dataset: Dataset,
  parts: UserParts,
  options: HeldOutOptions,
): Split {
  const { historyShare: share, maxlen } = options;
  if (!Number.isInteger(maxlen) || maxlen < 1) {
    throw new RangeError(`maxlen must be a positive integer, got ${maxlen}`);
  }
  if (!(share > 0 && share < 1)) {
    throw new RangeError(`historyShare must be in (0, 1), got ${share}`);
  }
  const { train: trainUsers, valid: validUsers, test: testUsers } = parts;
  const isTrain = new Uint8Array(dataset.numUsers);
  for (const u of trainUsers) isTrain[u] = 1;
  const rows = selectRows(dataset, (u) => isTrain[u] === 1);
  // Test targets that also occur in the user's 80% prefix: with excludeHistory
  // they are removed from the candidates and can never be hit.
  const inHistory = { targets: 0, alsoInHistory: 0 };
  const heldOut = (list: Int32Array, count: boolean): EvaluationSet => {
    const queries: Query[] = [];
    const targets: Set<number>[] = [];
    const targetEvents: number[] = [];
    const exclude: Int32Array[] = [];
    for (const u of list) {
      const seq = dataset.items.subarray(dataset.userPtr[u], dataset.userPtr[u + 1]);
      const cut = Math.floor(seq.length * share);
      if (cut < 1 || cut >= seq.length) continue;
      const history = seq.slice(Math.max(0, cut - maxlen), cut);
      const start = dataset.userPtr[u];
      const times = dataset.times.slice(start + Math.max(0, cut - maxlen), start + cut);
      const target = new Set(seq.subarray(cut));
      queries.push({ user: u, history, times });
      targets.push(target);
      targetEvents.push(seq.length - cut);
      if (count) {
        const prefix = new Set(seq.subarray(0, cut));
        inHistory.targets += target.size;
        for (const i of target) if (prefix.has(i)) inHistory.alsoInHistory++;
      }
      if (options.excludeHistory) exclude.push(seq.slice(0, cut).sort());
    }
    return {
      queries,
      targets,
      targetEvents,
      ...(options.excludeHistory ? { exclude } : {}),
    };
  };
  const validation = heldOut(validUsers, false);
  const test = heldOut(testUsers, true);
  return {
    protocol: "sequential",
    train: {
      protocol: "sequential",
      numUsers: dataset.numUsers,
      numItems: dataset.numItems,
      ...rows,
      trainUsers,
      ...(dataset.itemFeatures ? { itemFeatures: dataset.itemFeatures } : {}),
      ...(dataset.userFeatures ? { userFeatures: dataset.userFeatures } : {}),
      validation,
      maxHistory: maxlen,
    },
    test,
    config: {
      protocol: "sequential",
      ...options.config,
      historyShare: share,
      maxlen,
      excludeHistory: options.excludeHistory,
      users: { train: trainUsers.length, valid: validUsers.length, test: testUsers.length },
      testTargetsInHistory: { ...inHistory },
    },
  };
}

/** Options of {@linkcode splitPerUser}. */
export interface PerUserSplitOptions {
  /** Split seed (used by the random order). */
  seed: number;
  /** `random` shuffles each user's interactions; `temporal` keeps time order. @default {"random"} */
  order?: "random" | "temporal";
  /** Train / valid / test ratios. @default {[0.8, 0.1, 0.1]} */
  ratios?: readonly [number, number, number];
}

/**
 * The `cf` protocol: each user's interactions split 8:1:1. A user's events are
 * first reduced to distinct items (the first occurrence in time is kept), so an
 * item can never be both a training item (excluded from the candidates) and a
 * target; the number of repeats removed is `config.repeatsRemoved`. A user
 * with `n` distinct items gets `max(1, round(n * valid))` validation and
 * `max(1, round(n * test))` test items (so users with fewer than 10 items get
 * one of each, as in IDSF), the rest train; users with fewer than 3
 * interactions are not evaluated and train on all they have.
 *
 * @param dataset The prepared dataset.
 * @param options Seed, order and ratios.
 * @returns The split; test exclusions are the user's training items.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { splitPerUser } from "./split.ts";
 * const s = splitPerUser(generateSynthetic({ numUsers: 100, numItems: 60 }), { seed: 1 });
 * ok(s.test.queries.length === 100);
 * ```
 */
export function splitPerUser(dataset: Dataset, options: PerUserSplitOptions): Split {
  const ratios = options.ratios ?? [0.8, 0.1, 0.1];
  checkRatios(ratios);
  const order = options.order ?? "random";
  const rng = deriveRng(options.seed, "split");
  const distinct = firstOccurrences(dataset);
  const trainPtr = new Int32Array(dataset.numUsers + 1);
  const trainItems: number[] = [];
  const trainTimes: number[] = [];
  const valid: { q: Query; t: Set<number>; x: Int32Array }[] = [];
  const test: { q: Query; t: Set<number>; x: Int32Array }[] = [];
  for (let u = 0; u < dataset.numUsers; u++) {
    const start = distinct.userPtr[u], end = distinct.userPtr[u + 1];
    const n = end - start;
    const idx = distinct.events.slice(start, end);
    if (order === "random") rng.shuffle(idx);
    let nValid = 0, nTest = 0;
    if (n >= 3) {
      nValid = Math.max(1, Math.round(n * ratios[1]));
      nTest = Math.max(1, Math.round(n * ratios[2]));
    }
    const nTrain = n - nValid - nTest;
    const trainIdx = idx.slice(0, nTrain).sort(); // back to time order
    for (const e of trainIdx) {
      trainItems.push(dataset.items[e]);
      trainTimes.push(dataset.times[e]);
    }
    trainPtr[u + 1] = trainItems.length;
    if (n < 3) continue;
    const history = Int32Array.from(trainIdx, (e) => dataset.items[e]);
    const exclude = history.slice().sort();
    const pick = (from: number, to: number) =>
      new Set(Array.from(idx.subarray(from, to), (e) => dataset.items[e]));
    valid.push({ q: { user: u, history }, t: pick(nTrain, nTrain + nValid), x: exclude });
    test.push({ q: { user: u, history }, t: pick(nTrain + nValid, n), x: exclude });
  }
  const trainUsers: number[] = [];
  for (let u = 0; u < dataset.numUsers; u++) if (trainPtr[u + 1] > trainPtr[u]) trainUsers.push(u);
  const toSet = (rows: typeof valid): EvaluationSet => ({
    queries: rows.map((r) => r.q),
    targets: rows.map((r) => r.t),
    exclude: rows.map((r) => r.x),
  });
  return {
    protocol: "cf",
    train: {
      protocol: "cf",
      numUsers: dataset.numUsers,
      numItems: dataset.numItems,
      userPtr: trainPtr,
      items: Int32Array.from(trainItems),
      times: Float64Array.from(trainTimes),
      trainUsers: Int32Array.from(trainUsers),
      ...(dataset.itemFeatures ? { itemFeatures: dataset.itemFeatures } : {}),
      ...(dataset.userFeatures ? { userFeatures: dataset.userFeatures } : {}),
      validation: toSet(valid),
      maxHistory: 0,
    },
    test: toSet(test),
    config: {
      protocol: "cf",
      seed: options.seed,
      order,
      ratios: [...ratios],
      repeatsRemoved: distinct.repeats,
    },
  };
}

/** Distinct user-item events of a dataset: event indices, CSR over users. */
export interface DistinctEvents {
  /** Row pointers over users, length numUsers + 1. */
  userPtr: Int32Array;
  /** Indices into the dataset's `items` / `times`, in time order within a user. */
  events: Int32Array;
  /** Events dropped because the user had met the item before. */
  repeats: number;
}

/**
 * Each user's first event with each item (the dataset is in time order within
 * a user, ties in file order, so the first is the earliest).
 *
 * @param dataset The prepared dataset.
 * @returns The kept event indices and how many repeats were dropped.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { firstOccurrences } from "./split.ts";
 * const ds = generateSynthetic({ numUsers: 10, numItems: 30 }); // no repeats
 * deepStrictEqual(firstOccurrences(ds).repeats, 0);
 * ```
 */
export function firstOccurrences(dataset: Dataset): DistinctEvents {
  const userPtr = new Int32Array(dataset.numUsers + 1);
  const events = new Int32Array(dataset.items.length);
  const seenBy = new Int32Array(dataset.numItems).fill(-1);
  let kept = 0;
  for (let u = 0; u < dataset.numUsers; u++) {
    for (let e = dataset.userPtr[u]; e < dataset.userPtr[u + 1]; e++) {
      const i = dataset.items[e];
      if (seenBy[i] === u) continue;
      seenBy[i] = u;
      events[kept++] = e;
    }
    userPtr[u + 1] = kept;
  }
  return { userPtr, events: events.slice(0, kept), repeats: dataset.items.length - kept };
}

function checkRatios(r: readonly number[]): void {
  if (r.length !== 3 || r.some((x) => !(x >= 0)) || Math.abs(r[0] + r[1] + r[2] - 1) > 1e-9) {
    throw new RangeError(`Split ratios must be three non-negative numbers summing to 1, got ${r}`);
  }
}

function selectRows(dataset: Dataset, keep: (u: number) => boolean) {
  const userPtr = new Int32Array(dataset.numUsers + 1);
  for (let u = 0; u < dataset.numUsers; u++) {
    userPtr[u + 1] = userPtr[u] +
      (keep(u) ? dataset.userPtr[u + 1] - dataset.userPtr[u] : 0);
  }
  const items = new Int32Array(userPtr[dataset.numUsers]);
  const times = new Float64Array(items.length);
  for (let u = 0; u < dataset.numUsers; u++) {
    if (!keep(u)) continue;
    const s = dataset.userPtr[u], e = dataset.userPtr[u + 1];
    items.set(dataset.items.subarray(s, e), userPtr[u]);
    times.set(dataset.times.subarray(s, e), userPtr[u]);
  }
  return { userPtr, items, times };
}
