/**
 * Test helper: Recall@10 of a model and of MostPopular on the planted fixture.
 *
 * @module
 */
import { evaluateModel } from "../../bench/evaluate.ts";
import { MostPopular } from "../mostpop/mod.ts";
import type { Model } from "../types.ts";
import { fitForTest, plantedSplit } from "./_planted.ts";

/**
 * Trains `model` and MostPopular on the planted split; returns both Recall@10.
 *
 * @param model An untrained `cf` model.
 * @param iterations Training batches.
 * @returns `{ model, popular }` Recall@10.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MostPopular } from "../mostpop/mod.ts";
 * import { plantedRecall } from "./_beats.ts";
 * const r = await plantedRecall(new MostPopular(), 1);
 * ok(r.model === r.popular);
 * ```
 */
export async function plantedRecall(
  model: Model,
  iterations: number,
): Promise<{ model: number; popular: number }> {
  const split = plantedSplit();
  const pop = new MostPopular();
  pop.fit(split.train);
  await fitForTest(model, split.train, { iterations });
  const recall = (m: Model) =>
    evaluateModel(m, split.test, split.train.numItems, { cutoffs: [10] }).metrics["recall@10"];
  return { model: recall(model), popular: recall(pop) };
}
