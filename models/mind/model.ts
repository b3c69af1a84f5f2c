/**
 * MIND (Li et al., CIKM 2019) as REMI's and ComiRec's code build it: one
 * shared prediction matrix (`u_kl = W h_l`, no bias), routing logits drawn
 * from N(0, 1) on every call (the symmetry breaker; from the model's own
 * seeded `routing` stream), 3 rounds, then, with `reluLayer` (Books in the
 * reference runs), a `d x d` layer without bias and a ReLU on each capsule.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { deriveRng } from "../../data/rng.ts";
import { stateArray, type TrainingState } from "../engine/checkpoint.ts";
import { type Encoded, heNormal } from "../_sequential/base.ts";
import { ComiRecDR } from "../comirec_dr/model.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { MindConfig } from "./config.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { capsuleGraph, type EncoderShape } from "../export/encoders.ts";

/**
 * The MIND encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MIND } from "./model.ts";
 * import { MIND_DEFAULTS } from "./config.ts";
 * ok(new MIND({ ...MIND_DEFAULTS }).interests === 4);
 * ```
 */
export class MIND extends ComiRecDR {
  #w!: Tensor;
  #proj: Tensor | undefined;
  #routingRng!: Rng;

  /** @param config The config. */
  constructor(override readonly config: MindConfig) {
    super(config);
  }

  /** @inheritdoc */
  protected override init(_numItems: number, rng: Rng): void {
    const d = this.config.dim;
    const init = { reference: (r: Rng, n: number) => heNormal(r, d, n), glorot: [d, d] as const };
    this.#w = this.parameter("w", [d, d], rng, init);
    this.#proj = this.config.reluLayer
      ? this.parameter("relu_layer", [d, d], rng, init)
      : undefined;
    this.#routingRng = deriveRng(rng.uint32(), "routing");
  }

  /** Its own routing stream, for checkpoints. */
  protected override checkpointState(): TrainingState {
    return { routing: this.#routingRng.state() };
  }

  /** @inheritdoc */
  protected override restoreState(state: TrainingState): void {
    this.#routingRng.setState(stateArray(state.routing, Int32Array, "routing stream", 4));
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return capsuleGraph(
      { items, w: this.#w.data, ...(this.#proj ? { proj: this.#proj.data } : {}) },
      shape,
      {
        rounds: this.rounds,
        randomInit: true,
        map: "shared",
        softmax: this.config.routingSoftmax,
      },
    );
  }

  /**
   * MIND's initial routing logits for the next `batch` queries, from the
   * stream `encode` draws them from (so an exported graph fed these sees the
   * same numbers the in-process encoder would).
   *
   * @param batch Queries.
   * @returns `routing_init [batch, K, L]`.
   */
  override encoderExtraInputs(batch: number): Record<string, Float32Array> {
    const n = batch * this.interests * this.maxlen;
    return { routing_init: Float32Array.from({ length: n }, () => this.#routingRng.normal()) };
  }

  /** @inheritdoc */
  protected override encode(
    tape: Tape,
    history: Int32Array,
    mask: Uint8Array,
    batch: number,
  ): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const x = this.embed(tape, history);
    const shared = tape.matmul(x, this.#w, batch * L, d, d); // [B*L, d]
    // The same prediction for every interest: repeat along K.
    const ones = tape.constant(new Float32Array(K).fill(1), [1, K]);
    const u = tape.matmul(
      tape.transpose(shared, batch * L, 1, d),
      ones,
      batch * L * d,
      1,
      K,
    ); // [B*L, d, K]
    const uk = tape.transpose(u, batch * L, d, K); // [B*L, K, d]
    const { interests, routing } = this.route(tape, uk, mask, batch, this.#routingRng);
    if (!this.#proj) return { interests, ...(routing ? { routing } : {}) };
    const projected = tape.relu(tape.matmul(interests, this.#proj, batch * K, d, d));
    return { interests: projected, ...(routing ? { routing } : {}) };
  }
}
