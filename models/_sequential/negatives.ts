/**
 * The negative samplers of the family's sampled softmax (config `sampler`),
 * REMI's Figure 3 comparison plus Figure 1a's full softmax:
 *
 * - `uniform`: one set of `N = negativeRatio x batchSize` items shared by the
 *   batch, drawn from `negatives` (ComiRec's and REMI's code; the bits of
 *   recbench before samplers existed).
 * - `mns`: mixed negative sampling (Yang et al., WWW 2020): the batch's `B`
 *   targets (each row's own target masked, the other rows' are its in-batch
 *   negatives) plus `N - B` items drawn from `negatives`, shared; log-q
 *   correction with the mixture `q(i) = (B p(i) + (N - B) q_draw(i)) / N`,
 *   `p(i)` the exact probability that the training sampler draws `i` as a
 *   target.
 * - `dns`: dynamic negative sampling (Zhang et al., SIGIR 2013): each of a
 *   row's `N` negatives is the highest-scored (by the current model, the
 *   row's read-out interest) of `dnsCandidates` drawn items, the row's own
 *   target excluded; the `N x dnsCandidates` candidates are drawn once per
 *   batch and shared, each row choosing its own.
 * - `srns`: Ding et al., NeurIPS 2020, in `srns.ts`.
 * - `full`: every item is a negative of every row (the row's target masked):
 *   the softmax of REMI's Eq. 5-6, refused above {@linkcode FULL_SOFTMAX_MAX_ITEMS}.
 *
 * The scores go through the model's backend (ONNX Runtime's MatMul by
 * default): each row is scored against the batch's columns with one product,
 * and per-row choices select among those scores.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type SampledSoftmaxOptions, Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { TrainingData } from "../types.ts";
import type { SamplerName, SequentialConfig } from "./config.ts";
import { NegativeSampler, type SequenceBatch } from "./sampler.ts";
import { selectColumns } from "./select_columns.ts";
import { SrnsSampler } from "./srns.ts";

/** Plain-data state of a sampler (typed arrays and counters), for checkpoints. */
export type SamplerState = Record<string, Int32Array | Float32Array | number>;

/** What a sampler sees once every row has been scored against its columns. */
export interface ScoredBatch {
  /** The batch. */
  batch: SequenceBatch;
  /** The columns (item ids) of the batch. */
  columns: Int32Array;
  /** Scores `[B, C]` of each row's read-out interest against each column. */
  scores: Float32Array;
  /** Each row's positive logit `[B]`. */
  positive: Float32Array;
  /** The read-out interests `[B, d]`. */
  user: Float32Array;
  /** d. */
  dim: number;
  /** Training-time item vectors of `ids` (no gradient), `[ids.length, d]`. */
  vectors: (ids: Int32Array) => Float32Array;
}

/** A negative sampler of the sampled softmax. */
export interface NegativeStrategy {
  /** Its config name. */
  readonly name: SamplerName;
  /**
   * Items every row of the batch is scored against (consumes the `sampling` stream).
   *
   * @param batch The batch.
   * @returns Item ids.
   */
  columns(batch: SequenceBatch): Int32Array;
  /**
   * Each row's negatives as column indices `[B, n]`, or undefined when every
   * column is a negative of every row.
   *
   * @param scored Scores of the batch.
   * @returns The choice.
   */
  choose(scored: ScoredBatch): Int32Array | undefined;
  /**
   * log q of the positives and of the (shared) columns for the log-q
   * correction, or undefined for none.
   *
   * @param batch The batch.
   * @param columns Its columns.
   * @returns The log-probabilities.
   */
  logQ(
    batch: SequenceBatch,
    columns: Int32Array,
  ): { positive: Float32Array; negative: Float32Array } | undefined;
  /** @returns A copy of the sampler's state (the `sampling` stream is not part of it). */
  state(): SamplerState;
  /** @param state A state from {@linkcode NegativeStrategy.state} of a sampler with the same config. */
  restore(state: SamplerState): void;
}

/** Items above which `sampler: "full"` is refused (ml-1m has 3,416 after filtering, Gowalla 174,605). */
export const FULL_SOFTMAX_MAX_ITEMS = 50_000;

/** Float32 copies of the `[B, numItems]` logits a full-softmax step holds (logits, shifted, exp, gradient, matmul gradient). */
const FULL_SOFTMAX_COPIES = 5;

