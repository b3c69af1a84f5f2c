/**
 * MostPopular: every user gets the items most often seen in training.
 *
 * @module
 */
import type { FitContext, Model, Query, TrainingData } from "../types.ts";

/**
 * Scores each item by its number of training interactions.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MostPopular } from "./model.ts";
 * const m = new MostPopular();
 * ok(m.interests === 1);
 * ```
 */
export class MostPopular implements Model {
  readonly interests = 1;
  #counts = new Float32Array(0);

  /**
   * Counts training interactions per item.
   *
   * @param data Training data.
   * @param _context Unused.
   */
  fit(data: TrainingData, _context?: FitContext): void {
    this.#counts = new Float32Array(data.numItems);
    for (const i of data.items) this.#counts[i]++;
  }

  /**
   * Writes the same popularity row for every query.
   *
   * @param queries Queries (only their number matters).
   * @param out Destination.
   */
  score(queries: readonly Query[], out: Float32Array): void {
    const n = this.#counts.length;
    for (let q = 0; q < queries.length; q++) out.set(this.#counts, q * n);
  }

  /**
   * MostPopular learns counts, not parameters.
   *
   * @returns 0.
   */
  parameterCount(): number {
    return 0;
  }
}
