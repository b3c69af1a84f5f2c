import { ok } from "node:assert/strict";
import { createEngine } from "../../bench/engine.ts";
import { evaluateModel } from "../../bench/evaluate.ts";
import { deriveRng } from "../../data/rng.ts";
import { splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { MODELS } from "../mod.ts";

// Planted structure (as ComiRec-SA's test, smaller): users with 1-3 of 20
// topics that switch half the time. PIMIRec must find the topics: beat
// popularity by 10% (MostPopular is strong here: 0.40). REMI on PIMIRec must too.
Deno.test("PIMIRec and REMI on PIMIRec beat MostPopular on planted interests", async () => {
  const ds = generateSynthetic({
    numUsers: 500,
    numItems: 200,
    numTopics: 20,
    maxInterests: 3,
    persistence: 0.5,
  });
  const split = splitSequential(ds, { seed: 1 });
  const engine = await createEngine({
    budget: { maxIterations: 600, evalEvery: 200, patience: 2 },
  });
  const recall: Record<string, number> = {};
  for (const name of ["mostpop", "pimirec", "remi-pimirec"]) {
    const spec = MODELS[name];
    const model = spec.create(
      spec.configure(name === "mostpop" ? {} : { batchSize: 32, dim: 16, lr: 0.005 }),
    );
    await model.fit(split.train, {
      seed: 1,
      rng: (label) => deriveRng(1, `${name}:${label}`),
      progress: () => {},
      backend: engine.backend,
      budget: engine.budget,
      validate: () =>
        evaluateModel(model, split.train.validation, ds.numItems, { cutoffs: [50] })
          .metrics["recall@50"],
    });
    recall[name] = evaluateModel(model, split.test, ds.numItems).metrics["recall@50"];
  }
  const msg = JSON.stringify(recall);
  ok(recall["pimirec"] > recall["mostpop"] * 1.1, msg);
  ok(recall["remi-pimirec"] > recall["mostpop"] * 1.2, msg);
});
