import { ok } from "node:assert/strict";
import { createEngine } from "../../bench/engine.ts";
import { evaluateModel } from "../../bench/evaluate.ts";
import type { Dataset } from "../../data/dataset.ts";
import { deriveRng, Rng } from "../../data/rng.ts";
import { splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { MODELS } from "../mod.ts";
import type { Umi } from "./model.ts";

/**
 * Planted profile: 8 occupations, each with its own 10 items. Every user first
 * sees 20 uniformly random items of 100 (noise), then 5 items of their
 * occupation's set, one a day. The sequential split's held-out histories are
 * the 20 noise items, so only the profile tells which set the targets are in.
 */
function plantedProfiles(numUsers: number): Dataset {
  const rng = new Rng(7), noise = 100, per = 10, jobs = 8, len = 25;
  const userPtr = Int32Array.from({ length: numUsers + 1 }, (_, u) => u * len);
  const items = new Int32Array(numUsers * len), times = new Float64Array(numUsers * len);
  for (let u = 0; u < numUsers; u++) {
    for (let p = 0; p < len; p++) {
      items[u * len + p] = p < 20 ? rng.int(noise) : noise + (u % jobs) * per + rng.int(per);
      times[u * len + p] = p * 86400;
    }
  }
  const field = (values: number, of: (u: number) => number) => ({
    vocab: Array.from({ length: values }, (_, i) => String(i)),
    ptr: Int32Array.from({ length: numUsers + 1 }, (_, u) => u),
    codes: Int32Array.from({ length: numUsers }, (_, u) => of(u)),
  });
  const numItems = noise + jobs * per;
  return {
    name: "planted-profiles",
    numUsers,
    numItems,
    userPtr,
    items,
    times,
    userIds: Array.from({ length: numUsers }, (_, u) => String(u)),
    itemIds: Array.from({ length: numItems }, (_, i) => String(i)),
    userFeatures: {
      fields: {
        occupation: field(jobs, (u) => u % jobs),
        gender: field(2, (u) => Math.floor(u / jobs) % 2),
      },
    },
    checksum: "planted-profiles",
    preparation: {
      options: {},
      rawInteractions: items.length,
      droppedByRating: 0,
      droppedByFilter: 0,
      skipped: {},
    },
  };
}

async function recallOf(
  name: string,
  ds: Dataset,
  overrides: Record<string, unknown>,
  budget: { maxIterations: number; evalEvery: number; patience: number },
): Promise<{ recall: number; model: unknown }> {
  const split = splitSequential(ds, { seed: 1 });
  const engine = await createEngine({ budget });
  const spec = MODELS[name];
  const model = spec.create(spec.configure(overrides));
  await model.fit(split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, `${name}:${label}`),
    progress: () => {},
    backend: engine.backend,
    budget: engine.budget,
    validate: () =>
      evaluateModel(model, split.train.validation, ds.numItems, { cutoffs: [10] })
        .metrics["recall@10"],
  });
  const recall = evaluateModel(model, split.test, ds.numItems, { cutoffs: [10] })
    .metrics["recall@10"];
  return { recall, model };
}

Deno.test("UMI reads the planted profile: far above UMI_HN, which only has the (noise) history", async () => {
  const ds = plantedProfiles(400);
  const budget = { maxIterations: 400, evalEvery: 200, patience: 2 };
  const small = { batchSize: 32, dim: 16, lr: 0.005 };
  const withProfile = await recallOf("umi", ds, small, budget);
  const without = await recallOf("umi-hn", ds, small, budget);
  ok((withProfile.model as Umi).profile.kind === "features");
  ok((withProfile.model as Umi).profile.fields.join() === "gender,occupation");
  const msg = `umi ${withProfile.recall}, umi-hn ${without.recall}`;
  ok(withProfile.recall > 0.5, msg);
  ok(withProfile.recall > 2 * without.recall, msg);
});

// Measured on this data (seed 1, 600 iterations, recall@10): ComiRec-SA 0.139,
// UMI_HN 0.139, the same network without harder negatives 0.047, REMI on
// UMI_HN 0.112 (early-stopped at 200), MostPopular 0.105.
Deno.test("UMI_HN beats MostPopular on planted interests, and harder negatives matter (also under REMI)", async () => {
  const ds = generateSynthetic({
    numUsers: 500,
    numItems: 200,
    numTopics: 20,
    maxInterests: 3,
    persistence: 0.5,
  });
  const budget = { maxIterations: 600, evalEvery: 200, patience: 2 };
  const small = { batchSize: 32, dim: 16, lr: 0.005 };
  const split = splitSequential(ds, { seed: 1 });
  const pop = MODELS.mostpop.create(MODELS.mostpop.configure({}));
  await pop.fit(split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, `mostpop:${label}`),
    progress: () => {},
  });
  const base = evaluateModel(pop, split.test, ds.numItems, { cutoffs: [10] }).metrics["recall@10"];
  const hn = (await recallOf("umi-hn", ds, small, budget)).recall;
  const plain = (await recallOf("umi-hn", ds, { ...small, hardNegatives: false }, budget)).recall;
  const remi = (await recallOf("remi-umi-hn", ds, small, budget)).recall;
  const msg =
    `umi-hn ${hn}, without harder negatives ${plain}, remi-umi-hn ${remi}, mostpop ${base}`;
  // Measured at main's merge of this model (the draws changed with the merged checkpoint streams;
  // not bisected): umi-hn 0.120, without harder negatives 0.051, remi-umi-hn 0.108, MostPopular
  // 0.105 (0.139 / 0.047 / - / 0.105 on the model's branch before that merge). The bar is 10% over
  // MostPopular, as PIMIRec's; the harder negatives' factor of 2 is the structural claim.
  ok(hn > base * 1.1, msg);
  ok(hn > plain * 2, msg);
  ok(remi > plain * 2, msg);
});
