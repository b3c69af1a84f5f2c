/**
 * Dataset statistics for `deno task data info`, and the prepared dataset as
 * a log again (for `convert`).
 *
 * @module
 */
import type { Dataset, InteractionLog } from "./dataset.ts";

/** Five-number summary plus the mean and the 90th percentile. */
export interface Distribution {
  /** Smallest. */
  min: number;
  /** 25th percentile. */
  p25: number;
  /** Median. */
  median: number;
  /** 75th percentile. */
  p75: number;
  /** 90th percentile. */
  p90: number;
  /** Largest. */
  max: number;
  /** Mean. */
  mean: number;
}

/** What `info` prints. */
export interface DatasetInfo {
  /** Users. */
  users: number;
  /** Items. */
  items: number;
  /** Interactions. */
  interactions: number;
  /** interactions / (users x items). */
  density: number;
  /** Interactions per user. */
  sequenceLength: Distribution;
  /** Interactions per item. */
  itemPopularity: Distribution;
  /** Share of interactions on the most popular 1% of items. */
  top1PercentShare: number;
  /** Gini coefficient of item popularity (0 even, 1 all on one item). */
  popularityGini: number;
}

/**
 * Summarises a prepared dataset.
 *
 * @param ds The dataset.
 * @returns The statistics.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { datasetInfo } from "./info.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const info = datasetInfo(generateSynthetic({ numUsers: 50, numItems: 40 }));
 * ok(info.sequenceLength.min >= 5 && info.popularityGini > 0);
 * ```
 */
export function datasetInfo(ds: Dataset): DatasetInfo {
  const lengths = Float64Array.from(
    { length: ds.numUsers },
    (_, u) => ds.userPtr[u + 1] - ds.userPtr[u],
  );
  const popularity = new Float64Array(ds.numItems);
  for (const i of ds.items) popularity[i]++;
  const sortedPop = popularity.slice().sort();
  const top = Math.max(1, Math.round(ds.numItems / 100));
  let topSum = 0;
  for (let k = 0; k < top && k < sortedPop.length; k++) {
    topSum += sortedPop[sortedPop.length - 1 - k];
  }
  let weighted = 0;
  for (let k = 0; k < sortedPop.length; k++) weighted += (k + 1) * sortedPop[k];
  const n = sortedPop.length, total = ds.items.length;
  return {
    users: ds.numUsers,
    items: ds.numItems,
    interactions: total,
    density: total / Math.max(1, ds.numUsers * ds.numItems),
    sequenceLength: distribution(lengths),
    itemPopularity: distribution(popularity),
    top1PercentShare: total > 0 ? topSum / total : 0,
    popularityGini: total > 0 && n > 0 ? (2 * weighted) / (n * total) - (n + 1) / n : 0,
  };
}

function distribution(values: Float64Array): Distribution {
  const s = values.slice().sort();
  const q = (
    p: number,
  ) => (s.length === 0 ? 0 : s[Math.min(s.length - 1, Math.floor(p * (s.length - 1) + 0.5))]);
  let sum = 0;
  for (const v of s) sum += v;
  return {
    min: s[0] ?? 0,
    p25: q(0.25),
    median: q(0.5),
    p75: q(0.75),
    p90: q(0.9),
    max: s[s.length - 1] ?? 0,
    mean: s.length ? sum / s.length : 0,
  };
}

/**
 * Renders statistics and the preparation report as text.
 *
 * @param info From {@linkcode datasetInfo}.
 * @param loaded The dataset (for its preparation report) and cache state.
 * @returns Lines of text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { datasetInfo, formatInfo } from "./info.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const dataset = generateSynthetic({ numUsers: 50, numItems: 40 });
 * ok(formatInfo(datasetInfo(dataset), { dataset }).includes("users"));
 * ```
 */
