/**
 * GRU4Rec (Hidasi et al., ICLR 2016) as REMI's code builds it as a baseline:
 * dropout on the history embeddings (training only), one GRU layer of width
 * `hiddenFactor * d` without biases, a `Linear(width, d)` output layer with
 * bias on its output after the last item gives the user vector; trained with
 * the family's sampled softmax.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { deriveRng } from "../../data/rng.ts";
import { stateArray, type TrainingState } from "../engine/checkpoint.ts";
import { type Encoded, glorot, SequentialModel, xavierNormal } from "../_sequential/base.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { type EncoderShape, gru4recGraph } from "../export/encoders.ts";
import type { Gru4RecConfig } from "./config.ts";

/** PyTorch's default `nn.Linear` draw: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) for weight and bias. */
function linearDefault(rng: Rng, fanIn: number, count: number): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  return Float32Array.from({ length: count }, () => (2 * rng.float() - 1) * bound);
}

/**
 * The GRU4Rec encoder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { GRU4Rec } from "./model.ts";
 * import { GRU4REC_DEFAULTS } from "./config.ts";
 * ok(new GRU4Rec({ ...GRU4REC_DEFAULTS }).interests === 1);
 * ```
 */
export class GRU4Rec extends SequentialModel {
  #wx!: Tensor;
  #u!: Tensor;
  #bx: Tensor | undefined;
  #bh: Tensor | undefined;
  #wo: Tensor | undefined;
  #bo: Tensor | undefined;
  #dropoutRng!: Rng;

  /** @param config The config. */
  constructor(override readonly config: Gru4RecConfig) {
    super(config);
  }

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, H = this.config.hiddenFactor * d;
    // REMI's GRU4Rec: Xavier-uniform input ([3H, d]) and recurrent ([3H, H]) weights.
    this.#wx = this.parameter("w_input", [d, 3 * H], rng, {
      reference: (r, n) => glorot(r, d, 3 * H, n),
      glorot: [d, 3 * H],
    });
    this.#u = this.parameter("w_recurrent", [H, 3 * H], rng, {
      reference: (r, n) => glorot(r, H, 3 * H, n),
      glorot: [H, 3 * H],
    });
    const zeros = {
      reference: (_: Rng, n: number) => new Float32Array(n),
      glorot: "zeros",
    } as const;
    this.#bx = this.config.gruBias ? this.parameter("b_input", [3 * H], rng, zeros) : undefined;
    this.#bh = this.config.gruBias ? this.parameter("b_recurrent", [3 * H], rng, zeros) : undefined;
    if (this.config.outputLayer) {
      this.#wo = this.parameter("w_output", [H, d], rng, {
        reference: (r, n) => linearDefault(r, H, n),
        glorot: [H, d],
      });
      this.#bo = this.parameter("b_output", [d], rng, {
        reference: (r, n) => linearDefault(r, H, n),
        glorot: "zeros",
      });
    } else this.#wo = this.#bo = undefined;
    this.#dropoutRng = deriveRng(rng.uint32(), "dropout");
  }

  /** Its own dropout stream, for checkpoints. */
  protected override checkpointState(): TrainingState {
    return { dropout: this.#dropoutRng.state() };
  }

  /** @inheritdoc */
  protected override restoreState(state: TrainingState): void {
    this.#dropoutRng.setState(stateArray(state.dropout, Int32Array, "dropout stream", 4));
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
    const H = this.config.hiddenFactor * this.config.dim;
    return gru4recGraph({
      items,
      wx: this.#wx.data,
      bx: this.#bx?.data ?? new Float32Array(3 * H),
      u: this.#u.data,
      bh: this.#bh?.data ?? new Float32Array(3 * H),
      ...(this.#wo && this.#bo ? { wo: this.#wo.data, bo: this.#bo.data } : {}),
    }, shape);
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, L = this.maxlen, H = this.config.hiddenFactor * d;
    let emb = this.embed(tape, history);
    const p = this.config.dropout;
    if (p > 0 && tape.recording) {
      // Inverted dropout, as PyTorch's nn.Dropout: kept values scaled by 1/(1-p).
      const keep = Float32Array.from(
        { length: emb.size },
        () => this.#dropoutRng.float() < p ? 0 : 1 / (1 - p),
      );
      emb = tape.mul(emb, tape.constant(keep, emb.shape));
    }
    let x = tape.matmul(emb, this.#wx, batch * L, d, 3 * H);
    if (this.#bx) x = tape.add(x, this.#bx);
    const bh = this.#bh ?? new Tensor(new Float32Array(3 * H), [3 * H]);
    let h = tape.constant(new Float32Array(batch * H), [batch, H]);
    for (let t = 0; t < L; t++) h = tape.gruStep(x, t, h, this.#u, bh, mask);
    if (!this.#wo || !this.#bo) return { interests: h };
    return { interests: tape.add(tape.matmul(h, this.#wo, batch, H, d), this.#bo) };
  }
}
