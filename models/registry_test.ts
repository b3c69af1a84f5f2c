// Runs every registered model through the shared path on a small fixture, so a
// new model is covered by adding its registry line, with no edit here.
import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { deriveRng } from "../data/rng.ts";
import { type Split, splitPerUser, splitSequential } from "../data/split.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { createEngine } from "../bench/engine.ts";
import { evaluateModel } from "../bench/evaluate.ts";
import { assertResumesExactly } from "./_checkpoint_testing.ts";
import { MODELS } from "./mod.ts";
import type { Model, ModelSpec } from "./types.ts";

const engine = await createEngine();
const ds = generateSynthetic({ numUsers: 200, numItems: 150, numTopics: 8 });
const splits: Record<string, Split> = {
  sequential: splitSequential(ds, { seed: 1 }),
  cf: splitPerUser(ds, { seed: 1 }),
};

async function trained(spec: ModelSpec<object>, split: Split): Promise<Model> {
  const model = spec.create(spec.configure());
  await model.fit(split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, `${spec.name}:${label}`),
    progress: () => {},
    budget: { maxIterations: 30, evalEvery: 15, patience: 1 },
    backend: engine.backend,
  });
  return model;
}

for (const [name, spec] of Object.entries(MODELS)) {
  Deno.test(`registry entry "${name}" is named by its key and documents itself`, () => {
    strictEqual(spec.name, name);
    ok(spec.title.length > 0 && spec.reference.length > 0 && spec.deviations.length > 0);
    ok(spec.protocols.length > 0);
    throws(() => spec.configure({ noSuchKey: 1 }), TypeError);
  });

  for (const protocol of spec.protocols) {
    Deno.test(`${name} trains and scores every item in the ${protocol} protocol`, async () => {
      const split = splits[protocol];
      const model = await trained(spec, split);
      const queries = split.test.queries.slice(0, 5);
      const out = new Float32Array(queries.length * model.interests * ds.numItems);
      model.score(queries, out);
      ok(out.every(Number.isFinite), "scores must be finite");
      const ev = evaluateModel(model, split.test, ds.numItems);
      for (const [key, value] of Object.entries(ev.metrics)) {
        ok(value >= 0 && value <= 1, `${key} = ${value} out of [0, 1]`);
      }
    });

    Deno.test(`${name} gives identical scores for the same seed (${protocol})`, async () => {
      const split = splits[protocol];
      const a = await trained(spec, split), b = await trained(spec, split);
      const queries = split.test.queries.slice(0, 5);
      const sa = new Float32Array(queries.length * a.interests * ds.numItems);
      const sb = new Float32Array(sa.length);
      a.score(queries, sa);
      b.score(queries, sb);
      deepStrictEqual(sa, sb);
    });

    Deno.test(`${name} resumed from checkpoints ends as an uninterrupted run (${protocol})`, () =>
      assertResumesExactly({
        spec,
        split: splits[protocol],
        numItems: ds.numItems,
        backend: engine.backend,
      }));
  }
}
