/**
 * Named training budgets (`--budget NAME`). `paper` is what the papers'
 * reference code trains with:
 *
 * - sequential family (ComiRec's and REMI's training loops): at most
 *   1,000,000 iterations, validation every 1,000, stop once more than 50
 *   validations in a row did not improve (`trials > patience`);
 * - `cf` family: LightGCN-PyTorch's 1,000 epochs, with a validation every
 *   10 epochs (its code tests every 10 epochs) and the same patience of 50
 *   validations (its code has no early stopping; 50 validations are 500
 *   epochs without gain). An epoch is `ceil(training pairs / batch size)`
 *   batches (the cut of the `users` sampler), so the iterations follow
 *   from each cell's data and batch size.
 *
 * Explicit `--max-iterations`, `--eval-every` and `--patience` override the
 * preset, in iterations, for both families.
 *
 * @module
 */
import { distinctUserItems } from "../models/_graph/graph.ts";
import type { TrainingBudget, TrainingData } from "../models/types.ts";

/** A named budget: the sequential family's in iterations, the `cf` family's in epochs. */
export interface BudgetPreset {
  /** Sequential family (and any model outside the `cf` protocol). */
  sequential: TrainingBudget;
  /** The `cf` family, in epochs. */
  cf: { epochs: number; evalEveryEpochs: number; patience: number };
}

/** The presets `--budget` accepts. */
export const BUDGET_PRESETS: Readonly<Record<string, Readonly<BudgetPreset>>> = {
  paper: {
    sequential: { maxIterations: 1_000_000, evalEvery: 1_000, patience: 50 },
    cf: { epochs: 1_000, evalEveryEpochs: 10, patience: 50 },
  },
};

/** A run's preset: its name, the preset, and the budget flags given explicitly. */
export interface RunPreset {
  /** `--budget`'s name. */
  name: string;
  /** Its budgets. */
  preset: Readonly<BudgetPreset>;
  /** `--max-iterations`, `--eval-every`, `--patience` as given. */
  explicit: Partial<TrainingBudget>;
}

/**
 * The preset of `--budget NAME`.
 *
 * @param name The preset's name.
 * @param explicit The budget flags given.
 * @returns The run's preset.
 * @throws {RangeError} For an unknown name.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { runPreset } from "./budget.ts";
 * ok(runPreset("paper", {}).preset.sequential.patience === 50);
 * ```
 */
export function runPreset(name: string, explicit: Partial<TrainingBudget>): RunPreset {
  const preset = BUDGET_PRESETS[name];
  if (!preset) {
    throw new RangeError(
      `--budget ${name}: unknown (known: ${Object.keys(BUDGET_PRESETS).join(", ")})`,
    );
  }
  return { name, preset, explicit };
}

/**
 * The budget of one cell under a preset: the engine's for sequential cells
 * (the preset with the explicit flags over it), epochs turned into iterations
 * for `cf` cells of models with a `batchSize`.
 *
 * @param run The run's preset (none: the engine's budget).
 * @param engineBudget The engine's budget (lowered by `--tune-budget` for tuning points).
 * @param cell The cell's protocol, training data and model config.
 * @returns The budget, with the epoch arithmetic when it was used.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../models/_testing.ts";
 * import { cellBudget, runPreset } from "./budget.ts";
 * const data = trainingDataFromRows([[0, 1, 2], [1, 2]], 3); // 5 training pairs
 * const b = cellBudget(runPreset("paper", {}), { maxIterations: 1e6, evalEvery: 1000, patience: 50 },
 *   { protocol: "cf", train: data, config: { batchSize: 2 } });
 * ok(b.maxIterations === 3000 && b.evalEvery === 30 && b.batchesPerEpoch === 3);
 * ```
 */
export function cellBudget(
  run: RunPreset | undefined,
  engineBudget: TrainingBudget,
  cell: { protocol: string; train: TrainingData; config: object },
): TrainingBudget & { batchesPerEpoch?: number } {
  const batchSize = (cell.config as { batchSize?: unknown }).batchSize;
  if (!run || cell.protocol !== "cf" || typeof batchSize !== "number") return engineBudget;
  const pairs = distinctUserItems(cell.train).items.length;
  const batchesPerEpoch = Math.max(1, Math.ceil(pairs / batchSize));
  const { epochs, evalEveryEpochs, patience } = run.preset.cf;
  const budget = {
    maxIterations: epochs * batchesPerEpoch,
    evalEvery: evalEveryEpochs * batchesPerEpoch,
    patience,
    ...run.explicit,
    batchesPerEpoch,
  };
  // --tune-budget lowers the engine's iterations for tuning points: the cap holds here too.
  const full = run.explicit.maxIterations ?? run.preset.sequential.maxIterations;
  if (engineBudget.maxIterations < full) {
    budget.maxIterations = Math.min(budget.maxIterations, engineBudget.maxIterations);
  }
  return budget;
}
