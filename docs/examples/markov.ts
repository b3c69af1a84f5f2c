/**
 * An example of a model that lives outside the registry: a first-order Markov
 * chain. It scores items by how often they followed the query's last history
 * item in the training sequences, with item popularity as a small tie-breaker.
 *
 * Run it against the baselines with:
 *
 *     deno task bench --models mostpop,itemknn,./docs/examples/markov.ts
 *
 * @module
 */
import {
  mergeConfig,
  type Model,
  type ModelSpec,
  type Query,
  type TrainingData,
} from "@recbench/recbench";

/** Config of the Markov example. */
export interface MarkovConfig {
  /**
   * Weight of popularity added to the transition counts.
   * @default {0.001}
   */
  popularityWeight: number;
}

const DEFAULTS: Readonly<MarkovConfig> = { popularityWeight: 0.001 };

class Markov implements Model {
  readonly interests = 1;
  readonly #config: MarkovConfig;
  #next = new Map<number, Map<number, number>>();
  #popularity = new Float32Array(0);

  constructor(config: MarkovConfig) {
    this.#config = config;
  }

  fit(data: TrainingData): void {
    this.#popularity = new Float32Array(data.numItems);
    for (const u of data.trainUsers) {
      for (let e = data.userPtr[u]; e < data.userPtr[u + 1]; e++) {
        this.#popularity[data.items[e]]++;
        if (e + 1 < data.userPtr[u + 1]) {
          const from = data.items[e], to = data.items[e + 1];
          const row = this.#next.get(from) ?? new Map<number, number>();
          row.set(to, (row.get(to) ?? 0) + 1);
          this.#next.set(from, row);
        }
      }
    }
  }

  score(queries: readonly Query[], out: Float32Array): void {
    const n = this.#popularity.length;
    const w = this.#config.popularityWeight;
    queries.forEach((q, k) => {
      const row = out.subarray(k * n, (k + 1) * n);
      for (let i = 0; i < n; i++) row[i] = w * this.#popularity[i];
      const last = q.history[q.history.length - 1];
      for (const [to, count] of this.#next.get(last) ?? []) row[to] += count;
    });
  }

  parameterCount(): number {
    return 0;
  }
}

/** The spec the bench loads: a module must export it under the name `model`. */
export const model: ModelSpec<MarkovConfig> = {
  name: "markov",
  title: "Markov (example)",
  reference: "First-order Markov chain over consecutive training items (docs/adding-a-model.md).",
  deviations: "Example model, not from a paper.",
  protocols: ["sequential", "cf"],
  defaults: DEFAULTS,
  configure: (overrides) => mergeConfig("markov", DEFAULTS, overrides),
  create: (config) => new Markov(config),
};
