/**
 * GRU4Rec (Hidasi et al., ICLR 2016) as ComiRec's code uses it as a baseline:
 * a GRU over the history; the hidden state after the last item is the user
 * vector, trained with the family's sampled softmax.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, glorot, SequentialModel, xavierNormal } from "../_sequential/base.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import { type EncoderShape, gru4recGraph } from "../export/encoders.ts";

/**
 * The GRU4Rec encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { GRU4Rec } from "./model.ts";
 * import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
 * ok(new GRU4Rec({ ...SEQUENTIAL_DEFAULTS, interests: 1 }).interests === 1);
 * ```
 */
export class GRU4Rec extends SequentialModel {
  #wx!: Tensor;
  #bx!: Tensor;
  #u!: Tensor;
  #bh!: Tensor;

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim;
    // REMI's GRU4Rec: Xavier-uniform input and recurrent weights (the same
    // Glorot draw as the "glorot" option); its GRU has no biases, ours start at zero.
    const weights = {
      reference: (r: Rng, n: number) => glorot(r, d, 3 * d, n),
      glorot: [d, 3 * d] as const,
    };
    const bias = {
      reference: (_: Rng, n: number) => new Float32Array(n),
      glorot: "zeros" as const,
    };
    this.#wx = this.parameter("w_input", [d, 3 * d], rng, weights);
    this.#bx = this.parameter("b_input", [3 * d], rng, bias);
    this.#u = this.parameter("w_recurrent", [d, 3 * d], rng, weights);
    this.#bh = this.parameter("b_recurrent", [3 * d], rng, bias);
  }

  /**
   * REMI's GRU4Rec draws its item table Xavier-normal: N(0, 2 / (numItems + d)).
   *
   * @param numItems Rows.
   * @param rng The `init` stream.
   * @returns `[numItems, d]`.
   */
  protected override referenceItemInit(numItems: number, rng: Rng): Float32Array {
    const d = this.config.dim;
    return xavierNormal(rng, d, numItems, numItems * d);
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return gru4recGraph({
      items,
      wx: this.#wx.data,
      bx: this.#bx.data,
      u: this.#u.data,
      bh: this.#bh.data,
    }, shape);
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, L = this.maxlen;
    const x = tape.add(
      tape.matmul(this.embed(tape, history), this.#wx, batch * L, d, 3 * d),
      this.#bx,
    );
    let h = tape.constant(new Float32Array(batch * d), [batch, d]);
    for (let t = 0; t < L; t++) h = tape.gruStep(x, t, h, this.#u, this.#bh, mask);
    return { interests: h };
  }
}
