/**
 * A small reverse-mode tape: each operation computes its result on
 * `Float32Array`s (products through the {@linkcode Backend}, element-wise work
 * in TypeScript) and records how to send gradients back. `backward(loss)`
 * replays the records in reverse. Embedding lookups send their gradient into
 * the table's touched rows only (sparse updates).
 *
 * The operations live by family, each with its backward, in `ops_sparse.ts`
 * (table lookups), `ops_dense.ts` (products, transposes), `ops_elementwise.ts`,
 * `ops_attention.ts` (masked softmax, pooling, squash), `ops_recurrent.ts`
 * (GRU) and `ops_losses.ts`; the methods here only dispatch. Every operation
 * has a finite-difference test in `tape_test.ts`.
 *
 * @module
 */
import type { Backend, ProductOptions } from "./backend.ts";
import { type EmbeddingTable, Tensor } from "./tensor.ts";
import * as attentionOps from "./ops_attention.ts";
import * as denseOps from "./ops_dense.ts";
import * as elementwiseOps from "./ops_elementwise.ts";
import * as lossesOps from "./ops_losses.ts";
import * as recurrentOps from "./ops_recurrent.ts";
import * as sparseOps from "./ops_sparse.ts";

export {
  sampledSoftmaxLoss,
  type SampledSoftmaxOptions,
  type SampledSoftmaxResult,
} from "./ops_losses.ts";

/**
 * Records operations for one forward and backward pass.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { TypeScriptBackend } from "./backend.ts";
 * import { Tape } from "./tape.ts";
 * import { Tensor } from "./tensor.ts";
 * const tape = new Tape(new TypeScriptBackend());
 * const w = new Tensor(Float32Array.of(2), [1, 1], true);
 * const x = new Tensor(Float32Array.of(3), [1, 1]);
 * const y = tape.matmul(x, w, 1, 1, 1);
 * tape.backward(tape.sumAll(y));
 * ok(w.grad![0] === 3);
 * ```
 */
export class Tape {
  readonly #steps: (() => void)[] = [];
  readonly #record: boolean;

  /**
   * @param backend Where dense products run.
   * @param options `record: false` computes values only (scoring), keeping no backward steps.
   */
  constructor(readonly backend: Backend, options: { record?: boolean } = {}) {
    this.#record = options.record ?? true;
  }

  /** Whether operations are recorded for a backward pass (training) or not (scoring). */
  get recording(): boolean {
    return this.#record;
  }

  #push(step: () => void): void {
    if (this.#record) this.#steps.push(step);
  }

