/**
 * MIND (Li et al., CIKM 2019) as ComiRec's code builds it: one shared
 * prediction matrix (`u_kl = W h_l`), routing logits drawn from N(0, 1) on
 * every call (the symmetry breaker; from the model's own seeded `routing`
 * stream), 3 rounds, then a dense ReLU layer on each capsule.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { deriveRng } from "../../data/rng.ts";
import type { Encoded } from "../_sequential/base.ts";
import { glorot } from "../_sequential/base.ts";
import { ComiRecDR } from "../comirec_dr/model.ts";
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { capsuleGraph, type EncoderShape } from "../export/encoders.ts";

/**
 * The MIND encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MIND } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * ok(new MIND({ ...SEQUENTIAL_DEFAULTS }).interests === 4);
 * ```
 */
export class MIND extends ComiRecDR {
  #w!: Tensor;
  #proj!: Tensor;
  #bias!: Tensor;
  #routingRng!: Rng;

  /** @inheritdoc */
  protected override init(_numItems: number, rng: Rng): void {
    const d = this.config.dim;
    this.#w = new Tensor(glorot(rng, d, d, d * d), [d, d], true);
    this.#proj = new Tensor(glorot(rng, d, d, d * d), [d, d], true);
    this.#bias = new Tensor(new Float32Array(d), [d], true);
    this.dense.push(this.#w, this.#proj, this.#bias);
    this.#routingRng = deriveRng(rng.uint32(), "routing");
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return capsuleGraph(
      { items, w: this.#w.data, proj: this.#proj.data, bias: this.#bias.data },
      shape,
      { rounds: this.rounds, randomInit: true },
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
    const projected = tape.relu(
      tape.add(tape.matmul(interests, this.#proj, batch * K, d, d), this.#bias),
    );
    return { interests: projected, ...(routing ? { routing } : {}) };
  }
}
