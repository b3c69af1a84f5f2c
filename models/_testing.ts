/**
 * Test helper: training data from explicit per-user item lists.
 *
 * @module
 */
import type { TrainingData } from "./types.ts";

/**
 * Builds `cf`-style training data where user `u` has the items `rows[u]`.
 *
 * @param rows Items of each user, in time order.
 * @param numItems Corpus size.
 * @returns Training data with an empty validation set.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "./_testing.ts";
 * ok(trainingDataFromRows([[0, 1], [1]], 2).items.length === 3);
 * ```
 */
export function trainingDataFromRows(rows: number[][], numItems: number): TrainingData {
  const userPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, u) => userPtr[u + 1] = userPtr[u] + r.length);
  const items = Int32Array.from(rows.flat());
  return {
    protocol: "cf",
    numUsers: rows.length,
    numItems,
    userPtr,
    items,
    times: new Float64Array(items.length),
    trainUsers: Int32Array.from(rows.keys()),
    validation: { queries: [], targets: [] },
    maxHistory: 0,
  };
}
