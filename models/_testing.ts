/**
 * Test helpers: training data from explicit per-user item lists, and a
 * registered model trained briefly.
 *
 * @module
 */
import { deriveRng } from "../data/rng.ts";
import { TypeScriptBackend } from "./engine/backend.ts";
import { MODELS } from "./mod.ts";
import type { Model, TrainingData } from "./types.ts";

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

/**
 * Test helper: a registered model, configured with `overrides`, trained for
 * `iterations` steps on the TypeScript backend with the seed-1 streams of
 * `name` (as the runner derives them), validated once at the end.
 *
 * @param name Registry name.
 * @param train Training data.
 * @param options Config overrides and the number of iterations (default 15).
 * @returns The fitted model.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fitForTest, trainingDataFromRows } from "./_testing.ts";
 * const model = await fitForTest("bprmf", trainingDataFromRows([[0, 1], [1, 2]], 3), {
 *   overrides: { dim: 4, batchSize: 2 },
 *   iterations: 2,
 * });
 * ok(model.parameterCount() === (2 + 3) * 4);
 * ```
 */
export async function fitForTest(
  name: string,
  train: TrainingData,
  options: { overrides?: Record<string, unknown>; iterations?: number } = {},
): Promise<Model> {
  const spec = MODELS[name];
  if (!spec) throw new RangeError(`fitForTest(): no model "${name}"`);
  const model = spec.create(spec.configure(options.overrides ?? {}));
  const iterations = options.iterations ?? 15;
  await model.fit(train, {
    seed: 1,
    rng: (label) => deriveRng(1, `${name}:${label}`),
    progress: () => {},
    budget: { maxIterations: iterations, evalEvery: iterations, patience: 1 },
    backend: new TypeScriptBackend(),
  });
  return model;
}
