/**
 * Epoch boundaries for models that redo something once per epoch (MMRec's
 * `pre_epoch_processing`: FREEDOM prunes its user-item graph, LATTICE
 * rebuilds its learned item graph), counted in batches: an epoch is
 * `ceil(distinct training pairs / batch size)` batches, as the pair sampler
 * draws them.
 *
 * @module
 */
import type { TrainingData } from "../types.ts";
import { distinctUserItems } from "./graph.ts";
import { type Checkpointable, stateNumber, type TrainingState } from "../engine/checkpoint.ts";

/**
 * Counts batches and says when one starts an epoch.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { trainingDataFromRows } from "../_testing.ts";
 * import { EpochClock } from "./epoch.ts";
 * const clock = new EpochClock(trainingDataFromRows([[0, 1, 2]], 3), 2);
 * ok([clock.tick(), clock.tick(), clock.tick()].join() === "true,false,true");
 * ```
 */
export class EpochClock implements Checkpointable {
  /** Batches per epoch. */
  readonly perEpoch: number;
  #batches = 0;

  /**
   * @param data Training data.
   * @param batchSize Pairs per batch.
   */
  constructor(data: TrainingData, batchSize: number) {
    this.perEpoch = Math.max(1, Math.ceil(distinctUserItems(data).items.length / batchSize));
  }

  /**
   * Counts one batch.
   *
   * @returns True when this batch is the first of an epoch.
   */
  tick(): boolean {
    return this.#batches++ % this.perEpoch === 0;
  }

  /**
   * The batches counted, for a checkpoint.
   *
   * @returns Named values.
   */
  checkpointState(): TrainingState {
    return { batches: this.#batches };
  }

  /**
   * Puts back the count from `checkpointState`.
   *
   * @param state The saved state.
   */
  restoreState(state: TrainingState): void {
    this.#batches = stateNumber(state.batches, "epoch clock batches");
  }
}
