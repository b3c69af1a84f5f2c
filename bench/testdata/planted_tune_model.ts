/**
 * A planted model for the tuning test-leak check (`bench/tune_test.ts`): with
 * `memorize: true` it ranks each validation user's validation targets first
 * (read from the training part's validation set) and every other user's items
 * least popular first, so it is best on validation and worst on test; with
 * `memorize: false` it is MostPopular, worse on validation and better on test.
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../../models/types.ts";
import type { FitContext, Model, Query, TrainingData } from "../../models/types.ts";

/** Config of the planted model. */
export interface PlantedConfig {
  /** Memorize the validation targets (and rank others anti-popular). @default {false} */
  memorize: boolean;
}

class Planted implements Model {
  readonly interests = 1;
  #counts = new Float32Array(0);
  #targets = new Map<number, number[]>();
  constructor(readonly config: PlantedConfig) {}

  fit(data: TrainingData, _context?: FitContext): void {
    this.#counts = new Float32Array(data.numItems);
    for (const i of data.items) this.#counts[i]++;
    const v = data.validation;
    v.queries.forEach((q, i) => this.#targets.set(q.user, [...v.targets[i]].sort((a, b) => a - b)));
  }

  score(queries: readonly Query[], out: Float32Array): void {
    const n = this.#counts.length;
    for (let q = 0; q < queries.length; q++) {
      const row = out.subarray(q * n, (q + 1) * n);
      row.set(this.#counts);
      if (!this.config.memorize) continue;
      for (let i = 0; i < n; i++) row[i] = -row[i];
      for (const t of this.#targets.get(queries[q].user) ?? []) row[t] = 1e9;
    }
  }

  parameterCount(): number {
    return 0;
  }
}

/** The planted model's spec, loaded by path in the tuning test. */
export const model: ModelSpec<PlantedConfig> = {
  name: "planted",
  title: "Planted (tuning test)",
  reference: "bench/tune_test.ts",
  deviations: "A test model.",
  protocols: ["sequential", "cf"],
  defaults: { memorize: false },
  configure: (overrides) => mergeConfig("planted", { memorize: false }, overrides),
  create: (config) => new Planted(config),
};