  /**
   * Records an operation defined outside this class: `backward` runs during
   * the backward pass (in reverse order) once `output.grad` is set, and must
   * add into its inputs' gradients (`tensor.gradient()`, or a table's `grad`
   * rows with `touch`). Use it for model-specific operations with their own
   * finite-difference test.
   *
   * @param output The operation's result (create it with `requiresGrad` set
   *   when any input needs a gradient).
   * @param backward Sends `output.grad` back to the inputs.
   * @returns `output`.
   */
  custom(output: Tensor, backward: (grad: Float32Array) => void): Tensor {
    this.#push(() => {
      if (output.grad) backward(output.grad);
    });
    return output;
  }

  /**
   * Runs the backward pass from a scalar.
   *
   * @param loss A one-element tensor.
   */
  backward(loss: Tensor): void {
    if (loss.size !== 1) {
      throw new TypeError(`backward() needs a scalar, got shape [${loss.shape}]`);
    }
    loss.gradient()[0] = 1;
    for (let i = this.#steps.length - 1; i >= 0; i--) this.#steps[i]();
    this.#steps.length = 0;
  }

  /**
   * Embedding lookup; id -1 is padding (a zero row, no gradient).
   * (`ops_sparse.ts`, with its backward.)
   */
  gather(table: EmbeddingTable, ids: Int32Array): Tensor {
    return sparseOps.gather(this, table, ids);
  }

  /**
   * Weighted sums of table rows: output row r is
   * `sum_p weights[p] * table[index[p]]` over `p` in `ptr[ids[r]] .. ptr[ids[r] + 1]`
   * (a sparse matrix of neighbour weights in CSR form). Id -1 gives a zero row.
   * (`ops_sparse.ts`, with its backward.)
   */
  combine(
    table: EmbeddingTable,
    sparse: { ptr: Int32Array; index: Int32Array; weights: Float32Array },
    ids: Int32Array,
  ): Tensor {
    return sparseOps.combine(this, table, sparse, ids);
  }

  /**
   * Dense product `op(A)[m, k] op(B)[k, n]`.
   * (`ops_dense.ts`, with its backward.)
   */
  matmul(
    a: Tensor,
    b: Tensor,
    m: number,
    k: number,
    n: number,
    options: ProductOptions = {},
  ): Tensor {
    return denseOps.matmul(this, a, b, m, k, n, options);
  }

  /**
   * A two-layer scoring block `logits = tanh(x W1) W2` (ComiRec-SA's
   * attention), fused into one backend graph forward and one backward when the
   * backend runs graphs; the hidden layer is recomputed in the backward graph
   * rather than copied out.
   * (`ops_dense.ts`, with its backward.)
   */
  tanhMlp(x: Tensor, w1: Tensor, w2: Tensor): Tensor {
    return denseOps.tanhMlp(this, x, w1, w2);
  }

  /**
   * Batched product.
   * (`ops_dense.ts`, with its backward.)
   */
  bmm(
    a: Tensor,
    b: Tensor,
    batch: number,
    m: number,
    k: number,
    n: number,
    options: ProductOptions = {},
  ): Tensor {
    return denseOps.bmm(this, a, b, batch, m, k, n, options);
  }

  /**
   * One linear map per sequence position: `y[b, l] = x[b, l] W_l`
   * (ComiRec-DR's per-position capsule maps), as one batched product over
   * the positions between two transposes.
   * (`ops_dense.ts`, with its backward.)
   */
  positionwiseMatmul(
    x: Tensor,
    w: Tensor,
    batch: number,
    len: number,
    k: number,
    n: number,
  ): Tensor {
    return denseOps.positionwiseMatmul(this, x, w, batch, len, k, n);
  }

  /**
   * `a + b`, where `b` repeats over `a` (its size divides `a`'s: a bias or a
   * position table added to every batch row).
   * (`ops_elementwise.ts`, with its backward.)
   */
  add(a: Tensor, b: Tensor): Tensor {
    return elementwiseOps.add(this, a, b);
  }

  /**
   * Element-wise product of equal-size tensors.
   * (`ops_elementwise.ts`, with its backward.)
   */
  mul(a: Tensor, b: Tensor): Tensor {
    return elementwiseOps.mul(this, a, b);
  }

  /**
   * Hyperbolic tangent (computed in bulk by the backend).
   * (`ops_elementwise.ts`, with its backward.)
   */
  tanh(a: Tensor): Tensor {
    return elementwiseOps.tanh(this, a);
  }

  /**
   * Rectified linear unit.
   * (`ops_elementwise.ts`, with its backward.)
   */
  relu(a: Tensor): Tensor {
    return elementwiseOps.relu(this, a);
  }

  /**
   * Logistic sigmoid (computed in bulk by the backend).
   * (`ops_elementwise.ts`, with its backward.)
   */
  sigmoid(a: Tensor): Tensor {
    return elementwiseOps.sigmoid(this, a);
  }

  /**
   * Multiplies by a constant.
   * (`ops_elementwise.ts`, with its backward.)
   */
  scale(a: Tensor, s: number): Tensor {
    return elementwiseOps.scale(this, a, s);
  }

  /**
   * Swaps the two middle axes of `[batch, rows, cols, block]` (`block` 1: a
   * plain transpose of the last two axes).
   * (`ops_dense.ts`, with its backward.)
   */
  transpose(a: Tensor, batch: number, rows: number, cols: number, block = 1): Tensor {
    return denseOps.transpose(this, a, batch, rows, cols, block);
  }

  /**
   * One GRU step for a batch (PyTorch's gate order and form):
   * `r = s(x_r + h U_r + b_r)`, `z = s(x_z + h U_z + b_z)`,
   * `n = tanh(x_n + r * (h U_n + b_n))`, `h' = (1 - z) n + z h`; rows whose
   * `mask` is 0 keep `h`. `x` holds the input projections of every step,
   * `[B, L, 3d]`; this step reads position `t`.
   * (`ops_recurrent.ts`, with its backward.)
   */
  gruStep(x: Tensor, t: number, h: Tensor, u: Tensor, bias: Tensor, mask: Uint8Array): Tensor {
    return recurrentOps.gruStep(this, x, t, h, u, bias, mask);
  }

  /**
   * The capsule squash of each row of `[rows, dim]`:
   * `v = |z|^2 / (1 + |z|^2) * z / sqrt(|z|^2 + 1e-9)` (ComiRec's form).
   * (`ops_attention.ts`, with its backward.)
   */
  squash(z: Tensor, rows: number): Tensor {
    return attentionOps.squash(this, z, rows);
  }

  /**
   * Softmax over the last axis of `[rows, len]`; positions where
   * `mask[(row / rowsPerMask) * len + l]` is 0 get probability 0. A row with
   * every position masked stays all zero.
   * (`ops_attention.ts`, with its backward.)
   */
  softmax(a: Tensor, rows: number, len: number, mask?: Uint8Array, rowsPerMask = 1): Tensor {
    return attentionOps.softmax(this, a, rows, len, mask, rowsPerMask);
  }

  /**
   * Mean over the unmasked positions of `[batch, len, dim]`.
   * (`ops_attention.ts`, with its backward.)
   */
  maskedMean(x: Tensor, batch: number, len: number, mask: Uint8Array): Tensor {
    return attentionOps.maskedMean(this, x, batch, len, mask);
  }

  /**
   * Picks one row per batch entry from `[batch, rows, dim]` (hard readout).
   * (`ops_attention.ts`, with its backward.)
   */
  pick(x: Tensor, batch: number, rows: number, index: Int32Array): Tensor {
    return attentionOps.pick(this, x, batch, rows, index);
  }

  /**
   * Row-wise dot products of two `[batch, dim]` tensors.
   * (`ops_elementwise.ts`, with its backward.)
   */
  rowDot(a: Tensor, b: Tensor, batch: number): Tensor {
    return elementwiseOps.rowDot(this, a, b, batch);
  }

  /**
   * Sum of all values.
   * (`ops_elementwise.ts`, with its backward.)
   */
  sumAll(a: Tensor): Tensor {
    return elementwiseOps.sumAll(this, a);
  }

  /**
   * Sum of scalars.
   * (`ops_elementwise.ts`, with its backward.)
   */
  addScalars(...terms: Tensor[]): Tensor {
    return elementwiseOps.addScalars(this, ...terms);
  }

  /**
   * Sampled softmax cross-entropy over `[positive, shared negatives]`, mean
   * over the batch, with the log-q correction, accidental-hit masking and
   * REMI's interest-aware re-weighting as options.
   * (`ops_losses.ts`, with its backward.)
   */
  sampledSoftmax(
    positive: Tensor,
    negative: Tensor,
    options: lossesOps.SampledSoftmaxOptions = {},
  ): Tensor {
    return lossesOps.sampledSoftmax(this, positive, negative, options);
  }

  /**
   * REMI's routing regularisation on attention `A [B, K, L]`: with `A_c` centred
   * over the sequence axis and `C = A_c A_c^T / d`, returns
   * `lambda * sum_b ||diag(C_b)||^2` (summed over the batch, as REMI's code does).
   * (`ops_losses.ts`, with its backward.)
   */
  routingRegularizer(
    a: Tensor,
    batch: number,
    interests: number,
    len: number,
    options: { lambda: number; dim: number },
  ): Tensor {
    return lossesOps.routingRegularizer(this, a, batch, interests, len, options);
  }

  /**
   * Wraps values computed outside the tape as a constant.
   *
   * @param data Values.
   * @param shape Shape.
   * @returns A tensor without gradient.
   */
  constant(data: Float32Array, shape: readonly number[]): Tensor {
    return new Tensor(data, shape, false);
  }
}
