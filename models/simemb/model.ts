/**
 * SimEmb ("Attribute Simulation for Item Embedding Enhancement in
 * Multi-interest Recommendation", arXiv 2311.17374) as a wrapper of any model
 * of the sequential family: the model's item table becomes a table of
 * "attribute" embeddings, and every item embedding it uses, in its input and
 * in its softmax, is the co-occurrence-weighted sum of attribute embeddings
 * (`cooccurrence.ts`). Computed on the batch at training time; precomputed for
 * the whole corpus when scoring.
 *
 * @module
 */
import type { SequentialModel } from "../_sequential/base.ts";
import { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { TrainingData } from "../types.ts";
import type { SimEmbConfig } from "./config.ts";
import { type CooccurrenceWeights, cooccurrenceWeights } from "./cooccurrence.ts";

/** A sequential-family model class. */
// deno-lint-ignore no-explicit-any
export type SequentialModelClass = abstract new (config: any) => SequentialModel;

/**
 * Wraps a sequential-family model class with SimEmb item embeddings.
 *
 * @param Base The host model class (e.g. `ComiRecSA`).
 * @returns A class taking a {@linkcode SimEmbConfig}.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ComiRecSA } from "../comirec_sa/model.ts";
 * import { withSimEmb } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * import { SIMEMB_SETTINGS } from "./config.ts";
 * const Model = withSimEmb(ComiRecSA);
 * ok(new Model({ ...SEQUENTIAL_DEFAULTS, ...SIMEMB_SETTINGS }).interests === 4);
 * ```
 */
export function withSimEmb<B extends SequentialModelClass>(
  Base: B,
): new (config: SimEmbConfig) => SequentialModel {
  // @ts-ignore: a mixin over an abstract base class
  class SimEmb extends Base {
    #weights: CooccurrenceWeights | undefined;
    #cache: Float32Array | undefined;
    readonly #simConfig: SimEmbConfig;

    constructor(config: SimEmbConfig) {
      super(config);
      this.#simConfig = config;
    }

    protected override prepare(data: TrainingData): void {
      super.prepare(data);
      this.#weights = cooccurrenceWeights(data, {
        window: this.#simConfig.window,
        neighbors: this.#simConfig.neighbors,
      });
      this.#cache = undefined;
    }

    protected override embed(tape: Tape, ids: Int32Array): Tensor {
      this.#cache = undefined; // parameters are about to change
      return tape.combine(this.items, this.#weights!, ids);
    }

    protected override itemVectors(): Float32Array {
      if (!this.#cache) {
        const all = Int32Array.from({ length: this.items.rows }, (_, i) => i);
        this.#cache =
          new Tape(this.backend, { record: false }).combine(this.items, this.#weights!, all)
            .data;
      }
      return this.#cache;
    }

    protected override afterRestore(): void {
      super.afterRestore();
      this.#cache = undefined;
    }
  }
  return SimEmb as unknown as new (config: SimEmbConfig) => SequentialModel;
}
