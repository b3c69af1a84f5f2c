/**
 * The training loop both trained families share: run steps until the budget
 * ends or validation Recall@50 (from the runner's shared ranking path) has
 * not improved for more than `patience` validations in a row (`trials >
 * patience`, as REMI's and ComiRec's training loops count), keep a snapshot of the best
 * parameters, report progress, and summarise the run.
 *
 * @module
 */
import type { FitContext, TrainingBudget, TrainingReport } from "../types.ts";

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
  const curve: [number, number][] = [];
  let best = -Infinity, bestIteration = 0, stale = 0, lossSum = 0, lossCount = 0;
  let snapshot = loop.snapshot();
  let trainMs = 0, iteration = 0;
  for (iteration = 1; iteration <= budget.maxIterations; iteration++) {
    const t0 = context.clock?.() ?? 0;
    lossSum += loop.step();
    lossCount++;
    trainMs += (context.clock?.() ?? 0) - t0;
    if (iteration % budget.evalEvery === 0 || iteration === budget.maxIterations) {
      const recall = context.validate ? context.validate() : -lossSum / lossCount;
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
        `iter ${iteration}${note ? ` (${note})` : ""}, loss ${
          (lossSum / lossCount).toFixed(4)
        }, valid recall@50 ${recall.toFixed(4)}`,
      );
      lossSum = lossCount = 0;
      if (stale > budget.patience) break;
    } else if (iteration % 10 === 0) {
      context.progress(iteration / budget.maxIterations, `iter ${iteration}`);
    }
  }
  loop.restore(snapshot);
  const ran = Math.min(iteration, budget.maxIterations);
  return {
    iterations: ran,
    bestIteration,
    curve,
    secondsPer1000: ran > 0 ? trainMs / ran : 0,
    diagnostics: {},
  };
}
