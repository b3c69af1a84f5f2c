/**
 * The training loop shared by the `cf` family (BPR-MF, LightGCN, mifair, IDSF,
 * EfficientRec): batches from {@linkcode BprSampler} (the config's
 * `sampler`), Adam (dense, or lazy rows for embedding tables: the config's
 * `optimizer`), early stopping on the runner's validation Recall@50
 * with the best parameters kept, as the sequential family does; scoring by
 * inner product of a user vector with every item vector.
 *
 * A model implements `init` (its parameters), `batchLoss` (one batch's
 * scalar loss on the tape) and `scoringVectors` (the vectors scored, computed
 * once after training and cached).
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { Adam } from "../engine/adam.ts";
import { trainWithEarlyStopping } from "../engine/early_stopping.ts";
import {
  stateArray,
  stateList,
  stateRecord,
  Streams,
  type TrainingState,
} from "../engine/checkpoint.ts";
import { type Backend, TypeScriptBackend } from "../engine/backend.ts";
import { Tape } from "../engine/tape.ts";
import type { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { userTableGraph } from "../export/encoders.ts";
import type {
  Embeddings,
  FitContext,
  Model,
  Query,
  TrainingBudget,
  TrainingData,
  TrainingReport,
} from "../types.ts";
import type { GraphCfConfig } from "./config.ts";
import { type BprBatch, BprSampler } from "./sampler.ts";

/** The budget used when the runner gives none (the sequential family's). */
export const GRAPH_DEFAULT_BUDGET: Readonly<TrainingBudget> = {
  maxIterations: 1000,
  evalEvery: 250,
  patience: 3,
};

/** What `embeddings` returns: one vector per user and per item. */
export interface ScoringVectors {
  /** `[numUsers, interests, width]`. */
  users: Float32Array;
  /** `[numItems, width]`. */
  items: Float32Array;
  /** Vector width. */
  width: number;
}

/**
 * Normal(0, std²) values (LightGCN's code initialises embeddings with std 0.1).
 *
 * @param rng The `init` stream.
 * @param count How many values.
 * @param std Standard deviation.
 * @returns The values.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "../../data/rng.ts";
 * import { normalInit } from "./base.ts";
 * ok(normalInit(new Rng(1), 8, 0.1).length === 8);
 * ```
 */
export function normalInit(rng: Rng, count: number, std: number): Float32Array {
  return Float32Array.from({ length: count }, () => std * rng.normal());
}

/** The shared part of every `cf`-family model. */
export abstract class GraphCfModel<C extends GraphCfConfig = GraphCfConfig> implements Model {
  /** Score rows per user (K for a multi-interest model; set in its constructor). */
  protected rowsPerUser = 1;
  /** Embedding tables (lazy Adam rows). */
  protected tables: EmbeddingTable[] = [];
  /** Dense parameters. */
  protected dense: Tensor[] = [];
  /** The training data of the last `fit`. */
  protected data!: TrainingData;
  #backend: Backend = new TypeScriptBackend();
  #report: TrainingReport | undefined;
  #cache: ScoringVectors | undefined;
  /** Extra diagnostics a model adds to its training report. */
  protected diagnostics: Record<string, number> = {};

  /** @param config The model's config. */
  constructor(readonly config: C) {}

  /** Score rows per query: 1, or K for a multi-interest model. */
  get interests(): number {
    return this.rowsPerUser;
  }

  /**
   * Creates the model's parameters into `tables` and `dense`.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected abstract init(data: TrainingData, rng: Rng): void;

  /**
   * One batch's scalar loss.
   *
   * @param tape The tape.
   * @param batch BPR triples.
   * @param rng The `sampling` stream (for models drawing more than the triples).
   * @returns A scalar tensor.
   */
  protected abstract batchLoss(tape: Tape, batch: BprBatch, rng: Rng): Tensor;

