/**
 * Test fixture: a planted block structure where popularity is useless. Users
 * belong to one of `groups` communities, each community has its own block of
 * items, and every user interacts only with items of their block; a held-out
 * share of each user's items are the targets. A working `cf` model finds the
 * blocks; MostPopular cannot.
 *
 * @module
 */
import { Rng } from "../../data/rng.ts";
import type { ItemFeatures } from "../../data/dataset.ts";
import type { EvaluationSet } from "../../data/split.ts";
import { deriveRng } from "../../data/rng.ts";
import type { FitContext, Model, TrainingData } from "../types.ts";

/** A planted `cf` split. */
export interface PlantedSplit {
  /** Training data with a validation set. */
  train: TrainingData;
  /** Test queries, targets and training-item exclusions. */
  test: EvaluationSet;
  /** Community of each user. */
  groupOf: Int32Array;
}

/**
 * Makes the planted split.
 *
 * @param options Groups, users per group, items per group, interactions per user.
 * @returns The split.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { plantedSplit } from "./_planted.ts";
 * ok(plantedSplit().test.queries.length === 120);
 * ```
 */
export function plantedSplit(
  options: { groups?: number; usersPerGroup?: number; itemsPerGroup?: number; perUser?: number } =
    {},
): PlantedSplit {
  const G = options.groups ?? 6, UG = options.usersPerGroup ?? 20;
  const IG = options.itemsPerGroup ?? 15, per = options.perUser ?? 10;
  const rng = new Rng(7);
  const numUsers = G * UG, numItems = G * IG;
  const rows: number[][] = [], tests: number[][] = [], valids: number[][] = [];
  const groupOf = new Int32Array(numUsers);
  for (let u = 0; u < numUsers; u++) {
    const g = u % G;
    groupOf[u] = g;
    const block = Int32Array.from({ length: IG }, (_, k) => g * IG + k);
    rng.shuffle(block);
    const mine = [...block.slice(0, per)];
    valids.push(mine.slice(0, 1));
    tests.push(mine.slice(1, 3));
    rows.push(mine.slice(3));
  }
  return { ...plantedData(rows, numItems, valids, tests), groupOf };
}

/**
 * `cf` training data and evaluation sets from explicit per-user lists.
 *
 * @param rows Each user's training items.
 * @param numItems Corpus size.
 * @param valid Each user's validation targets.
 * @param test Each user's test targets.
 * @param options `exclude`: items left out of every user's ranking (default:
 *   the user's training items); `itemFeatures`: side features.
 * @returns Training data (validation included) and the test set.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { plantedData } from "./_planted.ts";
 * ok(plantedData([[0], [1]], 3, [[1], [0]], [[2], [2]]).train.items.length === 2);
 * ```
 */
export function plantedData(
  rows: number[][],
  numItems: number,
  valid: number[][],
  test: number[][],
  options: { exclude?: Int32Array; itemFeatures?: ItemFeatures } = {},
): { train: TrainingData; test: EvaluationSet } {
  const numUsers = rows.length;
  const userPtr = new Int32Array(numUsers + 1);
  rows.forEach((r, u) => userPtr[u + 1] = userPtr[u] + r.length);
  const items = Int32Array.from(rows.flat());
  const set = (t: number[][]): EvaluationSet => ({
    queries: rows.map((r, u) => ({ user: u, history: Int32Array.from(r) })),
    targets: t.map((x) => new Set(x)),
    exclude: rows.map((r) => options.exclude ?? Int32Array.from(r).sort()),
  });
  return {
    train: {
      protocol: "cf",
      numUsers,
      numItems,
      userPtr,
      items,
      times: new Float64Array(items.length),
      trainUsers: Int32Array.from({ length: numUsers }, (_, u) => u),
      validation: set(valid),
      maxHistory: 0,
      ...(options.itemFeatures ? { itemFeatures: options.itemFeatures } : {}),
    },
    test: set(test),
  };
}

/**
 * Fits a model with a fixed seed, the TypeScript backend and a small budget.
 *
 * @param model The model.
 * @param data Training data.
 * @param options Iterations and the seed.
 * @example
 * ```ts
 * import { fitForTest, plantedSplit } from "./_planted.ts";
 * import { MostPopular } from "../mostpop/mod.ts";
 * await fitForTest(new MostPopular(), plantedSplit().train);
 * ```
 */
export async function fitForTest(
  model: Model,
  data: TrainingData,
  options: { iterations?: number; seed?: number; validate?: () => number } = {},
): Promise<void> {
  const seed = options.seed ?? 1, n = options.iterations ?? 200;
  const context: FitContext = {
    seed,
    rng: (label) => deriveRng(seed, `test:${label}`),
    progress: () => {},
    budget: { maxIterations: n, evalEvery: n, patience: 1 },
    ...(options.validate ? { validate: options.validate } : {}),
  };
  await model.fit(data, context);
}
