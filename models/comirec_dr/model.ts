/**
 * ComiRec-DR (Cen et al., KDD 2020): capsule dynamic routing with one
 * prediction matrix per interest (`u_kl = W_k h_l`, all W_k in one `d x Kd`
 * map without bias), routing logits starting at zero, 3 rounds.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, glorot, SequentialModel } from "../_sequential/base.ts";
import { routingCoefficients } from "../_sequential/capsule.ts";
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { capsuleGraph, type EncoderShape } from "../export/encoders.ts";

/**
 * The ComiRec-DR encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ComiRecDR } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * ok(new ComiRecDR({ ...SEQUENTIAL_DEFAULTS }).interests === 4);
 * ```
 */
export class ComiRecDR extends SequentialModel {
  #w!: Tensor;
  /** Routing rounds. */
  protected readonly rounds = 3;

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests;
    this.#w = new Tensor(glorot(rng, d, K * d, d * K * d), [d, K * d], true);
    this.dense.push(this.#w);
  }

  /**
   * Capsules from predictions `u [B, L, K*d]`, shared by DR and MIND.
   *
   * @param tape The tape.
   * @param u Predictions.
   * @param mask History mask.
   * @param batch B.
   * @param randomInit MIND's random initial logits, or none.
   * @returns Interests and routing coefficients.
   */
  protected route(
    tape: Tape,
    u: Tensor,
    mask: Uint8Array,
    batch: number,
    randomInit?: Rng,
  ): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const uk = tape.transpose(u, batch, L, K, d); // [B, K, L, d]
    const c = routingCoefficients(uk.data, mask, { B: batch, K, L, d }, {
      iterations: this.rounds,
      ...(randomInit ? { randomInit } : {}),
    });
    const routing = tape.constant(c, [batch, K, L]);
    const z = tape.bmm(routing, uk, batch * K, 1, L, d); // [B*K, 1, d]
    return { interests: tape.squash(z, batch * K), routing };
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return capsuleGraph({ items, w: this.#w.data }, shape, { rounds: this.rounds });
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const x = this.embed(tape, history);
    const u = tape.matmul(x, this.#w, batch * L, d, K * d);
    return this.route(tape, u, mask, batch);
  }
}
