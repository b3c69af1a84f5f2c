/**
 * SRNS (Ding et al., "Simplify and Robustify Negative Sampling for Implicit
 * Collaborative Filtering", NeurIPS 2020) as a sampler of the family's
 * sampled softmax.
 *
 * The paper's method, with the values of the authors' run script
 * (`SRNS_real/run.sh` in github.com/dingjingtao/SRNS: S1 8, S2 = 8 x S1,
 * alpha 5, warm-up 50 epochs, tau 10; scores kept for 5 epochs):
 *
 * - Memory: each user `u` keeps `S1` candidate negatives `M_u`.
 * - Likelihood of a candidate `k` against the row's positive `i` (the
 *   paper's "P_pos"): `P_pos(k | u, i) = sigmoid(r_uk - r_ui)`, `r` the
 *   model's scores.
 * - Sampling rule (score plus robustness): the negative is
 *   `argmax_{k in M_u} P_pos(k | u, i) + alpha_t * std[P_pos(k | u, i)]`,
 *   std over the values recorded at the user's last 5 visits,
 *   `alpha_t = alpha * min(t / T_warmup, 1)`.
 * - Score-based memory update: `M_u` plus `S2` freshly drawn items; `S1` of
 *   them are kept, drawn without replacement with probability proportional
 *   to `exp(r_uk / tau)` (hard candidates stay, easy ones leave).
 *
 * The equation numbers of the paper are not given here: its full text is not
 * in this project's reference folder, and the rules above were checked
 * against the authors' code (`SRNS_real/SRNS_main.py`, `training_batch`).
 *
 * Adaptations to the sequential family (each in the package README):
 * - The paper trains BPR with one negative per positive; here the row's SRNS
 *   negative joins `N - 1` shared draws of the `negatives` distribution in
 *   the sampled softmax (so a row has `N` negatives, as with `uniform`).
 * - "Epoch" is a visit of the user: the training sampler draws users with
 *   replacement, so a user's visits play the role of the paper's epochs (the
 *   warm-up counts them, the std covers the last 5); a candidate's history
 *   starts when it enters the memory (the authors score a fixed candidate
 *   set of 3,000 items per user at every epoch's end instead).
 * - Only the row's own target is excluded from the choice (the authors'
 *   candidates exclude every training item of the user); a user appearing
 *   twice in a batch updates its memory once, at its first row, as theirs.
 *
 * @module
 */
import type { NegativeSampler, SequenceBatch } from "./sampler.ts";
import type { NegativeStrategy, SamplerState, ScoredBatch } from "./negatives.ts";
import type { TrainingData } from "../types.ts";

/** Visits over which a candidate's score deviation is measured (the paper's 5 epochs). */
export const SRNS_WINDOW = 5;

/** SRNS settings. */
export interface SrnsOptions {
  /** Shared negatives drawn per batch beside each row's SRNS negative. */
  shared: number;
  /** S1: memory per user. */
  memory: number;
  /** S2: fresh items per visit for the memory update. */
  fresh: number;
  /** alpha: weight of the deviation. */
  alpha: number;
  /** Visits before alpha is reached. */
  warmup: number;
  /** tau of the memory update. */
  temperature: number;
}

/**
 * The SRNS sampler: columns are the batch's shared draws followed by each
 * row's memory (`S1` columns per row); each row's negatives are the shared
 * columns and its SRNS choice.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { splitSequential } from "../../data/split.ts";
 * import { generateSynthetic } from "../../data/synthetic.ts";
 * import { NegativeSampler, SequenceSampler } from "./sampler.ts";
 * import { SrnsSampler } from "./srns.ts";
 * const split = splitSequential(generateSynthetic({ numUsers: 60, numItems: 50 }), { seed: 1 });
 * const s = new SrnsSampler(new NegativeSampler(50, "uniform", new Rng(1)), split.train, {
 *   shared: 3, memory: 4, fresh: 8, alpha: 5, warmup: 50, temperature: 10,
 * });
 * const batch = new SequenceSampler(split.train, 5, new Rng(2)).next(2);
 * ok(s.columns(batch).length === 3 + 2 * 4);
 * ```
 */
export class SrnsSampler implements NegativeStrategy {
  readonly name = "srns";
  #memory: Int32Array;
  #ready: Int32Array;
  #history: Float32Array;
  #recorded: Int32Array;
  #visits: Int32Array;