/**
 * Creates the configured sampler.
 *
 * @param name Model name, for messages.
 * @param config The family config.
 * @param data Training data.
 * @param rng The `sampling` stream.
 * @returns The sampler.
 * @throws RangeError for `full` above {@linkcode FULL_SOFTMAX_MAX_ITEMS} items.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { splitSequential } from "../../data/split.ts";
 * import { generateSynthetic } from "../../data/synthetic.ts";
 * import { SEQUENTIAL_DEFAULTS } from "./config.ts";
 * import { createNegativeStrategy } from "./negatives.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 60, numItems: 50 }), { seed: 1 });
 * const s = createNegativeStrategy("m", { ...SEQUENTIAL_DEFAULTS, sampler: "full" }, split.train, new Rng(1));
 * ok(s.name === "full");
 * ```
 */
export function createNegativeStrategy(
  name: string,
  config: SequentialConfig,
  data: TrainingData,
  rng: Rng,
): NegativeStrategy {
  const draw = new NegativeSampler(data.numItems, config.negatives, rng);
  const N = config.negativeRatio * config.batchSize;
  switch (config.sampler) {
    case "uniform":
      return new UniformNegatives(draw, N);
    case "mns":
      return new MixedNegatives(draw, N, config.batchSize, targetDistribution(data));
    case "dns":
      return new DynamicNegatives(draw, N, config.dnsCandidates);
    case "srns":
      return new SrnsSampler(draw, data, {
        shared: N - 1,
        memory: config.srnsMemory,
        fresh: config.srnsCandidates,
        alpha: config.srnsAlpha,
        warmup: config.srnsWarmup,
        temperature: config.srnsTemperature,
      });
    case "full":
      checkFullSoftmax(name, data.numItems, config.batchSize);
      return new FullSoftmax(data.numItems);
    default:
      throw new RangeError(`${name}: unknown sampler ${JSON.stringify(config.sampler)}`);
  }
}

/**
 * Refuses a full softmax whose `[batch, numItems]` logits are unreasonable.
 *
 * @param name Model name, for messages.
 * @param numItems Corpus size.
 * @param batch Batch size.
 * @throws RangeError above {@linkcode FULL_SOFTMAX_MAX_ITEMS} items.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkFullSoftmax } from "./negatives.ts";
 * checkFullSoftmax("m", 3416, 128);
 * throws(() => checkFullSoftmax("m", 174605, 128), /174,605 items/);
 * ```
 */
export function checkFullSoftmax(name: string, numItems: number, batch: number): void {
  if (numItems <= FULL_SOFTMAX_MAX_ITEMS) return;
  const mib = (batch * numItems * 4 * FULL_SOFTMAX_COPIES) / 2 ** 20;
  throw new RangeError(
    `${name}: sampler "full" scores all ${numItems.toLocaleString("en-US")} items for each of ` +
      `the batch's ${batch} rows every step: about ${mib.toFixed(0)} MiB for the ` +
      `[${batch} x ${numItems}] logits and their gradients (${FULL_SOFTMAX_COPIES} float32 copies) ` +
      `and ${(batch * numItems / 1e6).toFixed(1)}M dot products per step; recbench allows it up ` +
      `to ${FULL_SOFTMAX_MAX_ITEMS.toLocaleString("en-US")} items (ml-1m has about 3,400): use ` +
      `sampler "uniform" (or "mns", "dns", "srns") here`,
  );
}

/**
 * The probability that the family's training sampler draws each item as a
 * target: a user uniformly among those with more than 4 items, then a
 * position uniformly in `[4, len)`.
 *
 * @param data Training data.
 * @returns `[numItems]`, summing to 1.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { splitSequential } from "../../data/split.ts";
 * import { generateSynthetic } from "../../data/synthetic.ts";
 * import { targetDistribution } from "./negatives.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 60, numItems: 50 }), { seed: 1 });
 * ok(Math.abs(targetDistribution(split.train).reduce((a, b) => a + b, 0) - 1) < 1e-9);
 * ```
 */
export function targetDistribution(data: TrainingData): Float64Array {
  const p = new Float64Array(data.numItems);
  const users = data.trainUsers.filter((u) => data.userPtr[u + 1] - data.userPtr[u] > 4);
  for (const u of users) {
    const start = data.userPtr[u], len = data.userPtr[u + 1] - start;
    const w = 1 / (users.length * (len - 4));
    for (let k = 4; k < len; k++) p[data.items[start + k]] += w;
  }
  return p;
}

