/**
 * Test helper: a model trained with interruptions (killed, then stopped on
 * request) and resumed from its checkpoints, against an uninterrupted run.
 *
 * @module
 */
import { deepStrictEqual, rejects, strictEqual } from "node:assert/strict";
import { CellCheckpoint } from "../bench/checkpoint.ts";
import { evaluateModel } from "../bench/evaluate.ts";
import { deriveRng } from "../data/rng.ts";
import type { Split } from "../data/split.ts";
import type { Backend } from "./engine/backend.ts";
import { TrainingInterrupted, type TrainingState } from "./engine/checkpoint.ts";
import type { CheckpointStore, Model, ModelSpec } from "./types.ts";

/** How the runs train. */
export interface ResumeCase {
  /** The registered model. */
  spec: ModelSpec<object>;
  /** Config overrides. */
  config?: Record<string, unknown>;
  /** The split to train and validate on. */
  split: Split;
  /** Corpus size. */
  numItems: number;
  /** Dense products. */
  backend: Backend;
}

/**
 * Trains the case (12 iterations, a validation every 5 through the shared
 * ranking path), optionally with a checkpoint store.
 *
 * @param c The case.
 * @param checkpoint The store.
 * @returns The model.
 */
export async function trainCase(c: ResumeCase, checkpoint?: CheckpointStore): Promise<Model> {
  const model = c.spec.create(c.spec.configure(c.config ?? {}));
  await model.fit(c.split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, `${c.spec.name}:${label}`),
    progress: () => {},
    budget: { maxIterations: 12, evalEvery: 5, patience: 1 },
    backend: c.backend,
    validate: () =>
      evaluateModel(model, c.split.train.validation, c.numItems, { cutoffs: [50] })
        .metrics["recall@50"],
    ...(checkpoint ? { checkpoint } : {}),
  });
  return model;
}

/** Scores of the first test queries and the training report, to compare runs. */
function outcome(model: Model, c: ResumeCase) {
  const queries = c.split.test.queries.slice(0, 5);
  const scores = new Float32Array(queries.length * model.interests * c.numItems);
  model.score(queries, scores);
  const r = model.trainingReport?.();
  return { scores, curve: r?.curve, iterations: r?.iterations, best: r?.bestIteration };
}

/**
 * Kills a training run at iteration 7 (the last checkpoint is the validation
 * at 5), resumes and stops it on request at 9 (saved there), resumes it to
 * the end, and requires the scores, curve and best iteration of an
 * uninterrupted run, and the same whole training state (parameters, Adam's
 * moments, streams, sampler memory) when training ends. A model without a
 * training loop is only trained once.
 *
 * @param c The case.
 */
export async function assertResumesExactly(c: ResumeCase): Promise<void> {
  const dir = await Deno.makeTempDir();
  const resumedAt: string[] = [];
  // The state saved when training ends: every parameter, moment, stream and sampler memory.
  let finalState: TrainingState | undefined;
  const store = (cell: string, stopAfter: number, how: "kill" | "stop" | "none") => {
    let calls = 0;
    const inner = new CellCheckpoint(dir, cell, {}, {
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
    return {
      load: () => inner.load(),
      save: (state: TrainingState) => {
        finalState = state;
        inner.save(state);
      },
      stopRequested: () => inner.stopRequested(),
    };
  };
  const whole = outcome(await trainCase(c, store("whole", 0, "none")), c);
  const wholeState = finalState;
  if (wholeState === undefined) return; // no training loop: nothing to checkpoint
  let interrupted: unknown;
  try {
    await trainCase(c, store("resumed", 7, "kill"));
  } catch (error) {
    interrupted = error;
  }
  strictEqual((interrupted as Error | undefined)?.message, "killed");
  await rejects(() => trainCase(c, store("resumed", 9 - 5, "stop")), TrainingInterrupted);
  const again = outcome(await trainCase(c, store("resumed", 0, "none")), c);
  deepStrictEqual(resumedAt, ["5", "9"], "each rerun resumed from the last checkpoint");
  deepStrictEqual(again, whole);
  deepStrictEqual(finalState, wholeState, "the whole training state at the end");
}
