import { ok, strictEqual } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { plantedRecall } from "../_graph/_beats.ts";
import { fitForTest, plantedSplit } from "../_graph/_planted.ts";
import type { EvaluationSet } from "../../data/split.ts";
import type { TrainingData } from "../types.ts";
import { EFFICIENTREC_DEFAULTS } from "./config.ts";
import { EfficientRec } from "./model.ts";
import { tripletLoss } from "./ops.ts";

// 12 profile entries for the 6 planted communities, each user voting with its 2 largest.
const small = {
  ...EFFICIENTREC_DEFAULTS,
  dim: 8,
  featureDim: 4,
  attentionDim: 8,
  hiddenDim: 16,
  batchSize: 64,
  lr: 0.01,
  clusters: 12,
  topClusters: 2,
};

Deno.test("tripletLoss() backward on Euclidean distances matches finite differences", () => {
  // Margin 10: every row active, away from the hinge's kink.
  checkGradient(
    "triplet",
    [[3, 4], [3, 4], [3, 4]],
    (tape, [a, p, n]) => tripletLoss(tape, a, p, n, 10),
    { h: 1e-3 },
  );
  // Margin 0.5: with these values some rows are inactive and get no gradient.
  checkGradient(
    "triplet-hinge",
    [[6, 3], [6, 3], [6, 3]],
    (tape, [a, p, n]) => tripletLoss(tape, a, p, n, 0.5),
    { h: 1e-3, seed: 5 },
  );
});

Deno.test("tripletLoss() uses norms, not squared norms (values by hand)", () => {
  const t = (...v: number[]) => new Tensor(Float32Array.from(v), [1, v.length]);
  const tape = new Tape(new TypeScriptBackend());
  // |a-p| = 1 (0,0 to 1,0), |a-n| = 5 (3-4-5): 2 + 1 - 5 < 0 -> 0; 5 + 1 - 5 = 1.
  strictEqual(tripletLoss(tape, t(0, 0), t(1, 0), t(3, 4), 2).data[0], 0);
  strictEqual(tripletLoss(tape, t(0, 0), t(1, 0), t(3, 4), 5).data[0], 1);
  // Squared norms would give 5 + 1 - 25 < 0 -> 0 here; norms give 25 + 1 - 5 = 21.
  strictEqual(tripletLoss(tape, t(0, 0), t(1, 0), t(3, 4), 25).data[0], 21);
  // A user whose two halves are equal: zero distance, a finite zero subgradient.
  const a = new Tensor(Float32Array.of(1, 1), [1, 2], true);
  const y = tripletLoss(tape, a, t(1, 1), t(4, 5), 9);
  strictEqual(y.data[0], 4);
  tape.backward(y);
  ok(a.grad!.every((g) => Number.isFinite(g)));
});

Deno.test("EfficientRec's cluster voting finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(new EfficientRec(small), 200);
  ok(r.model > r.popular + 0.5, `EfficientRec recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("EfficientRec's memberships are the sigmoid profile, top clusters kept", async () => {
  const split = plantedSplit();
  const model = new EfficientRec({ ...small, clusters: 8, topClusters: 3 });
  await fitForTest(model, split.train, { iterations: 20 });
  const { users, dim } = model.embedQueries(split.test.queries);
  strictEqual(dim, 8);
  for (let q = 0; q < split.test.queries.length; q++) {
    const row = users.subarray(q * dim, (q + 1) * dim);
    strictEqual(row.filter((m) => m > 0).length, 3);
    ok(row.every((m) => m >= 0 && m < 1));
  }
});

/** The planted split with the community as a demographic field, and cold test queries. */
function plantedWithDemographics(): { train: TrainingData; cold: EvaluationSet } {
  const split = plantedSplit();
  const n = split.train.numUsers;
  const train: TrainingData = {
    ...split.train,
    userFeatures: {
      fields: {
        group: {
          vocab: ["0", "1", "2", "3", "4", "5"],
          ptr: Int32Array.from({ length: n + 1 }, (_, u) => u),
          codes: Int32Array.from(split.groupOf),
        },
      },
    },
  };
  // Users with no history: only the demographic field can tell their community.
  const cold: EvaluationSet = {
    queries: split.test.queries.map((q) => ({ user: q.user, history: new Int32Array(0) })),
    targets: split.test.targets,
    exclude: split.test.exclude!,
  };
  return { train, cold };
}

Deno.test("EfficientRec recommends to users without history from their demographics", async () => {
  const { train, cold } = plantedWithDemographics();
  const recall = async (demographics: number) => {
    const model = new EfficientRec({ ...small, demographics });
    await fitForTest(model, train, { iterations: 200 });
    return evaluateModel(model, cold, train.numItems, { cutoffs: [10] }).metrics["recall@10"];
  };
  const withDemo = await recall(1), without = await recall(0);
  ok(withDemo > without + 0.3, `cold recall@10 ${withDemo} with demographics, ${without} without`);
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