/**
 * Samplers whose log-q correction is a fixed per-item table and that keep no
 * state: they differ only in the columns they draw.
 */
abstract class TabulatedNegatives implements NegativeStrategy {
  abstract readonly name: SamplerName;

  /** @param table log q of each item. */
  constructor(readonly table: Float32Array) {}

  abstract columns(batch: SequenceBatch): Int32Array;

  choose(_scored: ScoredBatch): undefined {
    return undefined;
  }

  logQ(batch: SequenceBatch, columns: Int32Array) {
    const q = this.table;
    return {
      positive: Float32Array.from(batch.target, (i) => q[i]),
      negative: Float32Array.from(columns, (i) => q[i]),
    };
  }

  state(): SamplerState {
    return {};
  }

  restore(_state: SamplerState): void {}
}

/** ComiRec's and REMI's shared negatives. */
class UniformNegatives extends TabulatedNegatives {
  readonly name = "uniform";

  constructor(readonly draw: NegativeSampler, readonly count: number) {
    super(Float32Array.from({ length: draw.numItems }, (_, i) => draw.logQ(i)));
  }

  columns(_batch: SequenceBatch): Int32Array {
    return this.draw.sample(this.count);
  }
}

/** Yang et al.'s MNS: in-batch targets plus drawn items, with the mixture's log-q correction. */
class MixedNegatives extends TabulatedNegatives {
  readonly name = "mns";

  constructor(
    readonly draw: NegativeSampler,
    readonly count: number,
    readonly batchSize: number,
    target: Float64Array,
  ) {
    const drawn = count - batchSize;
    super(Float32Array.from({ length: draw.numItems }, (_, i) => {
      const q = (batchSize * target[i] + drawn * Math.exp(draw.logQ(i))) / count;
      return Math.log(Math.max(q, 1e-30));
    }));
  }

  columns(batch: SequenceBatch): Int32Array {
    const out = new Int32Array(batch.size + this.count - this.batchSize);
    out.set(batch.target);
    out.set(this.draw.sample(this.count - this.batchSize), batch.size);
    return out;
  }
}

/** Zhang et al.'s DNS: each negative the highest-scored of `candidates` drawn items. */
class DynamicNegatives implements NegativeStrategy {
  readonly name = "dns";

  constructor(
    readonly draw: NegativeSampler,
    readonly count: number,
    readonly candidates: number,
  ) {}

  columns(_batch: SequenceBatch): Int32Array {
    return this.draw.sample(this.count * this.candidates);
  }

  choose({ batch, columns, scores }: ScoredBatch): Int32Array {
    return dynamicChoice(scores, columns, batch.target, this.candidates);
  }

  logQ(): undefined {
    return undefined;
  }

  state(): SamplerState {
    return {};
  }

  restore(_state: SamplerState): void {}
}

/**
 * DNS's choice: the columns come in groups of `candidates`; for each row and
 * group, the column with the highest score whose item is not the row's
 * target (the group's first column when all are the target; it is then
 * masked as an accidental hit).
 *
 * @param scores `[B, C]`.
 * @param columns Item ids `[C]`, `C` a multiple of `candidates`.
 * @param target Each row's target `[B]`.
 * @param candidates Group size.
 * @returns `[B, C / candidates]` column indices.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { dynamicChoice } from "./negatives.ts";
 * const pick = dynamicChoice(Float32Array.of(1, 3, 2, 0), Int32Array.of(5, 6, 7, 8), Int32Array.of(9), 2);
 * deepStrictEqual([...pick], [1, 2]);
 * ```
 */
export function dynamicChoice(
  scores: Float32Array,
  columns: Int32Array,
  target: Int32Array,
  candidates: number,
): Int32Array {
  const B = target.length, C = columns.length, n = C / candidates;
  if (!Number.isInteger(n)) {
    throw new RangeError(`dynamicChoice: ${C} columns are not groups of ${candidates}`);
  }
  const pick = new Int32Array(B * n);
  for (let b = 0; b < B; b++) {
    const row = b * C;
    for (let j = 0; j < n; j++) {
      let best = j * candidates, bestScore = -Infinity;
      for (let m = 0; m < candidates; m++) {
        const c = j * candidates + m;
        if (columns[c] === target[b]) continue;
        if (scores[row + c] > bestScore) {
          bestScore = scores[row + c];
          best = c;
        }
      }
      pick[b * n + j] = best;
    }
  }
  return pick;
}

