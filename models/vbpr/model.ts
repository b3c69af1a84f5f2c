/**
 * VBPR (He and McAuley, AAAI 2016) on the `cf` family's BPR loop. The
 * paper's predictor (its Eq. 1 with Eq. 2's visual factor and Eq. 7's
 * visual bias; `alpha + beta_u` drop out of every BPR difference and every
 * ranking):
 *
 *     x_ui = beta_i + gamma_u . gamma_i + theta_u . (E f_i) + beta' . f_i
 *
 * `f_i` is the item's modalities side by side (`models/_graph/features.ts`),
 * `E` a learned `[F, K']` projection, `beta'` a learned `[F]` visual bias.
 * Training is BPR (Eq. 5) with L2 on the batch's rows. Scoring writes the
 * predictor as one inner product: user `[gamma_u, theta_u, 1]` against item
 * `[gamma_i, E f_i, beta_i + beta' . f_i]`, so the shared retrieval and the
 * ONNX export of the two tables give the same ranking.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { GraphCfModel, normalInit, type ScoringVectors } from "../_graph/base.ts";
import { bprLoss, l2Penalty } from "../_graph/bpr.ts";
import { concatFeatures, itemFeatureMatrices } from "../_graph/features.ts";
import { takeRows } from "../_graph/propagate.ts";
import type { BprBatch } from "../_graph/sampler.ts";
import type { TrainingData } from "../types.ts";
import type { VbprConfig } from "./config.ts";

/**
 * VBPR.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Vbpr } from "./model.ts";
 * import { VBPR_DEFAULTS } from "./config.ts";
 * ok(new Vbpr(VBPR_DEFAULTS).config.visualDim === 64);
 * ```
 */
export class Vbpr extends GraphCfModel<VbprConfig> {
  #gammaU!: EmbeddingTable;
  #thetaU!: EmbeddingTable;
  #gammaI!: EmbeddingTable;
  #betaI!: EmbeddingTable;
  #e!: Tensor;
  #betaV!: Tensor;
  #features!: Tensor;
  #width = 0;

  /**
   * Latent and visual factors, item biases, `E`, `beta'` and the feature matrix.
   *
   * @param data Training data.
   * @param rng The `init` stream.
   */
  protected init(data: TrainingData, rng: Rng): void {
    const { dim: d, visualDim: v, initStd: std } = this.config;
    const U = data.numUsers, N = data.numItems;
    const table = (rows: number, w: number) =>
      new EmbeddingTable(normalInit(rng, rows * w, std), rows, w);
    this.#gammaU = table(U, d);
    this.#thetaU = table(U, v);
    this.#gammaI = table(N, d);
    this.#betaI = table(N, 1);
    const matrices = itemFeatureMatrices(data.itemFeatures, N);
    const { values, width } = concatFeatures(matrices, N);
    this.#width = width;
    this.#features = new Tensor(values, [N, width]);
    this.#e = new Tensor(normalInit(rng, width * v, std), [width, v], true);
    this.#betaV = new Tensor(normalInit(rng, width, std), [width, 1], true);
    this.tables = [this.#gammaU, this.#thetaU, this.#gammaI, this.#betaI];
    this.dense = width > 0 ? [this.#e, this.#betaV] : [];
    this.diagnostics = { featureWidth: width, modalities: matrices.length };
  }

  /** `x_ui` for the batch's users against `items`, and the rows to regularise. */
  #scores(tape: Tape, gu: Tensor, tu: Tensor, items: Int32Array): Tensor[] {
    const B = items.length, v = this.config.visualDim;
    const gi = tape.gather(this.#gammaI, items), bi = tape.gather(this.#betaI, items);
    let x = tape.add(tape.rowDot(gu, gi, B), bi);
    if (this.#width > 0) {
      const f = takeRows(tape, this.#features, items);
      const visual = tape.matmul(f, this.#e, B, this.#width, v);
      x = tape.add(x, tape.rowDot(tu, visual, B));
      x = tape.add(x, tape.matmul(f, this.#betaV, B, this.#width, 1));
    }
    return [x, gi, bi];
  }

  /**
   * BPR on `x_ui - x_uj` plus L2 on the batch's rows.
   *
   * @param tape The tape.
   * @param batch Triples.
   * @returns The loss.
   */
  protected batchLoss(tape: Tape, batch: BprBatch): Tensor {
    const gu = tape.gather(this.#gammaU, batch.users);
    const tu = tape.gather(this.#thetaU, batch.users);
    const [pos, gp, bp] = this.#scores(tape, gu, tu, batch.positives);
    const [neg, gn, bn] = this.#scores(tape, gu, tu, batch.negatives);
    return tape.addScalars(
      bprLoss(tape, pos, neg),
      l2Penalty(tape, [gu, tu, gp, gn, bp, bn], this.config.l2, batch.size),
    );
  }

  /**
   * `[gamma_u, theta_u, 1]` per user, `[gamma_i, E f_i, beta_i + beta' f_i]` per item.
   *
   * @returns The vectors.
   */
  protected scoringVectors(): ScoringVectors {
    const { dim: d, visualDim: v } = this.config;
    const U = this.data.numUsers, N = this.data.numItems, w = d + v + 1, F = this.#width;
    const users = new Float32Array(U * w), items = new Float32Array(N * w);
    for (let u = 0; u < U; u++) {
      users.set(this.#gammaU.data.subarray(u * d, (u + 1) * d), u * w);
      users.set(this.#thetaU.data.subarray(u * v, (u + 1) * v), u * w + d);
      users[u * w + d + v] = 1;
    }
    const visual = F > 0
      ? this.backend.gemm(this.#features.data, this.#e.data, N, F, v)
      : new Float32Array(N * v);
    const bias = F > 0
      ? this.backend.gemm(this.#features.data, this.#betaV.data, N, F, 1)
      : new Float32Array(N);
    for (let i = 0; i < N; i++) {
      items.set(this.#gammaI.data.subarray(i * d, (i + 1) * d), i * w);
      items.set(visual.subarray(i * v, (i + 1) * v), i * w + d);
      items[i * w + d + v] = this.#betaI.data[i] + bias[i];
    }
    return { users, items, width: w };
  }
}
