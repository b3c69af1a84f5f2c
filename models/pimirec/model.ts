/**
 * PIMIRec (Chen et al., IJCAI 2021): ComiRec-SA's multi-interest extraction
 * on item representations enriched by a periodicity module and an
 * interactivity module, as the authors' TensorFlow code computes them (named
 * by the paper's modules; the paper's full text is not in the reference
 * folder, so no equation numbers are cited):
 *
 * 1. Periodicity module: the interval `m_ij` in days between history events
 *    i and j, clipped at `timeSpan`, looks up `T[m_ij]`; the attention
 *    `a_ij = softmax_j(T[m_ij] w)` over the unpadded j gives
 *    `t_i = sum_j a_ij T[m_ij]`; the node input is `x_i = h_i + p_i + t_i`.
 * 2. Interactivity module: a star graph, `graphBlocks` rounds: the centre
 *    starts at the mean of the nodes; each item node attends (multi-head,
 *    `heads` heads) over its predecessor, itself, the centre and its own
 *    `h_i + p_i`, then ReLU; the centre attends over itself and every node,
 *    then ReLU (one attention block's weights serve both updates, as in the
 *    code).
 * 3. Multi-interest extraction layer:
 *    `A = softmax(W2^T tanh(W1^T n + b1) + b2)` over the unpadded positions,
 *    interests `V = A h` (the item embeddings alone).
 *
 * Training (the interest attention layer and the sampled softmax) is the
 * family's: hard readout, 1,280 shared negatives.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { type EncodeContext, type Encoded, glorot, SequentialModel } from "../_sequential/base.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { PimiRecConfig } from "./config.ts";
import { bucketSum, gatherRows, prependRow, starNeighbours, timeIntervals } from "./ops.ts";

/** One multi-head attention block's weights (queries, keys, values, output). */
interface AttentionBlock {
  wq: Tensor;
  bq: Tensor;
  wk: Tensor;
  bk: Tensor;
  wv: Tensor;
  bv: Tensor;
  wo: Tensor;
  bo: Tensor;
}

/**
 * The PIMIRec encoder on the shared sequential training loop.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { PimiRec } from "./model.ts";
 * import { PIMIREC_DEFAULTS } from "./config.ts";
 * ok(new PimiRec({ ...PIMIREC_DEFAULTS }).interests === 4);
 * ```
 */
export class PimiRec extends SequentialModel {
  #pos!: Tensor;
  #timeTable!: Tensor;
  #timeW!: Tensor;
  #blocks: AttentionBlock[] = [];
  #w1!: Tensor;
  #b1!: Tensor;
  #w2!: Tensor;
  #b2!: Tensor;

  /** @param config The config. */
  constructor(override readonly config: PimiRecConfig) {
    super(config);
  }

  /** TensorFlow's default for `get_variable`: Glorot uniform over `[numItems, d]`. */
  protected override referenceItemInit(numItems: number, rng: Rng): Float32Array {
    const d = this.config.dim;
    return glorot(rng, numItems, d, numItems * d);
  }