/** REMI's Figure 1a reference: every item a negative. */
class FullSoftmax implements NegativeStrategy {
  readonly name = "full";
  readonly #all: Int32Array;

  constructor(numItems: number) {
    this.#all = Int32Array.from({ length: numItems }, (_, i) => i);
  }

  columns(_batch: SequenceBatch): Int32Array {
    return this.#all;
  }

  choose(_scored: ScoredBatch): undefined {
    return undefined;
  }

  logQ(): undefined {
    return undefined;
  }

  state(): SamplerState {
    return {};
  }

  restore(_state: SamplerState): void {}
}

/** The negative logits of a batch and the loss options that go with them. */
export interface NegativeLogits {
  /** `[B, n]`. */
  negative: Tensor;
  /** Accidental hits and log-q correction for `Tape.sampledSoftmax`. */
  options: SampledSoftmaxOptions;
}

/**
 * Draws a batch's negatives, scores them against the read-out interests on
 * the tape, and gives what the sampled softmax needs: each row's negative
 * logits, its accidental hits (a negative equal to the row's target is
 * masked) and the log-q correction when the sampler has one.
 *
 * @param strategy The sampler.
 * @param inputs The tape, the batch, the read-out interests `[B, d]`, the
 *   positive logits `[B]` and the model's training-time item embedding.
 * @returns Negative logits and loss options.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { splitSequential } from "../../data/split.ts";
 * import { generateSynthetic } from "../../data/synthetic.ts";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
 * import { SEQUENTIAL_DEFAULTS } from "./config.ts";
 * import { createNegativeStrategy, negativeLogits } from "./negatives.ts";
 * import { SequenceSampler } from "./sampler.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 60, numItems: 50 }), { seed: 1 });
 * const config = { ...SEQUENTIAL_DEFAULTS, sampler: "dns" as const, batchSize: 4, dim: 2 };
 * const s = createNegativeStrategy("m", config, split.train, new Rng(1));
 * const batch = new SequenceSampler(split.train, 5, new Rng(2)).next(4);
 * const table = new EmbeddingTable(new Float32Array(100).fill(0.1), 50, 2);
 * const tape = new Tape(new TypeScriptBackend());
 * const user = new Tensor(new Float32Array(8).fill(1), [4, 2]);
 * const positive = new Tensor(new Float32Array(4), [4]);
 * const r = negativeLogits(s, { tape, batch, user, positive, dim: 2, embed: (t, ids) => t.gather(table, ids) });
 * ok(r.negative.shape[1] === 40);
 * ```
 */
export function negativeLogits(
  strategy: NegativeStrategy,
  inputs: {
    tape: Tape;
    batch: SequenceBatch;
    user: Tensor;
    positive: Tensor;
    dim: number;
    embed: (tape: Tape, ids: Int32Array) => Tensor;
    /** Scores `[B, C]` of the candidates' embeddings `[C, d]`; `user` against each by default (UMI's harder negatives: the closest interest). */
    score?: (tape: Tape, candidates: Tensor, count: number) => Tensor;
  },
): NegativeLogits {
  const { tape, batch, user, dim: d } = inputs;
  const B = batch.size;
  const columns = strategy.columns(batch);
  const C = columns.length;
  const candidates = inputs.embed(tape, columns);
  const all = inputs.score
    ? inputs.score(tape, candidates, C)
    : tape.matmul(user, candidates, B, d, C, { transB: true });
  const pick = strategy.choose({
    batch,
    columns,
    scores: all.data,
    positive: inputs.positive.data,
    user: user.data,
    dim: d,
    vectors: (ids) => inputs.embed(new Tape(tape.backend, { record: false }), ids).data,
  });
  const options: SampledSoftmaxOptions = {};
  let negative = all;
  if (pick) {
    negative = selectColumns(tape, all, pick, { batch: B, columns: C });
    const n = pick.length / B;
    const hits = new Uint8Array(B * n);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < n; j++) {
        if (columns[pick[b * n + j]] === batch.target[b]) hits[b * n + j] = 1;
      }
    }
    options.accidentalHits = hits;
  } else {
    const hits = new Uint8Array(B * C);
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < C; j++) if (columns[j] === batch.target[b]) hits[b * C + j] = 1;
    }
    options.accidentalHits = hits;
    const q = strategy.logQ(batch, columns);
    if (q) {
      options.logQPositive = q.positive;
      options.logQNegative = q.negative;
    }
  }
  return { negative, options };
}
