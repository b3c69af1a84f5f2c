import { fitForTest } from "../models/_testing.ts";
import { deepStrictEqual, ok } from "node:assert/strict";
import { splitPerUser } from "../data/split.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { createOrtRanker } from "../retrieval/ort_exact.ts";
import { evaluateModel } from "./evaluate.ts";

const ds = generateSynthetic({ numUsers: 150, numItems: 120, numTopics: 6 });
const split = splitPerUser(ds, { seed: 1 });
const ranker = await createOrtRanker({ threads: 2 });

for (const name of ["bprmf", "lightgcn", "mifair", "efficientrec"]) {
  Deno.test(`the embedding path ranks ${name} exactly as its score() path does`, async () => {
    const model = await fitForTest(name, split.train, {
      overrides: { dim: 16, batchSize: 64 },
      iterations: 20,
    });
    ok(typeof model.embedQueries === "function");
    const viaScore = evaluateModel(model, split.test, ds.numItems, { maxScoresInMemory: 4000 });
    const viaEmbeddings = evaluateModel(model, split.test, ds.numItems, {
      maxScoresInMemory: 4000,
      ranker,
    });
    ok(split.test.exclude !== undefined, "cf queries exclude training items");
    deepStrictEqual(viaEmbeddings.metrics, viaScore.metrics);
    deepStrictEqual(viaEmbeddings.perUser, viaScore.perUser);
    ok(viaEmbeddings.retrieval?.method === "exact-onnxruntime");
  });
}