  #weight(name: string, fanIn: number, fanOut: number, rng: Rng): Tensor {
    return this.parameter(name, [fanIn, fanOut], rng, {
      reference: (r, n) => glorot(r, fanIn, fanOut, n),
      glorot: [fanIn, fanOut],
    });
  }

  #bias(name: string, size: number, rng: Rng): Tensor {
    return this.parameter(name, [size], rng, {
      reference: (_r, n) => new Float32Array(n),
      glorot: "zeros",
    });
  }

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests, L = this.maxlen, T = this.config.timeSpan;
    this.#pos = this.#weight("position", L, d, rng);
    this.#timeTable = this.#weight("time_table", T + 1, d, rng);
    this.#timeW = this.#weight("time_w", d, 1, rng);
    this.#blocks = Array.from({ length: this.config.graphBlocks }, (_, i) => ({
      wq: this.#weight(`block${i}.wq`, d, d, rng),
      bq: this.#bias(`block${i}.bq`, d, rng),
      wk: this.#weight(`block${i}.wk`, d, d, rng),
      bk: this.#bias(`block${i}.bk`, d, rng),
      wv: this.#weight(`block${i}.wv`, d, d, rng),
      bv: this.#bias(`block${i}.bv`, d, rng),
      wo: this.#weight(`block${i}.wo`, d, d, rng),
      bo: this.#bias(`block${i}.bo`, d, rng),
    }));
    this.#w1 = this.#weight("w1", d, 4 * d, rng);
    this.#b1 = this.#bias("b1", 4 * d, rng);
    this.#w2 = this.#weight("w2", 4 * d, K, rng);
    this.#b2 = this.#bias("b2", K, rng);
  }

  /** Multi-head attention of `M` queries `[M, d]` over `S` keys each `[M * S, d]`. */
  #attend(tape: Tape, blk: AttentionBlock, query: Tensor, keys: Tensor, M: number, S: number) {
    const d = this.config.dim, H = this.config.heads, dk = d / H;
    const q = tape.add(tape.matmul(query, blk.wq, M, d, d), blk.bq); // [M, H*dk] = [M*H, 1, dk]
    const k = tape.add(tape.matmul(keys, blk.wk, M * S, d, d), blk.bk);
    const v = tape.add(tape.matmul(keys, blk.wv, M * S, d, d), blk.bv);
    const kh = tape.transpose(k, M, S, H, dk); // [M, H, S, dk]
    const vh = tape.transpose(v, M, S, H, dk);
    const scores = tape.scale(
      tape.bmm(q, kh, M * H, 1, dk, S, { transB: true }),
      1 / Math.sqrt(dk),
    );
    const weights = tape.softmax(scores, M * H, S);
    const heads = tape.bmm(weights, vh, M * H, 1, S, dk); // [M, d]
    return tape.add(tape.matmul(heads, blk.wo, M, d, d), blk.bo);
  }

  /** @inheritdoc */
  protected encode(
    tape: Tape,
    history: Int32Array,
    mask: Uint8Array,
    batch: number,
    context: EncodeContext,
  ): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen, B = batch;
    const keep = new Float32Array(B * L * d);
    for (let r = 0; r < B * L; r++) if (mask[r]) keep.fill(1, r * d, (r + 1) * d);
    const onItems = tape.constant(keep, [B * L, d]);
    const x = this.embed(tape, history); // [B*L, d], zero rows at padding
    const xp = tape.mul(tape.add(x, this.#pos), onItems); // h + p
    // Periodicity: attention over the time-interval embeddings of each row.
    const intervals = timeIntervals(context.times, mask, { batch: B, span: this.config.timeSpan });
    // a_ij = softmax_j(T[m_ij] w): the scores T w are gathered per pair, and
    // t_i = sum_j a_ij T[m_ij] = (attention mass per interval) T.
    const T1 = this.config.timeSpan + 1;
    const scoresT = tape.matmul(this.#timeTable, this.#timeW, T1, d, 1); // [T+1, 1]
    const logits = gatherRows(tape, scoresT, intervals); // [B*L*L, 1]
    const a = tape.softmax(logits, B * L, L, mask, L);
    const t = tape.matmul(
      bucketSum(tape, a, intervals, { rows: B * L, buckets: T1 }),
      this.#timeTable,
      B * L,
      T1,
      d,
    );
    let node = tape.mul(tape.add(xp, t), onItems);
    // Interactivity: the star graph.
    let center = tape.maskedMean(node, B, L, mask);
    for (const blk of this.#blocks) {
      const keys = starNeighbours(tape, node, center, xp, mask);
      node = tape.mul(tape.relu(this.#attend(tape, blk, node, keys, B * L, 4)), onItems);
      center = tape.relu(this.#attend(tape, blk, center, prependRow(tape, center, node), B, L + 1));
    }
    // Extraction: ComiRec-SA's attention with biases, over the graph's nodes.
    const hidden = tape.tanh(tape.add(tape.matmul(node, this.#w1, B * L, d, 4 * d), this.#b1));
    const scores = tape.add(tape.matmul(hidden, this.#w2, B * L, 4 * d, K), this.#b2);
    const routing = tape.softmax(tape.transpose(scores, B, L, K), B * K, L, mask, K);
    const interests = tape.bmm(routing, x, B, K, L, d);
    return { interests, routing };
  }
}
