/**
 * Test fixture for the multimodal models: a planted split whose targets only
 * a modality can find. Users belong to one of `groups` communities; each
 * community has warm items (every member trained on all of them) and cold
 * items nobody trained on; validation and test targets are cold items of the
 * user's community, ranked among the cold items only (every warm item is
 * excluded, so a model is not judged on how it weighs warm against cold). Two dense modalities: `signal` (a one-hot of the item's
 * community plus small noise) and `noise` (pure noise). A collaborative
 * model cannot rank cold items (their IDs never see a positive); a model
 * that uses `signal` can. With `shuffled`, the `signal` rows are permuted
 * across items, keeping their values but not their link to the community.
 *
 * @module
 */
import { evaluateModel } from "../../bench/evaluate.ts";
import type { DenseItemFeatures } from "../../data/dataset.ts";
import { Rng } from "../../data/rng.ts";
import type { EvaluationSet } from "../../data/split.ts";
import type { Model, TrainingData } from "../types.ts";
import { fitForTest, plantedData } from "./_planted.ts";

const G = 4, USERS = 16, WARM = 12, COLD = 8, F = 8;

/**
 * Makes the split.
 *
 * @param options `shuffled`: permute the `signal` rows across items.
 * @returns Training data (with the two dense modalities) and the test set.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { plantedModalitySplit } from "./_planted_modal.ts";
 * ok(plantedModalitySplit().train.itemFeatures!.dense!.length === 2);
 * ```
 */
export function plantedModalitySplit(
  options: { shuffled?: boolean } = {},
): { train: TrainingData; test: EvaluationSet } {
  const rng = new Rng(11);
  const per = WARM + COLD, numItems = G * per, numUsers = G * USERS;
  const rows: number[][] = [], valid: number[][] = [], test: number[][] = [];
  for (let u = 0; u < numUsers; u++) {
    const g = u % G;
    rows.push(Array.from({ length: WARM }, (_, k) => g * per + k));
    const cold = Int32Array.from({ length: COLD }, (_, k) => g * per + WARM + k);
    rng.shuffle(cold);
    valid.push([cold[0]]);
    test.push([cold[1], cold[2]]);
  }
  const dense = (modality: string, signal: boolean): DenseItemFeatures => {
    const values = new Float32Array(numItems * F);
    for (let i = 0; i < numItems; i++) {
      for (let c = 0; c < F; c++) values[i * F + c] = 0.2 * rng.normal();
      if (signal) values[i * F + Math.floor(i / per)] += 1;
    }
    if (signal && options.shuffled) {
      const order = Int32Array.from({ length: numItems }, (_, i) => i);
      rng.shuffle(order);
      const copy = values.slice();
      order.forEach((from, to) => values.set(copy.subarray(from * F, (from + 1) * F), to * F));
    }
    return {
      modality,
      names: Array.from({ length: F }, (_, c) => `f${c}`),
      values,
      present: new Uint8Array(numItems).fill(1),
      source: { file: `${modality}.csv`, sha256: "0".repeat(64) },
    };
  };
  const warm = Int32Array.from({ length: numItems }, (_, i) => i).filter((i) => i % per < WARM);
  return plantedData(rows, numItems, valid, test, {
    exclude: warm,
    itemFeatures: { fields: {}, dense: [dense("signal", true), dense("noise", false)] },
  });
}

/**
 * Test Recall@10 of a model trained on the split with the `signal` modality
 * intact and of the same model trained with it shuffled.
 *
 * @param create Makes an untrained model.
 * @param iterations Training batches.
 * @returns `{ signal, shuffled }` Recall@10.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MostPopular } from "../mostpop/mod.ts";
 * import { modalityRecall } from "./_planted_modal.ts";
 * const r = await modalityRecall(() => new MostPopular(), 1);
 * ok(r.signal === r.shuffled);
 * ```
 */
export async function modalityRecall(
  create: () => Model,
  iterations: number,
): Promise<{ signal: number; shuffled: number }> {
  const recall = async (shuffled: boolean) => {
    const split = plantedModalitySplit({ shuffled });
    const model = create();
    await fitForTest(model, split.train, { iterations });
    return evaluateModel(model, split.test, split.train.numItems, { cutoffs: [10] })
      .metrics["recall@10"];
  };
  return { signal: await recall(false), shuffled: await recall(true) };
}
