import { deepStrictEqual, ok } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import { deriveRng } from "../../data/rng.ts";
import { plantedSplit } from "../_graph/_planted.ts";
import { LIGHTGCN_DEFAULTS } from "./config.ts";
import { LightGcn } from "./model.ts";

Deno.test("LightGCN trained on 1 and on 2 threads scores with the same bits", async () => {
  const split = plantedSplit();
  const scores = [];
  for (const threads of [1, 2]) {
    const model = new LightGcn({ ...LIGHTGCN_DEFAULTS, dim: 12, batchSize: 64, lr: 0.01 });
    let validations = 0;
    await model.fit(split.train, {
      seed: 1,
      rng: (label) => deriveRng(1, `lightgcn:${label}`),
      progress: () => {},
      // Validation scores during training too (through the pool's products).
      validate: () => {
        validations++;
        return evaluateModel(model, split.train.validation, split.train.numItems, {
          cutoffs: [50],
        }).metrics["recall@50"];
      },
      budget: { maxIterations: 40, evalEvery: 10, patience: 4 },
      threads,
    });
    ok(validations === 4, `${validations} validations`);
    const queries = split.test.queries;
    const out = new Float32Array(queries.length * split.train.numItems);
    model.score(queries, out);
    scores.push(new Uint32Array(out.buffer));
  }
  ok(scores[0].some((v) => v !== 0));
  deepStrictEqual(scores[1], scores[0]);
});
