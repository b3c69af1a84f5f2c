/**
 * The training loop shared by the sequential family: ComiRec's sampler,
 * sampled softmax over one set of shared negatives with the hard (argmax)
 * interest readout, optional REMI terms, Adam (dense by default, as the
 * reference code; lazy rows for the item table as an option), early stopping
 * on validation Recall@50 (computed by the runner's shared ranking path), and
 * scoring by inner product with the item table. A non-finite loss or gradient
 * stops training with a {@linkcode NonFiniteError}.
 *
 * A model of the family implements `init` (its parameters) and `encode`
 * (history -> K interest vectors, plus its routing weights if it has them).
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Adam, NonFiniteError, THREADED_TABLE_VALUES } from "../engine/adam.ts";
import { trainWithEarlyStopping } from "../engine/early_stopping.ts";
import {
  partState,
  restorePart,
  stateArray,
  stateList,
  stateRecord,
  Streams,
  type TrainingState,
} from "../engine/checkpoint.ts";
import { type Backend, TypeScriptBackend } from "../engine/backend.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { Tape } from "../engine/tape.ts";
import { RowPool, shareFloats } from "../_graph/row_pool.ts";
import type { EncoderShape } from "../export/encoders.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import type {
  Embeddings,
  FitContext,
  Model,
  Query,
  TrainingBudget,
  TrainingData,
  TrainingReport,
} from "../types.ts";
import type { SequentialConfig } from "./config.ts";
import { createNegativeStrategy, negativeLogits, type SamplerState } from "./negatives.ts";
import { queryHistories, SequenceSampler } from "./sampler.ts";
import { type AttentionParts, type BatchShape, familyRegularizers } from "./regularizers.ts";

/** What `encode` returns. */
export interface Encoded {
  /** Interest vectors `[B, K, d]`. */
  interests: Tensor;
  /** Routing weights `[B, K, L]` (for REMI's regulariser and collapse diagnostics). */
  routing?: Tensor;
  /** Attention-routed encoders: what Re4's re-attend and SINE's covariance terms read. */
  attention?: AttentionParts;
}

/** What `encode` may read beyond the history: the rows' users and the events' times. */
export interface EncodeContext {
  /** The user of each row `[B]` (UMI's profile). */
  users: Int32Array;
  /** Timestamps aligned with the history `[B, L]`, 0 at padding (PIMIRec's intervals). */
  times: Float64Array;
}

/** The budget used when the runner gives none. */
export const DEFAULT_BUDGET: Readonly<TrainingBudget> = {
  maxIterations: 1000,
  evalEvery: 250,
  patience: 3,
};

/**
 * Glorot-uniform values (TensorFlow's default initialiser, as in ComiRec).
 *
 * @param rng The `init` stream.
 * @param fanIn Input size.
 * @param fanOut Output size.
 * @param count How many values.
 * @returns The values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { glorot } from "./base.ts";
 * ok(glorot(new Rng(1), 4, 4, 16).every((v) => Math.abs(v) <= Math.sqrt(6 / 8)));
 * ```
 */
export function glorot(rng: Rng, fanIn: number, fanOut: number, count: number): Float32Array {
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  return Float32Array.from({ length: count }, () => (2 * rng.float() - 1) * limit);
}

/**
 * He (Kaiming) normal values in PyTorch's default mode (`kaiming_normal_`:
 * fan-in, gain sqrt(2)): N(0, 2 / fanIn). REMI's code draws every parameter
 * of its models this way; PyTorch's fan-in of a tensor is its second
 * dimension times the product of the later ones.
 *
 * @param rng The `init` stream.
 * @param fanIn Fan-in.
 * @param count How many values.
 * @returns The values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { heNormal } from "./base.ts";
 * const v = heNormal(new Rng(1), 64, 20000);
 * const sd = Math.sqrt(v.reduce((s, x) => s + x * x, 0) / v.length);
 * ok(Math.abs(sd - Math.sqrt(2 / 64)) < 0.005);
 * ```
 */
export function heNormal(rng: Rng, fanIn: number, count: number): Float32Array {
  const sd = Math.sqrt(2 / fanIn);
  return Float32Array.from({ length: count }, () => sd * rng.normal());
}

