/**
 * The training loop both trained families share: run steps until the budget
 * ends or validation Recall@50 (from the runner's shared ranking path) has
 * not improved for more than `patience` validations in a row (`trials >
 * patience`, as REMI's and ComiRec's training loops count), keep a snapshot of the best
 * parameters, report progress, and summarise the run. With a checkpoint store
 * in the context (and a loop that gives its state), it saves every `every`
 * iterations (default: at each validation) and when training ends, resumes
 * from a saved state, and on a stop request saves and throws
 * {@linkcode TrainingInterrupted}; a resumed run ends exactly as an
 * uninterrupted one.
 *
 * @module
 */
import type { FitContext, TrainingBudget, TrainingReport } from "../types.ts";
import {
  stateArray,
  stateList,
  stateNumber,
  stateRecord,
  TrainingInterrupted,
  type TrainingState,
} from "./checkpoint.ts";

/** What the loop needs from a model. */
export interface TrainingLoop {
  /**
   * Runs one training step.
   *
   * @returns The step's loss.
   */
  step(): number;
  /**
   * Copies the parameters.
   *
   * @returns The copy.
   */
  snapshot(): Float32Array[];
  /**
   * Puts a copy back.
   *
   * @param copy From `snapshot`.
   */
  restore(copy: Float32Array[]): void;
  /**
   * Extra words for the progress line at a validation (e.g. the epoch).
   *
   * @returns Text, or "".
   */
  progressNote?(): string;
  /**
   * The model's training state for a checkpoint (parameters, optimiser,
   * streams, sampler, its own state); a loop without it and
   * `restoreState` never checkpoints.
   *
   * @returns Named values.
   */
  checkpointState?(): TrainingState;
  /**
   * Puts a state from `checkpointState` back (the model was made and
   * initialised the same way first).
   *
   * @param state The saved state.
   */
  restoreState?(state: TrainingState): void;
}

/**
 * Trains with early stopping and restores the best validated parameters.
 *
 * @param loop The model's step and parameter copies.
 * @param context Budget, validation, progress.
 * @param budget The budget to use.
 * @returns The report (diagnostics empty; the model adds its own).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainWithEarlyStopping } from "./early_stopping.ts";
 * import { Rng } from "../../data/rng.ts";
 * let w = 0;
 * const report = trainWithEarlyStopping(
 *   { step: () => (w += 1, 1 / w), snapshot: () => [Float32Array.of(w)], restore: (c) => { w = c[0][0]; } },
 *   { seed: 1, rng: () => new Rng(1), progress: () => {}, validate: () => (w <= 3 ? w : 0) },
 *   { maxIterations: 10, evalEvery: 1, patience: 2 },
 * );
 * ok(report.bestIteration === 3 && w === 3 && report.iterations === 6);
 * ```
 */