  /**
   * The vectors scored after training.
   *
   * @returns User and item vectors.
   */
  protected abstract scoringVectors(): ScoringVectors;

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
    this.#backend = context.backend ?? new TypeScriptBackend();
    this.data = data;
    this.tables = [];
    this.dense = [];
    this.diagnostics = {};
    this.#cache = undefined;
    // Every seeded stream of the run, saved and restored together by checkpoints.
    const streams = new Streams((label) => context.rng(label));
    this.init(data, streams.get("init"));
    const budget = context.budget ?? GRAPH_DEFAULT_BUDGET;
    const sampling = streams.get("sampling");
    const sampler = new BprSampler(data, streams.get("batch-order"), {
      sampling: this.config.sampler,
    });
    // "adam" is dense Adam (PyTorch's optim.Adam over nn.Embedding): rows the
    // batch did not touch still see their moments decay and keep moving.
    const adam = new Adam(this.dense, this.tables, {
      lr: this.config.lr,
      tables: this.config.optimizer === "adam" ? "dense" : "lazy",
    });
    const step = () => {
      const batch = sampler.next(this.config.batchSize);
      const tape = new Tape(this.#backend);
      const loss = this.batchLoss(tape, batch, sampling);
      tape.backward(loss);
      adam.step();
      this.#cache = undefined;
      return loss.data[0];
    };
    const report = trainWithEarlyStopping(
      {
        step,
        snapshot: () => this.#snapshot(),
        restore: (copy) => this.#restore(copy),
        progressNote: () => `epoch ${sampler.epochs}`,
        checkpointState: () => ({
          parameters: this.#snapshot(),
          adam: adam.checkpointState(),
          streams: streams.checkpointState(),
          sampler: sampler.checkpointState(),
          model: this.checkpointState(),
        }),
        restoreState: (s) => {
          const sizes = [
            ...this.tables.map((t) => t.data.length),
            ...this.dense.map((t) => t.size),
          ];
          const parameters = stateList(s.parameters, "parameters", sizes.length);
          this.#restore(
            parameters.map((p, i) => stateArray(p, Float32Array, `parameter ${i}`, sizes[i])),
          );
          adam.restoreState(stateRecord(s.adam, "adam"));
          streams.restoreState(stateRecord(s.streams, "streams"));
          sampler.restoreState(stateRecord(s.sampler, "sampler"));
          this.restoreState(stateRecord(s.model, "model"));
        },
      },
      context,
      budget,
    );
    this.#report = {
      ...report,
      diagnostics: { epochs: sampler.epochsDrawn },
    };
  }

  /**
   * State a model carries across training steps besides its parameters and
   * the streams of the fit context, for checkpoints; none by default.
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

  #snapshot(): Float32Array[] {
    return [...this.tables.map((t) => t.data.slice()), ...this.dense.map((t) => t.data.slice())];
  }

  #restore(s: Float32Array[]): void {
    this.tables.forEach((t, i) => t.data.set(s[i]));
    this.dense.forEach((t, i) => t.data.set(s[this.tables.length + i]));
    this.#cache = undefined;
  }

  /**
   * The cached scoring vectors (computed on first use after training).
   *
   * @returns The vectors.
   */
  protected vectors(): ScoringVectors {
    return this.#cache ??= this.scoringVectors();
  }

  /**
   * Scores every item by inner product with each of the query user's vectors.
   *
   * @param queries Queries (`cf`: known users).
   * @param out `[Q, interests, numItems]`.
   */
  score(queries: readonly Query[], out: Float32Array): void {
    const { users, items, dim } = this.embedQueries(queries);
    const n = items.length / dim;
    out.set(this.#backend.gemm(users, items, queries.length * this.rowsPerUser, dim, n, {
      transB: true,
    }));
  }

  /**
   * The query users' rows of the user vectors and the item vectors (what
   * `score` multiplies), for the shared retrieval path. A model scoring
   * otherwise than `users[query.user] . items` must override this and
   * `exportEncoder` (or `score`, `embedQueries` and `exportEncoder` together).
   *
   * @param queries Queries (`cf`: known users).
   * @returns `users [Q, interests, width]`, `items [numItems, width]`.
   */
  embedQueries(queries: readonly Query[]): Embeddings {
    const { users, items, width } = this.vectors();
    const row = this.rowsPerUser * width;
    const q = new Float32Array(queries.length * row);
    queries.forEach((query, r) =>
      q.set(users.subarray(query.user * row, (query.user + 1) * row), r * row)
    );
    return { users: q, items, dim: width };
  }

  /**
   * The trained user table and item table as an ONNX graph (the `"cf"`
   * protocol of `docs/onnx-contract.md`: input `user`, the dense user index).
   *
   * @returns The graph, or undefined for a model scoring otherwise.
   */
  exportEncoder(): GraphSpec | undefined {
    if (!this.data) throw new RangeError("Cannot export an untrained model: call fit() first");
    const { users, items, width } = this.vectors();
    return userTableGraph(
      { users, items },
      { maxlen: 0, interests: this.rowsPerUser, dim: width },
      this.constructor.name.toLowerCase(),
    );
  }

  /**
   * Learned parameters.
   *
   * @returns The count.
   */
  parameterCount(): number {
    return this.tables.reduce((s, t) => s + t.data.length, 0) +
      this.dense.reduce((s, t) => s + t.size, 0);
  }

  /**
   * Training details.
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
    return { ...r, diagnostics: { ...r.diagnostics, ...this.diagnostics } };
  }
}
