/**
 * YouTube DNN as ComiRec's code builds it (Covington et al., RecSys 2016): the
 * masked mean of the history embeddings through one dense layer gives a
 * single user vector.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, heNormal, SequentialModel } from "../_sequential/base.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { type EncoderShape, youtubeDnnGraph } from "../export/encoders.ts";

/**
 * Mean-pooled history plus a dense layer.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { YouTubeDNN } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * ok(new YouTubeDNN({ ...SEQUENTIAL_DEFAULTS, interests: 1 }).interests === 1);
 * ```
 */
export class YouTubeDNN extends SequentialModel {
  #w!: Tensor;

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim;
    this.#w = this.parameter("w", [d, d], rng, {
      reference: (r, n) => heNormal(r, d, n),
      glorot: [d, d],
    });
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    // The graph takes a bias; REMI's layer has none.
    return youtubeDnnGraph({ items, w: this.#w.data, b: new Float32Array(shape.dim) }, shape);
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, L = this.maxlen;
    const mean = tape.maskedMean(this.embed(tape, history), batch, L, mask);
    const user = tape.matmul(mean, this.#w, batch, d, d);
    return { interests: user };
  }
}