export function trainWithEarlyStopping(
  loop: TrainingLoop,
  context: FitContext,
  budget: TrainingBudget,
): TrainingReport {
  const store = loop.checkpointState && loop.restoreState ? context.checkpoint : undefined;
  const every = store?.every ?? budget.evalEvery;
  let curve: [number, number][] = [];
  let best = -Infinity, bestIteration = 0, stale = 0, lossSum = 0, lossCount = 0;
  let trainMs = 0, done = 0, validationMs = 0, validations = 0;
  let snapshot: Float32Array[];
  const saved = store?.load();
  if (saved) {
    loop.restoreState!(stateRecord(saved.model, "model"));
    done = stateNumber(saved.iteration, "iteration");
    best = stateNumber(saved.best, "best");
    bestIteration = stateNumber(saved.bestIteration, "bestIteration");
    stale = stateNumber(saved.stale, "stale");
    lossSum = stateNumber(saved.lossSum, "lossSum");
    lossCount = stateNumber(saved.lossCount, "lossCount");
    trainMs = stateNumber(saved.trainMs, "trainMs");
    const flat = stateList(saved.curve, "curve").map((v) => stateNumber(v, "curve"));
    curve = Array.from({ length: flat.length / 2 }, (_, i) => [flat[2 * i], flat[2 * i + 1]]);
    // null: the best parameters are the saved ones (the checkpoint followed a new best).
    const current = loop.snapshot();
    snapshot = saved.snapshot === null
      ? current
      : stateList(saved.snapshot, "snapshot", current.length)
        .map((v, i) => stateArray(v, Float32Array, `snapshot ${i}`, current[i].length).slice());
    context.progress(done / budget.maxIterations, `iter ${done}, resumed from its checkpoint`);
  } else snapshot = loop.snapshot();
  const save = () =>
    store!.save({
      iteration: done,
      best,
      bestIteration,
      stale,
      lossSum,
      lossCount,
      trainMs,
      curve: curve.flat(),
      snapshot: bestIteration === done ? null : snapshot,
      model: loop.checkpointState!(),
    });
  // The cell's remaining wall time if it trains to the end of its budget, from
  // this process's measured step and validation times (none without a clock).
  const firstStep = done, trainMsBefore = trainMs;
  const projection = () => {
    const steps = done - firstStep;
    if (!context.clock || steps === 0) return "";
    const msPerStep = (trainMs - trainMsBefore) / steps;
    const msPerValidation = validations > 0 ? validationMs / validations : 0;
    const left = budget.maxIterations - done;
    const ms = left * msPerStep + Math.ceil(left / budget.evalEvery) * msPerValidation;
    return `, cell ≤${formatDuration(ms / 1000)} left (${
      (1000 / Math.max(msPerStep, 1e-6)).toFixed(1)
    } it/s${validations > 0 ? `, ${(msPerValidation / 1000).toFixed(1)}s/validation` : ""})`;
  };
  let stopped = stale > budget.patience;
  while (!stopped && done < budget.maxIterations) {
    if (store?.stopRequested?.()) {
      save();
      throw new TrainingInterrupted(done);
    }
    const iteration = ++done;
    const t0 = context.clock?.() ?? 0;
    lossSum += loop.step();
    lossCount++;
    trainMs += (context.clock?.() ?? 0) - t0;
    if (iteration % budget.evalEvery === 0 || iteration === budget.maxIterations) {
      const v0 = context.clock?.() ?? 0;
      const recall = context.validate ? context.validate() : -lossSum / lossCount;
      validationMs += (context.clock?.() ?? 0) - v0;
      validations++;
      curve.push([iteration, recall]);
      if (recall > best) {
        best = recall;
        bestIteration = iteration;
        stale = 0;
        snapshot = loop.snapshot();
      } else stale++;
      const note = loop.progressNote?.() ?? "";
      context.progress(
        iteration / budget.maxIterations,
        `iter ${iteration}${note ? ` (${note})` : ""}${projection()}, loss ${
          (lossSum / lossCount).toFixed(4)
        }, valid recall@50 ${recall.toFixed(4)}`,
      );
      lossSum = lossCount = 0;
      stopped = stale > budget.patience;
    } else if (iteration % 10 === 0) {
      context.progress(iteration / budget.maxIterations, `iter ${iteration}${projection()}`);
    }
    // Also when training ends, so a run stopped while testing does not train again.
    if (store && (iteration % every === 0 || stopped || iteration === budget.maxIterations)) save();
  }
  loop.restore(snapshot);
  return {
    iterations: done,
    bestIteration,
    curve,
    secondsPer1000: done > 0 ? trainMs / done : 0,
    diagnostics: {},
  };
}

/**
 * Formats seconds as `2d03h`, `3h12m`, `4m05s` or `12s`.
 *
 * @param seconds Seconds.
 * @returns The text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { formatDuration } from "./early_stopping.ts";
 * ok(formatDuration(3 * 3600 + 12 * 60) === "3h12m" && formatDuration(90000) === "1d01h");
 * ```
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor(s / 3600) % 24)}h`;
}
