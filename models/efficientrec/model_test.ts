import { ok, strictEqual } from "node:assert/strict";
import { checkGradient } from "../engine/_gradcheck.ts";
import { plantedRecall } from "../_graph/_beats.ts";
import { fitForTest } from "../_graph/_planted.ts";
import type { TrainingData } from "../types.ts";
import { EFFICIENTREC_DEFAULTS } from "./config.ts";
import { EfficientRec } from "./model.ts";
import { tripletLoss } from "./ops.ts";

const small = { ...EFFICIENTREC_DEFAULTS, dim: 8, featureDim: 4, attentionDim: 8, batchSize: 64 };

Deno.test("tripletLoss() backward over two parts matches finite differences", () => {
  checkGradient(
    "triplet",
    [[3, 2], [3, 1], [3, 2], [3, 1], [3, 2], [3, 1]],
    (tape, [a1, a2, p1, p2, n1, n2]) => tripletLoss(tape, [a1, a2], [p1, p2], [n1, n2], 1),
    { h: 1e-3 },
  );
});

Deno.test("EfficientRec's cluster voting finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(new EfficientRec({ ...small, lr: 0.01, clusters: 6 }), 200);
  ok(r.model > r.popular + 0.2, `EfficientRec recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

function usersData(numUsers: number): TrainingData {
  const numItems = 50, per = 3;
  const items = Int32Array.from(
    { length: numUsers * per },
    (_, p) => (p * 7 + (p % per)) % numItems,
  );
  return {
    protocol: "cf",
    numUsers,
    numItems,
    userPtr: Int32Array.from({ length: numUsers + 1 }, (_, u) => u * per),
    items,
    times: new Float64Array(items.length),
    trainUsers: Int32Array.from({ length: numUsers }, (_, u) => u),
    validation: { queries: [], targets: [] },
    maxHistory: 0,
  };
}

Deno.test("EfficientRec has as many parameters for 100,000 users as for 1,000", async () => {
  const a = new EfficientRec(small), b = new EfficientRec(small);
  await fitForTest(a, usersData(1_000), { iterations: 1 });
  await fitForTest(b, usersData(100_000), { iterations: 1 });
  ok(a.parameterCount() > 0);
  strictEqual(a.parameterCount(), b.parameterCount());
});