/**
 * Xavier (Glorot) normal values: N(0, 2 / (fanIn + fanOut)) (PyTorch's
 * `xavier_normal_`, used by REMI's GRU4Rec for its item table).
 *
 * @param rng The `init` stream.
 * @param fanIn Fan-in.
 * @param fanOut Fan-out.
 * @param count How many values.
 * @returns The values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { xavierNormal } from "./base.ts";
 * ok(xavierNormal(new Rng(1), 2, 2, 4).length === 4);
 * ```
 */
export function xavierNormal(rng: Rng, fanIn: number, fanOut: number, count: number): Float32Array {
  const sd = Math.sqrt(2 / (fanIn + fanOut));
  return Float32Array.from({ length: count }, () => sd * rng.normal());
}

/** How one parameter is initialised: the reference code's draw and recbench's earlier Glorot one. */
export interface ParameterInit {
  /** Values as the reference code draws them. */
  reference: (rng: Rng, count: number) => Float32Array;
  /** Glorot-uniform fans for `init: "glorot"`, or "zeros" (biases). */
  glorot: readonly [number, number] | "zeros";
}

/** The shared part of every sequential-family model. */
export abstract class SequentialModel implements Model {
  /** Interests K. */
  readonly interests: number;
  /** Item embeddings (also the softmax weights, as in ComiRec). */
  protected items!: EmbeddingTable;
  /** Dense parameters, registered by `init`. */
  protected dense: Tensor[] = [];
  /** History length used in training and scoring. */
  protected maxlen = 20;
  #backend: Backend = new TypeScriptBackend();
  #report: TrainingReport | undefined;
  #collapse: { maxWeight: number; entropy: number; rows: number } | undefined;

  /** @param config The family config. */
  constructor(readonly config: SequentialConfig) {
    this.interests = config.interests;
  }

  /**
   * Creates a named dense parameter, initialised as `init` says for the
   * configured `init` mode, and registers it for training.
   *
   * @param name Its name (in messages).
   * @param shape Its shape.
   * @param rng The `init` stream.
   * @param init The reference and the Glorot initialisation.
   * @returns The parameter.
   */
  protected parameter(
    name: string,
    shape: readonly number[],
    rng: Rng,
    init: ParameterInit,
  ): Tensor {
    const count = shape.reduce((a, b) => a * b, 1);
    const values = this.config.init === "reference"
      ? init.reference(rng, count)
      : init.glorot === "zeros"
      ? new Float32Array(count)
      : glorot(rng, init.glorot[0], init.glorot[1], count);
    const t = new Tensor(values, shape, true);
    t.name = name;
    this.dense.push(t);
    return t;
  }

  /**
   * The item table's initial values as the reference code draws them: He
   * normal with fan-in d, N(0, 2/d) (REMI's `kaiming_normal_` on the
   * embedding weight, about 0.18 std at d = 64). GRU4Rec overrides this.
   *
   * @param numItems Rows.
   * @param rng The `init` stream.
   * @returns `[numItems, d]`.
   */
  protected referenceItemInit(numItems: number, rng: Rng): Float32Array {
    const d = this.config.dim;
    return heNormal(rng, d, numItems * d);
  }

  /**
   * Creates the model's parameters (the item table is made by the base).
   *
   * @param numItems Corpus size.
   * @param rng The `init` stream.
   */
  protected abstract init(numItems: number, rng: Rng): void;

  /**
   * Reads what the model needs from the training data before `init` (SimEmb's
   * co-occurrence counts); nothing by default.
   *
   * @param _data Training data.
   */
  protected prepare(_data: TrainingData): void {}

  /**
   * History -> interests.
   *
   * @param tape Records operations (or not, when scoring).
   * @param history Item ids `[B, L]`, -1 padding.
   * @param mask 1 where `history` holds an item.
   * @param batch B.
   * @param context The rows' users and the history's times (read by UMI and PIMIRec).
   * @returns Interests and routing weights.
   */
  protected abstract encode(
    tape: Tape,
    history: Int32Array,
    mask: Uint8Array,
    batch: number,
    context: EncodeContext,
  ): Encoded;

