/**
 * ComiRec-SA: self-attentive multi-interest extraction (Cen et al., KDD 2020),
 * as REMI's code builds it: learned position embeddings added before the
 * attention, `A = softmax(W2^T tanh(W1^T (h + p)))` over the unpadded
 * positions (W1 d x 4d, W2 4d x K, no biases), interests `V = A h`.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, heNormal, SequentialModel } from "../_sequential/base.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { comirecSaGraph, type EncoderShape } from "../export/encoders.ts";

/**
 * The ComiRec-SA encoder on the shared sequential training loop.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ComiRecSA } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * ok(new ComiRecSA({ ...SEQUENTIAL_DEFAULTS }).interests === 4);
 * ```
 */
export class ComiRecSA extends SequentialModel {
  #w1!: Tensor;
  #w2!: Tensor;
  #pos!: Tensor;

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests, h = 4 * d, L = this.maxlen;
    // He normal with PyTorch's fan-in, as REMI's code draws every parameter:
    // a Linear's input size; the position table [1, L, d] has fan-in L * d.
    this.#w1 = this.parameter("w1", [d, h], rng, {
      reference: (r, n) => heNormal(r, d, n),
      glorot: [d, h],
    });
    this.#w2 = this.parameter("w2", [h, K], rng, {
      reference: (r, n) => heNormal(r, h, n),
      glorot: [h, K],
    });
    this.#pos = this.parameter("position", [L, d], rng, {
      reference: (r, n) => heNormal(r, L * d, n),
      glorot: [L, d],
    });
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return comirecSaGraph(
      { items, w1: this.#w1.data, w2: this.#w2.data, pos: this.#pos.data },
      shape,
    );
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const x = this.embed(tape, history); // [B*L, d]
    const xp = tape.add(x, this.#pos);
    const logits = tape.tanhMlp(xp, this.#w1, this.#w2); // [B*L, K]
    const routingLogits = tape.transpose(logits, batch, L, K); // [B, K, L]
    const routing = tape.softmax(routingLogits, batch * K, L, mask, K);
    const interests = tape.bmm(routing, x, batch, K, L, d); // [B, K, d]
    return { interests, routing, attention: { logits: routingLogits, sequence: x, interests } };
  }
}
