/**
 * ComiRec-DR (Cen et al., KDD 2020) as REMI's and ComiRec's code build it:
 * capsule dynamic routing where history position `l` has its own map
 * (`u_l = W_l h_l`, `W` of shape `[maxlen, K*d, d]`, no bias, random-normal
 * init), routing logits starting at zero, 3 rounds. The shared `d x K*d` map
 * recbench used before is kept as `capsuleMap: "shared"`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, heNormal, SequentialModel } from "../_sequential/base.ts";
import { routingCoefficients } from "../_sequential/capsule.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { capsuleGraph, type EncoderShape } from "../export/encoders.ts";
import type { CapsuleConfig, ComiRecDrConfig } from "./config.ts";

/**
 * The ComiRec-DR encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ComiRecDR } from "./model.ts";
 * import { COMIREC_DR_DEFAULTS } from "./config.ts";
 * ok(new ComiRecDR({ ...COMIREC_DR_DEFAULTS }).interests === 4);
 * ```
 */
export class ComiRecDR extends SequentialModel {
  #w!: Tensor;
  /** Routing rounds. */
  protected readonly rounds = 3;

  /** @param config The config. */
  constructor(override readonly config: CapsuleConfig) {
    super(config);
  }

  get #perPosition(): boolean {
    return (this.config as ComiRecDrConfig).capsuleMap !== "shared";
  }

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    // Stored [L, d, K*d] (x W_l), the transpose of the reference's [L, K*d, d];
    // PyTorch's fan-in of the reference's [1, L, K*d, d] is L * K*d * d.
    this.#w = this.#perPosition
      ? this.parameter("w", [L, d, K * d], rng, {
        reference: (r, n) => heNormal(r, L * K * d * d, n),
        glorot: [d, K * d],
      })
      : this.parameter("w", [d, K * d], rng, {
        reference: (r, n) => heNormal(r, d, n),
        glorot: [d, K * d],
      });
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
      softmax: this.config.routingSoftmax,
      ...(randomInit ? { randomInit } : {}),
    });
    const routing = tape.constant(c, [batch, K, L]);
    const z = tape.bmm(routing, uk, batch * K, 1, L, d); // [B*K, 1, d]
    return { interests: tape.squash(z, batch * K), routing };
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return capsuleGraph({ items, w: this.#w.data }, shape, {
      rounds: this.rounds,
      map: this.#perPosition ? "per-position" : "per-interest",
      softmax: this.config.routingSoftmax,
    });
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const x = this.embed(tape, history);
    const u = this.#perPosition
      ? tape.positionwiseMatmul(x, this.#w, batch, L, d, K * d)
      : tape.matmul(x, this.#w, batch * L, d, K * d);
    return this.route(tape, u, mask, batch);
  }
}