  /**
   * The negatives' logits `[B, N]` of the sampled softmax: by default the
   * readout interest (the one closest to the target) against every negative;
   * UMI's harder negatives score each negative with its own closest interest.
   *
   * @param tape The tape.
   * @param parts Interests `[B, K, d]`, the readout `[B, d]`, the negatives' embeddings `[N, d]`.
   * @param batch B.
   * @param count N.
   * @returns `[B, N]`.
   */
  protected negativeLogits(
    tape: Tape,
    parts: { interests: Tensor; readout: Tensor; negatives: Tensor },
    batch: number,
    count: number,
  ): Tensor {
    return tape.matmul(parts.readout, parts.negatives, batch, this.config.dim, count, {
      transB: true,
    });
  }

  /**
   * Training-time item embeddings of `ids` (SimEmb overrides this).
   *
   * @param tape The tape.
   * @param ids Item ids.
   * @returns `[ids.length, d]`.
   */
  protected embed(tape: Tape, ids: Int32Array): Tensor {
    return tape.gather(this.items, ids);
  }

  /**
   * The item vectors scored against interests (SimEmb overrides this).
   *
   * @returns `[numItems, d]`.
   */
  protected itemVectors(): Float32Array {
    return this.items.data;
  }

  /** The backend in use. */
  protected get backend(): Backend {
    return this.#backend;
  }

