/**
 * Predefined splits, evaluated exactly as given: no re-filtering, no
 * re-splitting. Reads the user-item-list files NGCF and LightGCN distribute
 * (`train.txt`, `test.txt`: a user id, then that user's item ids, separated
 * by spaces), and turns any two or three logs (train / valid / test, in any
 * supported format) into the suite's {@linkcode Split}.
 *
 * @module
 */
import { checkId, forEachRecord, type LoadOptions, prefixed } from "./_records.ts";
import type { Dataset, InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { type PrepareOptions, prepareWithOrigin } from "./prepare.ts";
import {
  type EvaluationSet,
  type Query,
  sequentialSplitOf,
  type Split,
  type UserParts,
} from "./split.ts";

/** The parts of a given split. */
export interface GivenLogs {
  /** Training interactions. */
  train: InteractionLog;
  /** Validation interactions, if the split has them. */
  valid?: InteractionLog;
  /** Test interactions. */
  test: InteractionLog;
}

/** A prepared dataset with the part (0 train, 1 valid, 2 test) of each interaction. */
export interface GivenDataset {
  /** All interactions of all parts, prepared without filtering. */
  dataset: Dataset;
  /** Part of each interaction of `dataset`, aligned with `dataset.items`. */
  parts: Uint8Array;
}

/** Part labels. */
export const TRAIN = 0, VALID = 1, TEST = 2;

/**
 * Reads a user-item-list file (NGCF / LightGCN `train.txt`, `test.txt`): each
 * line a user id followed by item ids, all non-negative integers separated by
 * white space. A line with only a user id has no items. Events are timed by
 * their position in the file, so each user's list keeps its order.
 *
 * @param path The file.
 * @param options Bad-line policy and the log's name.
 * @returns The log (no ratings).
 * @throws {DataFormatError} On a non-integer id or a user listed twice.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadUserItemLists } from "./given_split.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "0 5 7 9\n1 5\n");
 * const log = await loadUserItemLists(path);
 * ok(log.items.length === 4 && log.itemIds[2] === "9");
 * await Deno.remove(path);
 * ```
 */
export async function loadUserItemLists(
  path: string,
  options: LoadOptions & { name?: string } = {},
): Promise<InteractionLog> {
  const name = options.name ?? "given";
  try {
    const builder = new InteractionLogBuilder(name);
    const users = new Map<string, number>();
    let time = 0;
    await forEachRecord(
      path,
      { separator: (text) => text.trim().split(/\s+/), onBadLine: options.onBadLine },
      builder,
      (fields, where) => {
        const user = checkId(fields[0], "user id", where);
        const first = users.get(user);
        if (first !== undefined) {
          throw new DataFormatError(`user ${user} already listed on line ${first}`, where);
        }
        for (let k = 1; k < fields.length; k++) checkId(fields[k], "item id", where);
        users.set(user, where.line);
        for (let k = 1; k < fields.length; k++) builder.add(user, fields[k], time++);
      },
    );
    return builder.finish();
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}

/**
 * Merges the parts of a given split into one prepared dataset, with no
 * frequency filter (`minItemCount` and `minUserCount` 1 unless `options` say
 * otherwise), remembering each interaction's part. Items are numbered by
 * popularity over all parts, as everywhere in the suite; raw ids are kept.
 * Events of different parts keep their own times; training events come first
 * when times tie.
 *
 * @param name The dataset name.
 * @param logs The parts.
 * @param options Preparation options (defaults: no filter).
 * @returns The dataset and the part of each interaction.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { prepareGiven } from "./given_split.ts";
 * const train = new InteractionLogBuilder("t");
 * train.add("u", "a", 1);
 * const test = new InteractionLogBuilder("t");
 * test.add("u", "b", 2);
 * const g = prepareGiven("toy", { train: train.finish(), test: test.finish() });
 * ok(g.dataset.items.length === 2 && g.parts[1] === 2);
 * ```
 */
export function prepareGiven(
  name: string,
  logs: GivenLogs,
  options: PrepareOptions = {},
): GivenDataset {
  const parts = [logs.train, logs.valid ?? null, logs.test];
  const log = mergeLogs(name, parts.filter((l): l is InteractionLog => l !== null), {
    labels: parts.flatMap((l, k) => (l ? [["train", "valid", "test"][k]] : [])),
  });
  const labels = new Uint8Array(log.items.length);
  let at = 0;
  parts.forEach((l, part) => {
    if (l) labels.fill(part, at, at += l.items.length);
  });
  // Parts order the events of one user at equal times: train, valid, test.
  const { dataset, origin } = prepareWithOrigin(log, {
    minItemCount: 1,
    minUserCount: 1,
    ...options,
  });
  const out = new Uint8Array(origin.length);
  for (let k = 0; k < origin.length; k++) out[k] = labels[origin[k]];
  return {
    dataset: {
      ...dataset,
      preparation: {
        ...dataset.preparation,
        options: { ...dataset.preparation.options, split: "given" },
      },
    },
    parts: out,
  };
}

/**
 * Concatenates logs (events in order, raw ids shared, times as they are).
 * Ratings are kept if every log has them; item features are merged (the first
 * log to describe an item wins); skipped-line counts are added up, prefixed
 * with each log's label if labels are given.
 *
 * @param name The merged log's name.
 * @param logs The logs.
 * @param options `labels`: one per log, e.g. `["train", "test"]`.
 * @returns The merged log.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { mergeLogs } from "./given_split.ts";
 * const a = new InteractionLogBuilder("a");
 * a.add("u", "x", 1);
 * const b = new InteractionLogBuilder("b");
 * b.add("u", "y", 1);
 * const m = mergeLogs("ab", [a.finish(), b.finish()]);
 * ok(m.userIds.length === 1 && m.items.length === 2);
 * ```
 */
export function mergeLogs(
  name: string,
  logs: readonly InteractionLog[],
  options: { labels?: readonly string[] } = {},
): InteractionLog {
  const withRatings = logs.every((l) => l.ratings !== undefined);
  const builder = new InteractionLogBuilder(name, { withRatings });
  const titles = new Map<string, string>();
  const fields: Record<string, Map<string, string[]>> = {};
  let hasFeatures = false;
  logs.forEach((log, k) => {
    for (let e = 0; e < log.items.length; e++) {
      builder.add(
        log.userIds[log.users[e]],
        log.itemIds[log.items[e]],
        log.times[e],
        log.ratings?.[e],
      );
    }
    for (const [reason, count] of Object.entries(log.skipped)) {
      const key = options.labels ? `${options.labels[k]} ${reason}` : reason;
      builder.skipped[key] = (builder.skipped[key] ?? 0) + count;
    }
    if (log.itemFeatures) {
      hasFeatures = true;
      for (const [id, t] of log.itemFeatures.titles) if (!titles.has(id)) titles.set(id, t);
      for (const [f, byId] of Object.entries(log.itemFeatures.fields)) {
        fields[f] ??= new Map();
        for (const [id, v] of byId) if (!fields[f].has(id)) fields[f].set(id, v);
      }
    }
  });
  if (hasFeatures) builder.itemFeatures = { titles, fields };
  return builder.finish();
}

/**
 * The split as given: models train on the training part; the validation and
 * test queries are the users with validation and test interactions, each with
 * their training items as history. Candidates exclude the user's training
 * items (and, for test, validation items), as NGCF, LightGCN and RecBole do.
 * The protocol is `cf` (per-user full ranking), labelled `split: "given"`.
 *
 * @param given The dataset and parts from {@linkcode prepareGiven}.
 * @returns The split.
 * @throws {RangeError} If no user has a test interaction.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { prepareGiven, splitGiven } from "./given_split.ts";
 * const train = new InteractionLogBuilder("t");
 * train.add("u", "a", 1);
 * const test = new InteractionLogBuilder("t");
 * test.add("u", "b", 2);
 * const split = splitGiven(prepareGiven("toy", { train: train.finish(), test: test.finish() }));
 * ok(split.test.queries.length === 1 && split.train.items.length === 1);
 * ```
 */
export function splitGiven(given: GivenDataset): Split {
  const { dataset: ds, parts } = given;
  const trainPtr = new Int32Array(ds.numUsers + 1);
  const trainItems: number[] = [];
  const trainTimes: number[] = [];
  const valid = {
    queries: [] as Query[],
    targets: [] as Set<number>[],
    exclude: [] as Int32Array[],
  };
  const test = {
    queries: [] as Query[],
    targets: [] as Set<number>[],
    exclude: [] as Int32Array[],
  };
  const counts = [0, 0, 0];
  for (let u = 0; u < ds.numUsers; u++) {
    const history: number[] = [];
    const validItems: number[] = [];
    const testItems: number[] = [];
    for (let k = ds.userPtr[u]; k < ds.userPtr[u + 1]; k++) {
      const p = parts[k];
      counts[p]++;
      if (p === TRAIN) {
        history.push(ds.items[k]);
        trainItems.push(ds.items[k]);
        trainTimes.push(ds.times[k]);
      } else (p === VALID ? validItems : testItems).push(ds.items[k]);
    }
    trainPtr[u + 1] = trainItems.length;
    const h = Int32Array.from(history);
    const seen = h.slice().sort();
    if (validItems.length > 0) {
      valid.queries.push({ user: u, history: h });
      valid.targets.push(new Set(validItems));
      valid.exclude.push(seen);
    }
    if (testItems.length > 0) {
      test.queries.push({ user: u, history: h });
      test.targets.push(new Set(testItems));
      test.exclude.push(Int32Array.from(new Set([...history, ...validItems])).sort());
    }
  }
  if (test.queries.length === 0) {
    throw new RangeError(`Dataset "${ds.name}" has no test interactions in its given split`);
  }
  const trainUsers: number[] = [];
  for (let u = 0; u < ds.numUsers; u++) if (trainPtr[u + 1] > trainPtr[u]) trainUsers.push(u);
  return {
    protocol: "cf",
    train: {
      protocol: "cf",
      numUsers: ds.numUsers,
      numItems: ds.numItems,
      userPtr: trainPtr,
      items: Int32Array.from(trainItems),
      times: Float64Array.from(trainTimes),
      trainUsers: Int32Array.from(trainUsers),
      ...(ds.itemFeatures ? { itemFeatures: ds.itemFeatures } : {}),
      validation: valid as EvaluationSet,
      maxHistory: 0,
    },
    test: test as EvaluationSet,
    config: {
      protocol: "cf",
      split: "given",
      interactions: { train: counts[0], valid: counts[1], test: counts[2] },
      users: { train: trainUsers.length, valid: valid.queries.length, test: test.queries.length },
    },
  };
}

/** Options of {@linkcode splitGivenSequential}. */
export interface GivenSequentialOptions {
  /** A query's history is the last `maxlen` items of its history share. @default {20} */
  maxlen?: number;
  /** Share of a held-out sequence used as history. @default {0.8} */
  historyShare?: number;
  /** Remove the whole history share from the candidates (labelled). @default {false} */
  excludeHistory?: boolean;
}

/**
 * A given split of disjoint users (ComiRec's and REMI's files) under the
 * `sequential` protocol: users of the training part train, users of the
 * validation part validate and users of the test part are scored, each with
 * the first 80% (floored) of their sequence as history and the rest as
 * targets, as the reference evaluation does.
 *
 * @param given The dataset and parts from {@linkcode prepareGiven}.
 * @param options History length, share and exclusions.
 * @returns The split, labelled `split: "given"`.
 * @throws {RangeError} If a user has events in two parts (a per-user split: use `--protocol cf`), or no user is in the test part.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { prepareGiven, splitGivenSequential } from "./given_split.ts";
 * const part = (user: string) => {
 *   const b = new InteractionLogBuilder("t");
 *   for (const [t, item] of ["a", "b", "c", "d", "e"].entries()) b.add(user, item, t);
 *   return b.finish();
 * };
 * const split = splitGivenSequential(prepareGiven("toy", { train: part("u1"), test: part("u2") }));
 * ok(split.test.queries[0].history.length === 4 && split.test.targets[0].size === 1);
 * ```
 */
export function splitGivenSequential(
  given: GivenDataset,
  options: GivenSequentialOptions = {},
): Split {
  const { dataset: ds, parts } = given;
  const members: number[][] = [[], [], []];
  for (let u = 0; u < ds.numUsers; u++) {
    const start = ds.userPtr[u], end = ds.userPtr[u + 1];
    if (start === end) continue;
    const part = parts[start];
    for (let k = start + 1; k < end; k++) {
      if (parts[k] !== part) {
        throw new RangeError(
          `Dataset "${ds.name}": user "${
            ds.userIds[u]
          }" has events in two parts of the given split; ` +
            `--split given with --protocol sequential needs disjoint users (ComiRec's files); for a per-user split use --protocol cf`,
        );
      }
    }
    members[part].push(u);
  }
  if (members[TEST].length === 0) {
    throw new RangeError(`Dataset "${ds.name}" has no test users in its given split`);
  }
  const users: UserParts = {
    train: Int32Array.from(members[TRAIN]),
    valid: Int32Array.from(members[VALID]),
    test: Int32Array.from(members[TEST]),
  };
  const split = sequentialSplitOf(ds, users, {
    historyShare: options.historyShare ?? 0.8,
    maxlen: options.maxlen ?? 20,
    excludeHistory: options.excludeHistory ?? false,
    config: { split: "given" },
  });
  return split;
}
