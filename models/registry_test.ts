// Runs every registered model through the shared path on a small fixture, so a
// new model is covered by adding its registry line, with no edit here.
import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { deriveRng } from "../data/rng.ts";
import { type Split, splitPerUser, splitSequential } from "../data/split.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { createEngine } from "../bench/engine.ts";
import { evaluateModel } from "../bench/evaluate.ts";
import { CellCheckpoint } from "../bench/checkpoint.ts";
import { TrainingInterrupted } from "./engine/checkpoint.ts";
import { MODELS } from "./mod.ts";
import type { CheckpointStore, Model, ModelSpec } from "./types.ts";

const engine = await createEngine();
const ds = generateSynthetic({ numUsers: 200, numItems: 150, numTopics: 8 });
const splits: Record<string, Split> = {
  sequential: splitSequential(ds, { seed: 1 }),
  cf: splitPerUser(ds, { seed: 1 }),
};

async function trained(
  spec: ModelSpec<object>,
  split: Split,
  options: { checkpoint?: CheckpointStore; validate?: boolean } = {},
): Promise<Model> {
  const model = spec.create(spec.configure());
  await model.fit(split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, `${spec.name}:${label}`),
    progress: () => {},
    budget: { maxIterations: 30, evalEvery: 15, patience: 1 },
    backend: engine.backend,
    ...(options.validate
      ? {
        validate: () =>
          evaluateModel(model, split.train.validation, ds.numItems, { cutoffs: [50] })
            .metrics["recall@50"],
      }
      : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
  });
  return model;
}

/** Scores of the first test queries and the training report, to compare runs. */
function outcome(model: Model, split: Split) {
  const queries = split.test.queries.slice(0, 5);
  const scores = new Float32Array(queries.length * model.interests * ds.numItems);
  model.score(queries, scores);
  const report = model.trainingReport?.();
  return {
    scores,
    curve: report?.curve,
    iterations: report?.iterations,
    best: report?.bestIteration,
  };
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

    Deno.test(`${name} resumed from checkpoints ends as an uninterrupted run (${protocol})`, async () => {
      const split = splits[protocol];
      const whole = outcome(await trained(spec, split, { validate: true }), split);
      // Killed at iteration 17 (the last checkpoint is the validation at 15), then
      // stopped on request at 22 (saved there), then run to the end.
      const dir = await Deno.makeTempDir();
      const resumedAt: string[] = [];
      const store = (stopAfter: number, how: "kill" | "stop" | "none") => {
        let calls = 0;
        return new CellCheckpoint(dir, `${protocol}/${name}`, {}, {
          warn: (text) => {
            throw new Error(text);
          },
          note: (text) => resumedAt.push(text.split(" ").at(-1)!),
          stopRequested: () => {
            if (how === "none" || ++calls <= stopAfter) return false;
            if (how === "stop") return true;
            throw new Error("killed");
          },
        });
      };
      let interrupted: unknown;
      try {
        await trained(spec, split, { validate: true, checkpoint: store(17, "kill") });
      } catch (error) {
        interrupted = error;
      }
      if (interrupted === undefined) return; // no training loop: nothing to checkpoint
      strictEqual((interrupted as Error).message, "killed");
      await rejects(
        () => trained(spec, split, { validate: true, checkpoint: store(22 - 15, "stop") }),
        TrainingInterrupted,
      );
      const again = outcome(
        await trained(spec, split, { validate: true, checkpoint: store(0, "none") }),
        split,
      );
      deepStrictEqual(resumedAt, ["15", "22"], "each rerun resumed from the last checkpoint");
      deepStrictEqual(again, whole);
    });
  }
}