export function formatInfo(
  info: DatasetInfo,
  loaded: { dataset: Dataset; cache?: string; parts?: Uint8Array },
): string {
  const d = (x: Distribution) =>
    `min ${x.min}, p25 ${x.p25}, median ${x.median}, p75 ${x.p75}, p90 ${x.p90}, max ${x.max}, mean ${
      x.mean.toFixed(2)
    }`;
  const p = loaded.dataset.preparation;
  const opts = Object.entries(p.options).map(([k, v]) => `${k} ${v}`).join(", ");
  const skipped = Object.entries(p.skipped).map(([k, v]) => `${v} ${k}`).join(", ") || "none";
  const dropped = [
    ["rating threshold", p.droppedByRating],
    ["time window", p.droppedByTimeWindow ?? 0],
    ["duplicates", p.droppedAsDuplicates ?? 0],
    ["frequency filter", p.droppedByFilter],
    ["sequence length", p.droppedByLength ?? 0],
  ].map(([k, v]) => `${v} by ${k}`).join(", ");
  return [
    `dataset        ${loaded.dataset.name}${loaded.cache === "hit" ? " (from the cache)" : ""}`,
    `users          ${info.users}`,
    `items          ${info.items}`,
    `interactions   ${info.interactions}`,
    ...(loaded.parts
      ? splitParts(loaded.dataset, loaded.parts).map((p, i) =>
        `${(i === 0 ? "given split" : "").padEnd(15)}${
          p.part.padEnd(6)
        }${p.users} users, ${p.interactions} interactions`
      )
      : []),
    `density        ${info.density.toExponential(3)}`,
    `per user       ${d(info.sequenceLength)}`,
    `per item       ${d(info.itemPopularity)}`,
    `popularity     top 1% of items hold ${
      (100 * info.top1PercentShare).toFixed(1)
    }% of interactions; Gini ${info.popularityGini.toFixed(3)}`,
    `preparation    ${opts}`,
    `read           ${p.rawInteractions} events; dropped ${dropped}`,
    `lines skipped  ${skipped}`,
    ...(p.notes ?? []).map((note) => `note           ${note}`),
    `checksum       ${loaded.dataset.checksum}`,
  ].join("\n");
}

/** Users and interactions of one part of a given split. */
export interface SplitPart {
  /** `train`, `valid` or `test`. */
  part: "train" | "valid" | "test";
  /** Users with at least one interaction in the part. */
  users: number;
  /** Interactions in the part. */
  interactions: number;
}

/**
 * Counts each part of a predefined split (`--split given`).
 *
 * @param ds The dataset.
 * @param parts Each interaction's part: 0 train, 1 valid, 2 test.
 * @returns The three parts, in that order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { splitParts } from "./info.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const ds = generateSynthetic({ numUsers: 30, numItems: 40 });
 * const parts = splitParts(ds, new Uint8Array(ds.items.length)); // all train
 * ok(parts[0].users === 30 && parts[2].interactions === 0);
 * ```
 */
export function splitParts(ds: Dataset, parts: Uint8Array): SplitPart[] {
  const names = ["train", "valid", "test"] as const;
  return names.map((part, p) => {
    let users = 0, interactions = 0;
    for (let u = 0; u < ds.numUsers; u++) {
      let here = 0;
      for (let k = ds.userPtr[u]; k < ds.userPtr[u + 1]; k++) if (parts[k] === p) here++;
      if (here > 0) users++;
      interactions += here;
    }
    return { part, users, interactions };
  });
}

/**
 * The prepared dataset as a log (dense ids mapped back to raw ids), optionally
 * only the interactions `keep` accepts. Used to export prepared data.
 *
 * @param ds The dataset.
 * @param keep Which interactions (by index) to include.
 * @returns The log, users in dataset order, each user's events in time order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { datasetToLog } from "./info.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const ds = generateSynthetic({ numUsers: 30, numItems: 40 });
 * ok(datasetToLog(ds).items.length === ds.items.length);
 * ```
 */
export function datasetToLog(
  ds: Dataset,
  keep: (k: number) => boolean = () => true,
): InteractionLog {
  const users: number[] = [], items: number[] = [], times: number[] = [], ratings: number[] = [];
  for (let u = 0; u < ds.numUsers; u++) {
    for (let k = ds.userPtr[u]; k < ds.userPtr[u + 1]; k++) {
      if (!keep(k)) continue;
      users.push(u);
      items.push(ds.items[k]);
      times.push(ds.times[k]);
      if (ds.ratings) ratings.push(ds.ratings[k]);
    }
  }
  const f = ds.itemFeatures;
  const itemFeatures = f
    ? {
      titles: new Map(ds.itemIds.map((id, i) => [id, f.titles?.[i] ?? ""])),
      fields: Object.fromEntries(
        Object.entries(f.fields).map(([name, field]) => [
          name,
          new Map(ds.itemIds.map((id, i) => [
            id,
            Array.from(field.codes.subarray(field.ptr[i], field.ptr[i + 1]), (c) => field.vocab[c]),
          ])),
        ]),
      ),
    }
    : undefined;
  return {
    name: ds.name,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    times: Float64Array.from(times),
    ...(ds.ratings ? { ratings: Float32Array.from(ratings) } : {}),
    userIds: [...ds.userIds],
    itemIds: [...ds.itemIds],
    ...(itemFeatures ? { itemFeatures } : {}),
    skipped: {},
  };
}