  /**
   * @param draw Draws items (the `sampling` stream).
   * @param data Training data (its user count sizes the memory).
   * @param options Settings.
   */
  constructor(readonly draw: NegativeSampler, data: TrainingData, readonly options: SrnsOptions) {
    const U = data.numUsers, S1 = options.memory;
    if (S1 + options.fresh > draw.numItems) {
      throw new RangeError(
        `SRNS: memory ${S1} plus ${options.fresh} fresh candidates exceed the ${draw.numItems} items`,
      );
    }
    this.#memory = new Int32Array(U * S1);
    this.#ready = new Int32Array(U);
    this.#history = new Float32Array(U * S1 * SRNS_WINDOW);
    this.#recorded = new Int32Array(U * S1);
    this.#visits = new Int32Array(U);
  }

  columns(batch: SequenceBatch): Int32Array {
    const S1 = this.options.memory, shared = this.options.shared;
    const out = new Int32Array(shared + batch.size * S1);
    out.set(this.draw.sample(shared));
    for (let b = 0; b < batch.size; b++) {
      const u = batch.user[b];
      if (!this.#ready[u]) {
        this.#memory.set(this.#distinct(S1, []), u * S1);
        this.#ready[u] = 1;
      }
      out.set(this.#memory.subarray(u * S1, (u + 1) * S1), shared + b * S1);
    }
    return out;
  }

  choose(scored: ScoredBatch): Int32Array {
    const { batch, columns, scores, positive } = scored;
    const { memory: S1, shared, alpha, warmup } = this.options;
    const B = batch.size, C = columns.length, n = shared + 1;
    const pick = new Int32Array(B * n);
    const likelihood = new Float64Array(B * S1);
    for (let b = 0; b < B; b++) {
      const u = batch.user[b];
      for (let j = 0; j < shared; j++) pick[b * n + j] = j;
      const alphaT = alpha * Math.min(this.#visits[u] / warmup, 1);
      let best = shared + b * S1, bestValue = -Infinity;
      for (let s = 0; s < S1; s++) {
        const c = shared + b * S1 + s;
        // P_pos(k | u, i) = sigmoid(r_uk - r_ui)
        const p = 1 / (1 + Math.exp(positive[b] - scores[b * C + c]));
        likelihood[b * S1 + s] = p;
        if (columns[c] === batch.target[b]) continue;
        // The sampling rule: P_pos + alpha_t * std[P_pos] over the last visits.
        const value = p + alphaT * this.#deviation(u * S1 + s);
        if (value > bestValue) {
          bestValue = value;
          best = c;
        }
      }
      pick[b * n + shared] = best;
    }
    this.#update(scored, likelihood);
    return pick;
  }

  /** Records this visit's likelihoods and refreshes the memory of each user once. */
  #update(scored: ScoredBatch, likelihood: Float64Array): void {
    const { batch, columns, scores, user, dim: d } = scored;
    const { memory: S1, fresh: S2, shared, temperature } = this.options;
    const C = columns.length;
    const rows: number[] = [];
    const seen = new Set<number>();
    for (let b = 0; b < batch.size; b++) {
      if (!seen.has(batch.user[b])) {
        seen.add(batch.user[b]);
        rows.push(b);
      }
    }
    const fresh = new Int32Array(rows.length * S2);
    rows.forEach((b, r) => {
      const u = batch.user[b];
      fresh.set(this.#distinct(S2, this.#memory.subarray(u * S1, (u + 1) * S1)), r * S2);
    });
    const vectors = scored.vectors(fresh);
    const keptItems = new Int32Array(S1);
    const keptHistory = new Float32Array(S1 * SRNS_WINDOW);
    const keptRecorded = new Int32Array(S1);
    const logWeight = new Float64Array(S1 + S2);
    rows.forEach((b, r) => {
      const u = batch.user[b];
      for (let s = 0; s < S1; s++) {
        const slot = u * S1 + s;
        this.#history[slot * SRNS_WINDOW + (this.#recorded[slot] % SRNS_WINDOW)] =
          likelihood[b * S1 + s];
        this.#recorded[slot]++;
      }
      // Score-based memory update: keep S1 of M_u + fresh, drawn without
      // replacement with probability proportional to exp(r_uk / tau).
      const score = (k: number): number => {
        if (k < S1) return scores[b * C + shared + b * S1 + k];
        let s = 0;
        const v = (r * S2 + k - S1) * d;
        for (let j = 0; j < d; j++) s += user[b * d + j] * vectors[v + j];
        return s;
      };
      for (let k = 0; k < S1 + S2; k++) logWeight[k] = score(k) / temperature;
      const keep = gumbelTopK(logWeight, S1, () => this.draw.rng.float());
      keep.forEach((k, s) => {
        if (k < S1) {
          const slot = u * S1 + k;
          keptItems[s] = this.#memory[slot];
          keptHistory.set(
            this.#history.subarray(slot * SRNS_WINDOW, (slot + 1) * SRNS_WINDOW),
            s * SRNS_WINDOW,
          );
          keptRecorded[s] = this.#recorded[slot];
        } else {
          keptItems[s] = fresh[r * S2 + k - S1];
          keptHistory.fill(0, s * SRNS_WINDOW, (s + 1) * SRNS_WINDOW);
          keptRecorded[s] = 0;
        }
      });
      this.#memory.set(keptItems, u * S1);
      this.#history.set(keptHistory, u * S1 * SRNS_WINDOW);
      this.#recorded.set(keptRecorded, u * S1);
      this.#visits[u]++;
    });
  }

  /** Population standard deviation of a slot's recorded likelihoods (0 below two). */
  #deviation(slot: number): number {
    const count = Math.min(this.#recorded[slot], SRNS_WINDOW);
    if (count < 2) return 0;
    const h = this.#history, base = slot * SRNS_WINDOW;
    let mean = 0;
    for (let i = 0; i < count; i++) mean += h[base + i];
    mean /= count;
    let v = 0;
    for (let i = 0; i < count; i++) v += (h[base + i] - mean) ** 2;
    return Math.sqrt(v / count);
  }

  /** `count` distinct draws, none in `exclude` (redrawn at most 32 times each). */
  #distinct(count: number, exclude: ArrayLike<number>): Int32Array {
    const out = new Int32Array(count);
    const taken = new Set<number>();
    for (let i = 0; i < exclude.length; i++) taken.add(exclude[i]);
    for (let i = 0; i < count; i++) {
      let item = this.draw.one();
      for (let t = 0; t < 32 && taken.has(item); t++) item = this.draw.one();
      taken.add(item);
      out[i] = item;
    }
    return out;
  }

  logQ(): undefined {
    return undefined;
  }

  state(): SamplerState {
    return {
      memory: this.#memory.slice(),
      ready: this.#ready.slice(),
      history: this.#history.slice(),
      recorded: this.#recorded.slice(),
      visits: this.#visits.slice(),
    };
  }

  restore(state: SamplerState): void {
    const take = <T extends Int32Array | Float32Array>(key: string, like: T): T => {
      const v = state[key];
      if (!(v instanceof like.constructor) || (v as T).length !== like.length) {
        throw new TypeError(
          `SRNS state "${key}" must be a ${like.constructor.name} of ${like.length} values`,
        );
      }
      return (v as T).slice() as T;
    };
    this.#memory = take("memory", this.#memory);
    this.#ready = take("ready", this.#ready);
    this.#history = take("history", this.#history);
    this.#recorded = take("recorded", this.#recorded);
    this.#visits = take("visits", this.#visits);
  }

  /**
   * The memory of a user (for tests and diagnostics).
   *
   * @param user User index.
   * @returns A copy of its `S1` items (zeros before its first visit).
   */
  memoryOf(user: number): Int32Array {
    const S1 = this.options.memory;
    return this.#memory.slice(user * S1, (user + 1) * S1);
  }
}

/**
 * Draws `count` distinct indices without replacement, each draw with
 * probability proportional to `exp(logWeight)` among those not yet drawn,
 * by the Gumbel-top-k trick (the `count` largest `logWeight + Gumbel`),
 * which needs no exponential and so cannot underflow.
 *
 * @param logWeight Log-weights (`-Infinity` = never drawn).
 * @param count How many.
 * @param uniform Draws a float in [0, 1).
 * @returns Indices, largest key first.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { gumbelTopK } from "./srns.ts";
 * deepStrictEqual(gumbelTopK(Float64Array.of(-Infinity, 0, -Infinity), 1, () => 0.5), [1]);
 * ```
 */
export function gumbelTopK(
  logWeight: Float64Array,
  count: number,
  uniform: () => number,
): number[] {
  const key = new Float64Array(logWeight.length);
  let finite = 0;
  for (let k = 0; k < key.length; k++) {
    // Gumbel(0, 1) = -log(-log U), U in (0, 1).
    const u = Math.min(Math.max(uniform(), 1e-300), 1 - 1e-16);
    key[k] = logWeight[k] - Math.log(-Math.log(u));
    if (key[k] > -Infinity) finite++;
  }
  if (finite < count) {
    throw new RangeError(`gumbelTopK: ${count} draws asked, only ${finite} finite weights`);
  }
  // The `count` largest keys by repeated selection (ties: the lower index first).
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    let best = -1;
    for (let k = 0; k < key.length; k++) {
      if (key[k] > -Infinity && (best < 0 || key[k] > key[best])) best = k;
    }
    out.push(best);
    key[best] = -Infinity;
  }
  return out;
}