  /**
   * Trains with early stopping and keeps the best validated parameters.
   *
   * @param data Training data.
   * @param context Streams, backend, budget, validation.
   */
  fit(data: TrainingData, context: FitContext): void {
    const c = this.config, d = c.dim;
    this.#backend = context.backend ?? new TypeScriptBackend();
    this.maxlen = data.maxHistory > 0 ? data.maxHistory : 20;
    // Every seeded stream of the run, saved and restored together by checkpoints.
    const streams = new Streams((label) => context.rng(label));
    const init = streams.get("init");
    // Dense Adam updates a large item table on the run's threads (no bit depends on how many).
    const threaded = c.optimizer !== "lazy-adam" && (context.threads ?? 1) > 1 &&
      data.numItems * d >= THREADED_TABLE_VALUES;
    const pool = threaded ? new RowPool(context.threads ?? 1) : undefined;
    const values = c.init === "reference"
      ? this.referenceItemInit(data.numItems, init)
      : glorot(init, data.numItems, d, data.numItems * d);
    this.items = new EmbeddingTable(pool ? shareFloats(values) : values, data.numItems, d);
    this.items.name = "items";
    this.dense = [];
    this.prepare(data);
    this.init(data.numItems, init);
    const budget = context.budget ?? DEFAULT_BUDGET;
    const sampler = new SequenceSampler(data, this.maxlen, streams.get("batch-order"));
    const negatives = createNegativeStrategy(
      this.constructor.name,
      c,
      data,
      streams.get("sampling"),
    );
    const adam = new Adam(this.dense, [this.items], {
      lr: c.lr,
      tables: c.optimizer === "lazy-adam" ? "lazy" : "dense",
      pool,
    });
    const step = () => {
      const batch = sampler.next(c.batchSize);
      const tape = new Tape(this.#backend);
      const encoded = this.encode(tape, batch.history, batch.mask, batch.size, {
        users: batch.user,
        times: batch.times,
      });
      const { interests, routing } = encoded;
      const target = this.embed(tape, batch.target);
      const user = this.#readout(tape, interests, target, batch.size);
      const pos = tape.rowDot(user, target, batch.size);
      const { negative, options } = negativeLogits(negatives, {
        tape,
        batch,
        user,
        positive: pos,
        dim: d,
        embed: (t, ids) => this.embed(t, ids),
        score: (t, candidates, count) =>
          this.negativeLogits(
            t,
            { interests, readout: user, negatives: candidates },
            batch.size,
            count,
          ),
      });
      let loss = tape.sampledSoftmax(pos, negative, { ...options, beta: c.beta });
      if (c.lambda > 0 && routing) {
        loss = tape.addScalars(
          loss,
          tape.routingRegularizer(routing, batch.size, this.interests, this.maxlen, {
            lambda: c.lambda,
            dim: d,
          }),
        );
      }
      const shape = { batch: batch.size, interests: this.interests, maxlen: this.maxlen, dim: d };
      for (const term of this.regularizers(tape, encoded, batch.mask, shape)) {
        loss = tape.addScalars(loss, term);
      }
      if (!Number.isFinite(loss.data[0])) {
        throw new NonFiniteError("loss", adam.steps + 1, `value ${loss.data[0]}`);
      }
      tape.backward(loss);
      adam.step();
      return loss.data[0];
    };
    try {
      this.#report = trainWithEarlyStopping(
        {
          step,
          snapshot: () => this.#snapshot(),
          restore: (copy) => this.#restore(copy),
          checkpointState: () => ({
            parameters: this.#snapshot(),
            adam: adam.checkpointState(),
            streams: streams.checkpointState(),
            sampler: partState(sampler),
            negatives: negatives.state(),
            model: this.checkpointState(),
          }),
          restoreState: (s) => {
            const parameters = stateList(s.parameters, "parameters", 1 + this.dense.length);
            const sizes = [this.items.data.length, ...this.dense.map((t) => t.size)];
            this.#restore(
              parameters.map((p, i) => stateArray(p, Float32Array, `parameter ${i}`, sizes[i])),
            );
            adam.restoreState(stateRecord(s.adam, "adam"));
            streams.restoreState(stateRecord(s.streams, "streams"));
            restorePart(sampler, s.sampler);
            negatives.restore(stateRecord(s.negatives, "negatives") as SamplerState);
            this.restoreState(stateRecord(s.model, "model"));
          },
        },
        context,
        budget,
      );
    } finally {
      pool?.close();
    }
    this.#collapse = undefined;
  }

  /**
   * Terms added to a training step's loss beyond the sampled softmax and RR:
   * the family's optional SINE covariance and Re4 re-attend terms
   * (`regularizers.ts`); Re4 adds its other backward flows.
   *
   * @param tape The tape.
   * @param encoded What `encode` returned for the batch.
   * @param mask `[B, L]` history mask.
   * @param shape Sizes.
   * @returns Scalars to add.
   */
  protected regularizers(
    tape: Tape,
    encoded: Encoded,
    mask: Uint8Array,
    shape: BatchShape,
  ): Tensor[] {
    return familyRegularizers(tape, encoded, mask, shape, this.config);
  }

  /** Hard readout: the interest scoring highest against the target (no gradient through the choice). */
  #readout(tape: Tape, interests: Tensor, target: Tensor, batch: number): Tensor {
    const K = this.interests, d = this.config.dim;
    const pick = new Int32Array(batch);
    if (K > 1) {
      for (let b = 0; b < batch; b++) {
        let bestK = 0, bestScore = -Infinity;
        for (let k = 0; k < K; k++) {
          let s = 0;
          const base = (b * K + k) * d;
          for (let j = 0; j < d; j++) s += interests.data[base + j] * target.data[b * d + j];
          if (s > bestScore) {
            bestScore = s;
            bestK = k;
          }
        }
        pick[b] = bestK;
      }
    }
    return tape.pick(interests, batch, K, pick);
  }

  #snapshot(): Float32Array[] {
    return [this.items.data.slice(), ...this.dense.map((t) => t.data.slice())];
  }

  #restore(s: Float32Array[]): void {
    this.items.data.set(s[0]);
    this.dense.forEach((t, i) => t.data.set(s[i + 1]));
    this.afterRestore();
  }

  /**
   * State a model carries across training steps besides its parameters and
   * the streams of the fit context (a stream of its own, as MIND's routing),
   * for checkpoints; none by default.
   *
   * @returns Named values.
   */
  protected checkpointState(): TrainingState {
    return {};
  }

  /**
   * Puts back what `checkpointState` saved.
   *
   * @param _state The saved state.
   */
  protected restoreState(_state: TrainingState): void {}

  /** Called after parameters change outside training steps (SimEmb recomputes its table). */
  protected afterRestore(): void {}

  /**
   * Scores every item for each query and interest by inner product.
   *
   * @param queries Queries.
   * @param out `[Q, K, numItems]`.
   */
  score(queries: readonly Query[], out: Float32Array): void {
    const Q = queries.length, K = this.interests, d = this.config.dim;
    const { users, items } = this.embedQueries(queries);
    const n = items.length / d;
    out.set(this.#backend.gemm(users, items, Q * K, d, n, { transB: true }));
  }

  /**
   * The interest vectors of each query and the item vectors they are scored
   * against (what `score` multiplies), for the shared retrieval path.
   *
   * @param queries Queries.
   * @returns `users [Q, K, d]`, `items [numItems, d]`.
   */
  embedQueries(queries: readonly Query[]): Embeddings {
    const Q = queries.length;
    const { history, mask, users, times } = queryHistories(queries, this.maxlen);
    const tape = new Tape(this.#backend, { record: false });
    const { interests, routing } = this.encode(tape, history, mask, Q, { users, times });
    if (routing) this.#observeRouting(routing, mask, Q);
    return { users: interests.data, items: this.itemVectors(), dim: this.config.dim };
  }

  #observeRouting(routing: Tensor, mask: Uint8Array, batch: number): void {
    const K = this.interests, L = this.maxlen;
    const acc = this.#collapse ??= { maxWeight: 0, entropy: 0, rows: 0 };
    for (let b = 0; b < batch; b++) {
      let len = 0;
      for (let l = 0; l < L; l++) len += mask[b * L + l];
      if (len < 2) continue;
      for (let k = 0; k < K; k++) {
        let max = 0, h = 0;
        for (let l = 0; l < L; l++) {
          const w = routing.data[(b * K + k) * L + l];
          if (w > max) max = w;
          if (w > 0) h -= w * Math.log(w);
        }
        acc.maxWeight += max;
        acc.entropy += h / Math.log(len);
        acc.rows++;
      }
    }
  }

  /**
   * The trained encoder and item table as an ONNX graph (the contract of
   * `docs/onnx-contract.md`), or undefined for models without an export.
   *
   * @returns The graph.
   */
  exportEncoder(): GraphSpec | undefined {
    if (!this.items) throw new RangeError("Cannot export an untrained model: call fit() first");
    return this.encoderGraph(this.itemVectors(), {
      maxlen: this.maxlen,
      interests: this.interests,
      dim: this.config.dim,
    });
  }

  /**
   * Builds the encoder graph from the trained weights (`models/export/encoders.ts`).
   *
   * @param _items The item table scored against (also the input embeddings).
   * @param _shape History length, interests, dimension.
   * @returns The graph, or undefined when the model has no export.
   */
  protected encoderGraph(_items: Float32Array, _shape: EncoderShape): GraphSpec | undefined {
    return undefined;
  }

  /**
   * Inputs an exported graph needs beyond `history` and `mask` for the next
   * `batch` queries, drawn exactly as `encode` would draw them (MIND's
   * random routing logits); none by default.
   *
   * @param _batch Queries.
   * @returns Extra inputs by name.
   */
  encoderExtraInputs(_batch: number): Record<string, Float32Array> {
    return {};
  }

  /**
   * Learned parameters.
   *
   * @returns The count.
   */
  parameterCount(): number {
    return (this.items?.data.length ?? 0) + this.dense.reduce((s, t) => s + t.size, 0);
  }

  /**
   * Training details, with routing-collapse measures over everything scored so
   * far: the mean largest routing weight per interest (1 = an interest reads one
   * item) and the mean routing entropy normalised by log(history length)
   * (0 = collapsed onto one item, 1 = uniform).
   *
   * @returns The report.
   */
  trainingReport(): TrainingReport {
    const r = this.#report ?? {
      iterations: 0,
      bestIteration: 0,
      curve: [],
      secondsPer1000: 0,
      diagnostics: {},
    };
    const c = this.#collapse;
    return {
      ...r,
      diagnostics: c && c.rows > 0
        ? { routingMaxWeight: c.maxWeight / c.rows, routingEntropy: c.entropy / c.rows }
        : {},
    };
  }
}
