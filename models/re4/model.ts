/**
 * Re4 (Zhang et al., WWW 2022) as its authors' code builds it.
 *
 * Forward flow (the paper's Section 3, multi-interest extraction on ComiRec-SA):
 * attention `a_{k,i} = softmax_i(w_k^T tanh(W1 x_i))` over the unpadded
 * positions (no position embeddings), interests `z_k = sum_i a_{k,i} W2 x_i`,
 * and the vectors scored against the items `u_k = tanh(W_o z_k + b_o)` (the
 * authors' `linear_layer`, used for the training readout and for retrieval).
 *
 * Backward flows, on z_k and the raw item vectors x_i, added to the sampled
 * softmax with weights: re-contrast L_CT (`backward_flows.ts`), re-attend
 * L_ATT (`../_sequential/regularizers.ts`), re-construct L_CST: each interest
 * decodes its whole history, `R = reshape(W_c z_k + b_c) [L, d]`, then
 * self-attention `softmax_j(w_{3,i}^T tanh(W_3 r_j))` (padded j masked) over
 * `R W_5`, compared with x_i at the interest's positive items.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type Encoded, heNormal, SequentialModel } from "../_sequential/base.ts";
import type { BatchShape } from "../_sequential/regularizers.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { type EncoderShape, re4Graph } from "../export/encoders.ts";
import { positiveItems, reconstructionError, recontrastLoss } from "./backward_flows.ts";
import type { Re4Config } from "./config.ts";

/**
 * The Re4 encoder and its backward flows on the shared sequential training loop.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Re4 } from "./model.ts";
 * import { RE4_DEFAULTS } from "./config.ts";
 * ok(new Re4({ ...RE4_DEFAULTS }).interests === 4);
 * ```
 */
export class Re4 extends SequentialModel {
  #w1!: Tensor;
  #w2!: Tensor;
  #value!: Tensor;
  #out!: Tensor;
  #outBias!: Tensor;
  #recW!: Tensor;
  #recB!: Tensor;
  #recAttn1!: Tensor;
  #recAttn2!: Tensor;
  #recValue!: Tensor;

  /** @param re4 The config. */
  constructor(readonly re4: Re4Config) {
    super(re4);
  }

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests, h = 4 * d, L = this.maxlen;
    const he = (name: string, shape: [number, number], fanIn: number) =>
      this.parameter(name, shape, rng, {
        reference: (r, n) => heNormal(r, fanIn, n),
        glorot: shape,
      });
    const zeros = (name: string, size: number) =>
      this.parameter(name, [size], rng, {
        reference: (_r, n) => new Float32Array(n),
        glorot: "zeros",
      });
    this.#w1 = he("w1", [d, h], d);
    this.#w2 = he("w2", [h, K], h);
    this.#value = he("value", [d, d], d);
    this.#out = he("out", [d, d], d);
    this.#outBias = zeros("outBias", d);
    this.#recW = he("reconstructW", [d, L * d], d);
    this.#recB = zeros("reconstructBias", L * d);
    this.#recAttn1 = he("reconstructAttention1", [d, d], d);
    this.#recAttn2 = he("reconstructAttention2", [d, L], d);
    this.#recValue = he("reconstructValue", [d, d], d);
  }

  /** @inheritdoc */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec {
    return re4Graph({
      items,
      w1: this.#w1.data,
      w2: this.#w2.data,
      value: this.#value.data,
      out: this.#out.data,
      outBias: this.#outBias.data,
    }, shape);
  }

  /** @inheritdoc */
  protected encode(tape: Tape, history: Int32Array, mask: Uint8Array, batch: number): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen;
    const x = this.embed(tape, history); // [B*L, d]
    const logits = tape.transpose(tape.tanhMlp(x, this.#w1, this.#w2), batch, L, K); // [B, K, L]
    const routing = tape.softmax(logits, batch * K, L, mask, K);
    const values = tape.matmul(x, this.#value, batch * L, d, d);
    const z = tape.bmm(routing, values, batch, K, L, d); // [B, K, d]
    const u = tape.tanh(tape.add(tape.matmul(z, this.#out, batch * K, d, d), this.#outBias));
    return { interests: u, routing, attention: { logits, sequence: x, interests: z } };
  }

  /** Family terms (re-attend at the config's `reattend`), then re-contrast and re-construct. */
  protected override regularizers(
    tape: Tape,
    encoded: Encoded,
    mask: Uint8Array,
    shape: BatchShape,
  ): Tensor[] {
    const c = this.re4, terms = super.regularizers(tape, encoded, mask, shape);
    const parts = encoded.attention!, routing = encoded.routing!;
    if (c.contrast === 0 && c.construct === 0) return terms;
    const positive = positiveItems(routing.data, mask, shape, c.threshold);
    if (c.contrast > 0) {
      const ct = recontrastLoss(tape, parts.interests, parts.sequence, positive, mask, {
        ...shape,
        temperature: c.temperature,
      });
      terms.push(tape.scale(ct, c.contrast));
    }
    if (c.construct > 0) {
      const rec = this.#reconstruct(tape, parts.interests, mask, shape);
      terms.push(
        tape.scale(reconstructionError(tape, rec, parts.sequence, positive, shape), c.construct),
      );
    }
    return terms;
  }

  /** Each interest's reconstruction of the history, `[B, K, L, d]`. */
  #reconstruct(tape: Tape, z: Tensor, mask: Uint8Array, shape: BatchShape): Tensor {
    const { batch: B, interests: K, maxlen: L, dim: d } = shape, rows = B * K * L;
    const r = tape.add(tape.matmul(z, this.#recW, B * K, d, L * d), this.#recB); // [B*K*L, d]
    const hidden = tape.tanh(tape.matmul(r, this.#recAttn1, rows, d, d));
    const scores = tape.matmul(hidden, this.#recAttn2, rows, d, L); // [B*K, j, i]
    // Row i of each [L, L] block attends over the keys j of the same user's history.
    const weights = tape.softmax(tape.transpose(scores, B * K, L, L), rows, L, mask, K * L);
    const values = tape.matmul(r, this.#recValue, rows, d, d);
    return tape.bmm(weights, values, B * K, L, L, d);
  }
}
