/**
 * The embedded default dataset: deterministic synthetic implicit feedback with
 * a planted multi-interest structure.
 *
 * - Items belong to latent topics; within a topic, popularity follows a Zipf
 *   law, and topics themselves differ in popularity.
 * - Each user holds one to `maxInterests` interests (topics).
 * - A sequence stays in its current topic with probability `persistence`,
 *   otherwise jumps to another of the user's interests; with probability
 *   `noise` it picks a globally popular item instead. Items are not repeated.
 *
 * Each item's genres are its topic name (plus, for some items, a second topic
 * name), its title is made-up words, so loaders and feature code see realistic
 * side information.
 *
 * @module
 */
import type { Dataset, InteractionLog } from "./dataset.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { prepareDataset } from "./prepare.ts";
import { deriveRng, type Rng } from "./rng.ts";

/** Generator settings. */
export interface SyntheticOptions {
  /** @default {2000} */
  numUsers?: number;
  /** @default {1500} */
  numItems?: number;
  /** @default {25} */
  numTopics?: number;
  /** Maximum interests per user (each user draws 1..max). @default {4} */
  maxInterests?: number;
  /** Shortest sequence. @default {8} */
  minLength?: number;
  /** Mean sequence length. @default {30} */
  meanLength?: number;
  /** Longest sequence. @default {120} */
  maxLength?: number;
  /** Probability of staying in the current topic. @default {0.8} */
  persistence?: number;
  /** Probability of a popularity-driven random item. @default {0.05} */
  noise?: number;
  /** Zipf exponent of item popularity within a topic. @default {1.0} */
  zipf?: number;
  /** Generator seed (independent of the benchmark's split seeds). @default {2024} */
  seed?: number;
  /** Dataset name. @default {"synthetic"} */
  name?: string;
}

const SYLLABLES = ["ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "ve", "da", "zu", "ha"];

/**
 * Generates the raw log (raw ids are decimal strings starting at 1, as in
 * MovieLens), with ratings 1-5, timestamps, titles and genres.
 *
 * @param options Generator settings.
 * @returns The interaction log.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSyntheticLog } from "./synthetic.ts";
 * const log = generateSyntheticLog({ numUsers: 20, numItems: 30 });
 * ok(log.items.length > 0);
 * ```
 */
export function generateSyntheticLog(options: SyntheticOptions = {}): InteractionLog {
  const o = {
    numUsers: 2000,
    numItems: 1500,
    numTopics: 25,
    maxInterests: 4,
    minLength: 8,
    meanLength: 30,
    maxLength: 120,
    persistence: 0.8,
    noise: 0.05,
    zipf: 1.0,
    seed: 2024,
    name: "synthetic",
    ...options,
  };
  if (o.numItems < o.numTopics) {
    throw new RangeError(`numItems (${o.numItems}) must be at least numTopics (${o.numTopics})`);
  }
  const rng = deriveRng(o.seed, "synthetic");
  // Items to topics: a shuffled round-robin, so every topic has items.
  const topicOf = new Int32Array(o.numItems);
  for (let i = 0; i < o.numItems; i++) topicOf[i] = i % o.numTopics;
  rng.shuffle(topicOf);
  const topicItems: number[][] = Array.from({ length: o.numTopics }, () => []);
  for (let i = 0; i < o.numItems; i++) topicItems[topicOf[i]].push(i);
  // Within-topic Zipf weights (rank order is the shuffled order above).
  const topicCdf = topicItems.map((items) => cdf(items.map((_, r) => 1 / (r + 1) ** o.zipf)));
  const topicPopularity = cdf(Array.from({ length: o.numTopics }, (_, t) => 1 / (t + 1) ** 0.5));
  // Global popularity for noise: item weight = topic weight * within-topic weight.
  const globalWeights = new Array<number>(o.numItems);
  topicItems.forEach((items, t) => {
    const tw = 1 / (t + 1) ** 0.5;
    items.forEach((item, r) => globalWeights[item] = tw / (r + 1) ** o.zipf);
  });
  const globalCdf = cdf(globalWeights);

  const b = new InteractionLogBuilder(o.name, { withRatings: true });
  const baseTime = 1_000_000_000;
  for (let u = 0; u < o.numUsers; u++) {
    const nInterests = 1 + rng.int(o.maxInterests);
    const interests: number[] = [];
    while (interests.length < nInterests) {
      const t = sampleCdf(topicPopularity, rng);
      if (!interests.includes(t)) interests.push(t);
    }
    const extra = Math.round(-Math.log(1 - rng.float()) * (o.meanLength - o.minLength));
    const length = Math.min(o.maxLength, o.minLength + extra);
    const seen = new Set<number>();
    let topic = interests[rng.int(interests.length)];
    let time = baseTime + rng.int(10_000_000);
    let guard = 0;
    while (seen.size < length && guard++ < length * 50) {
      if (rng.float() >= o.persistence && interests.length > 1) {
        topic = interests[rng.int(interests.length)];
      }
      const item = rng.float() < o.noise
        ? sampleCdf(globalCdf, rng)
        : topicItems[topic][sampleCdf(topicCdf[topic], rng)];
      if (seen.has(item)) continue;
      seen.add(item);
      time += 1 + rng.int(86_400);
      const affinity = topicOf[item] === topic ? 1 : 0;
      const rating = Math.min(5, Math.max(1, 3 + affinity + rng.int(3) - 1));
      b.add(String(u + 1), String(item + 1), time, rating);
    }
  }
  const titles = new Map<string, string>();
  const genres = new Map<string, string[]>();
  for (let i = 0; i < o.numItems; i++) {
    const words = 1 + rng.int(3);
    const parts: string[] = [];
    for (let w = 0; w < words; w++) {
      const syl = 2 + rng.int(2);
      let word = "";
      for (let s = 0; s < syl; s++) word += SYLLABLES[rng.int(SYLLABLES.length)];
      parts.push(word[0].toUpperCase() + word.slice(1));
    }
    // Some titles carry a comma and a quote, as real MovieLens titles do.
    const title = i % 17 === 0
      ? `${parts.join(" ")}, The (${1950 + (i % 70)})`
      : i % 29 === 0
      ? `"${parts.join(" ")}" (${1950 + (i % 70)})`
      : `${parts.join(" ")} (${1950 + (i % 70)})`;
    titles.set(String(i + 1), title);
    const g = [topicName(topicOf[i])];
    if (rng.float() < 0.3) {
      const second = topicName(rng.int(o.numTopics));
      if (second !== g[0]) g.push(second);
    }
    genres.set(String(i + 1), g.sort());
  }
  b.itemFeatures = { titles, fields: { genres } };
  return b.finish();
}

/**
 * Generates and prepares the synthetic dataset (one-pass 5-filter applied).
 *
 * @param options Generator settings.
 * @returns The prepared dataset.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * const ds = generateSynthetic({ numUsers: 50, numItems: 40 });
 * ok(ds.numUsers > 0);
 * ```
 */
export function generateSynthetic(options: SyntheticOptions = {}): Dataset {
  return prepareDataset(generateSyntheticLog(options));
}

/**
 * The genre name of topic `t` (`"Topic07"`).
 *
 * @param t Topic index.
 * @returns The name.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { topicName } from "./synthetic.ts";
 * ok(topicName(7) === "Topic07");
 * ```
 */
export function topicName(t: number): string {
  return `Topic${String(t).padStart(2, "0")}`;
}

function cdf(weights: number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) out[i] = sum += weights[i];
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return out;
}

function sampleCdf(c: Float64Array, rng: Rng): number {
  const x = rng.float();
  let lo = 0, hi = c.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (c[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
