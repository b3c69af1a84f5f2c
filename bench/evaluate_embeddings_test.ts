import { fitForTest } from "../models/_testing.ts";
import { deepStrictEqual, ok } from "node:assert/strict";
import { splitSequential } from "../data/split.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { createOrtRanker } from "../retrieval/ort_exact.ts";
import { evaluateModel } from "./evaluate.ts";

const ds = generateSynthetic({ numUsers: 150, numItems: 120, numTopics: 6 });
const split = splitSequential(ds, { seed: 1, excludeHistory: true });
const ranker = await createOrtRanker({ threads: 2 });

for (const name of ["comirec-sa", "mind", "youtubednn"]) {
  Deno.test(`the embedding path ranks ${name} exactly as its score() path does`, async () => {
    const fitted = () =>
      fitForTest(name, split.train, { overrides: { dim: 16, batchSize: 32 }, iterations: 20 });
    // Two identically trained copies: MIND draws routing noise on every call.
    const a = await fitted(), b = await fitted();
    ok(typeof b.embedQueries === "function");
    const viaScore = evaluateModel(a, split.test, ds.numItems, { maxScoresInMemory: 4000 });
    const viaEmbeddings = evaluateModel(b, split.test, ds.numItems, {
      maxScoresInMemory: 4000,
      ranker,
    });
    deepStrictEqual(viaEmbeddings.metrics, viaScore.metrics);
    deepStrictEqual(viaEmbeddings.perUser, viaScore.perUser);
    ok(viaEmbeddings.retrieval?.method === "exact-onnxruntime");
  });
}
