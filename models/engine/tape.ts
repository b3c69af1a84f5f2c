/**
 * A small reverse-mode tape: each operation computes its result on
 * `Float32Array`s (products through the {@linkcode Backend}, element-wise work
 * in TypeScript) and records how to send gradients back. `backward(loss)`
 * replays the records in reverse. Embedding lookups send their gradient into
 * the table's touched rows only (sparse updates).
 *
 * Every operation here has a finite-difference test in `tape_test.ts`.
 *
 * @module
 */
import type { Backend, ProductOptions } from "./backend.ts";
import { type GraphSpec, OnnxType } from "./onnx_proto.ts";
import { type EmbeddingTable, Tensor } from "./tensor.ts";

/** Options of {@linkcode Tape.sampledSoftmax}. */
export interface SampledSoftmaxOptions {
  /** log q(item) of each row's positive, subtracted from its logit (log-q correction). */
  logQPositive?: Float32Array;
  /** log q(item) of each shared negative, subtracted from its logits. */
  logQNegative?: Float32Array;
  /** 1 where negative j of row b equals that row's positive (masked out), `[B, N]`. */
  accidentalHits?: Uint8Array;
  /**
   * REMI's interest-aware hard negatives: negative logits are re-weighted by
   * `w_j = exp(beta * x_j)` normalised by their mean; 0 turns it off (plain
   * sampled softmax). No log-q correction on that path, as in REMI's code.
   * @default {0}
   */
  beta?: number;
  /** Bulk exponential (the tape passes its backend's); `Math.exp` row by row when absent. */
  exp?: (x: Float32Array) => Float32Array;
}

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

  #out(data: Float32Array, shape: readonly number[], ...inputs: Tensor[]): Tensor {
    return new Tensor(data, shape, inputs.some((t) => t.requiresGrad));
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
   *
   * @param table The table.
   * @param ids Row ids.
   * @returns `[ids.length, dim]`.
   */
  gather(table: EmbeddingTable, ids: Int32Array): Tensor {
    const d = table.dim;
    const out = new Float32Array(ids.length * d);
    const src = table.data;
    for (let i = 0; i < ids.length; i++) {
      const r = ids[i];
      if (r < 0) continue;
      const base = r * d, o = i * d;
      for (let j = 0; j < d; j++) out[o + j] = src[base + j];
    }
    const y = new Tensor(out, [ids.length, d], true);
    this.#push(() => {
      if (!y.grad) return;
      const g = y.grad, tg = table.grad;
      for (let i = 0; i < ids.length; i++) {
        const r = ids[i];
        if (r < 0) continue;
        table.touch(r);
        const base = r * d, gb = i * d;
        for (let j = 0; j < d; j++) tg[base + j] += g[gb + j];
      }
    });
    return y;
  }

  /**
   * Weighted sums of table rows: output row r is
   * `sum_p weights[p] * table[index[p]]` over `p` in `ptr[ids[r]] .. ptr[ids[r] + 1]`
   * (a sparse matrix of neighbour weights in CSR form). Id -1 gives a zero row.
   *
   * @param table The table.
   * @param sparse CSR `ptr`, `index` and `weights` over the table's rows.
   * @param ids Which CSR rows to combine.
   * @returns `[ids.length, dim]`.
   */
  combine(
    table: EmbeddingTable,
    sparse: { ptr: Int32Array; index: Int32Array; weights: Float32Array },
    ids: Int32Array,
  ): Tensor {
    const d = table.dim, { ptr, index, weights } = sparse;
    const out = new Float32Array(ids.length * d);
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r];
      if (id < 0) continue;
      const o = r * d;
      for (let p = ptr[id]; p < ptr[id + 1]; p++) {
        const w = weights[p], src = index[p] * d;
        for (let j = 0; j < d; j++) out[o + j] += w * table.data[src + j];
      }
    }
    const y = new Tensor(out, [ids.length, d], true);
    this.#push(() => {
      if (!y.grad) return;
      const g = y.grad;
      for (let r = 0; r < ids.length; r++) {
        const id = ids[r];
        if (id < 0) continue;
        const o = r * d;
        for (let p = ptr[id]; p < ptr[id + 1]; p++) {
          const w = weights[p], row = index[p];
          table.touch(row);
          const dst = row * d;
          for (let j = 0; j < d; j++) table.grad[dst + j] += w * g[o + j];
        }
      }
    });
    return y;
  }

  /**
   * Dense product `op(A)[m, k] op(B)[k, n]`.
   *
   * @param a A.
   * @param b B.
   * @param m Rows.
   * @param k Inner size.
   * @param n Columns.
   * @param options Transposes.
   * @returns `[m, n]`.
   */
  matmul(
    a: Tensor,
    b: Tensor,
    m: number,
    k: number,
    n: number,
    options: ProductOptions = {},
  ): Tensor {
    const ta = options.transA ?? false, tb = options.transB ?? false;
    const y = this.#out(this.backend.gemm(a.data, b.data, m, k, n, options), [m, n], a, b);
    this.#push(() => {
      if (!y.grad) return;
      if (a.requiresGrad) {
        // dA = dC op(B)^T, or op(B) dC^T when A is stored transposed
        const ga = ta
          ? this.backend.gemm(b.data, y.grad, k, n, m, { transA: tb, transB: true })
          : this.backend.gemm(y.grad, b.data, m, n, k, { transB: !tb });
        accumulate(a, ga);
      }
      if (b.requiresGrad) {
        const gb = tb
          ? this.backend.gemm(y.grad, a.data, n, m, k, { transA: true, transB: ta })
          : this.backend.gemm(a.data, y.grad, k, m, n, { transA: !ta });
        accumulate(b, gb);
      }
    });
    return y;
  }

  /**
   * A two-layer scoring block `logits = tanh(x W1) W2` (ComiRec-SA's
   * attention), fused into one backend graph forward and one backward when the
   * backend runs graphs; the hidden layer is recomputed in the backward graph
   * rather than copied out.
   *
   * @param x `[m, d]`.
   * @param w1 `[d, h]`.
   * @param w2 `[h, k]`.
   * @returns `[m, k]`.
   */
  tanhMlp(x: Tensor, w1: Tensor, w2: Tensor): Tensor {
    const [m, d] = [x.shape[0], x.shape[1]], h = w1.shape[1], k = w2.shape[1];
    const run = this.backend.runGraph?.bind(this.backend);
    if (!run) return this.matmul(this.tanh(this.matmul(x, w1, m, d, h)), w2, m, h, k);
    const feeds = { x: [x.data, [m, d]], w1: [w1.data, [d, h]], w2: [w2.data, [h, k]] } as const;
    const [logits] = run("tanh-mlp-forward", tanhMlpForward, feeds, ["logits"]);
    const y = this.#out(logits, [m, k], x, w1, w2);
    this.#push(() => {
      if (!y.grad) return;
      const [dx, dw1, dw2] = run(
        "tanh-mlp-backward",
        tanhMlpBackward,
        { ...feeds, g: [y.grad, [m, k]] },
        ["dx", "dw1", "dw2"],
      );
      if (x.requiresGrad) accumulate(x, dx);
      if (w1.requiresGrad) accumulate(w1, dw1);
      if (w2.requiresGrad) accumulate(w2, dw2);
    });
    return y;
  }

  /**
   * Batched product.
   *
   * @param a A, `[batch, m, k]` or transposed.
   * @param b B, `[batch, k, n]` or transposed.
   * @param batch Pairs.
   * @param m Rows.
   * @param k Inner size.
   * @param n Columns.
   * @param options Transposes.
   * @returns `[batch, m, n]`.
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
    const ta = options.transA ?? false, tb = options.transB ?? false;
    const y = this.#out(
      this.backend.bmm(a.data, b.data, batch, m, k, n, options),
      [batch, m, n],
      a,
      b,
    );
    this.#push(() => {
      if (!y.grad) return;
      if (a.requiresGrad) {
        const ga = ta
          ? this.backend.bmm(b.data, y.grad, batch, k, n, m, { transA: tb, transB: true })
          : this.backend.bmm(y.grad, b.data, batch, m, n, k, { transB: !tb });
        accumulate(a, ga);
      }
      if (b.requiresGrad) {
        const gb = tb
          ? this.backend.bmm(y.grad, a.data, batch, n, m, k, { transA: true, transB: ta })
          : this.backend.bmm(a.data, y.grad, batch, k, m, n, { transA: !ta });
        accumulate(b, gb);
      }
    });
    return y;
  }

  /**
   * One linear map per sequence position: `y[b, l] = x[b, l] W_l`
   * (ComiRec-DR's per-position capsule maps), as one batched product over
   * the positions between two transposes.
   *
   * @param x `[batch, len, k]`.
   * @param w `[len, k, n]`.
   * @param batch Batch size.
   * @param len Positions.
   * @param k Input size.
   * @param n Output size.
   * @returns `[batch, len, n]`.
   */
  positionwiseMatmul(
    x: Tensor,
    w: Tensor,
    batch: number,
    len: number,
    k: number,
    n: number,
  ): Tensor {
    const byPosition = this.transpose(x, 1, batch, len, k); // [len, batch, k]
    const y = this.bmm(byPosition, w, len, batch, k, n); // [len, batch, n]
    return this.transpose(y, 1, len, batch, n);
  }

  /**
   * `a + b`, where `b` repeats over `a` (its size divides `a`'s: a bias or a
   * position table added to every batch row).
   *
   * @param a The larger tensor.
   * @param b The repeated tensor.
   * @returns Shape of `a`.
   */
  add(a: Tensor, b: Tensor): Tensor {
    const n = a.size, m = b.size;
    if (n % m !== 0) throw new TypeError(`add(): size ${m} does not divide ${n}`);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = a.data[i] + b.data[i % m];
    const y = this.#out(out, a.shape, a, b);
    this.#push(() => {
      if (!y.grad) return;
      if (a.requiresGrad) addInto(a.gradient(), y.grad);
      if (b.requiresGrad) {
        const gb = b.gradient();
        for (let i = 0; i < n; i++) gb[i % m] += y.grad[i];
      }
    });
    return y;
  }

  /**
   * Element-wise product of equal-size tensors.
   *
   * @param a First.
   * @param b Second.
   * @returns Shape of `a`.
   */
  mul(a: Tensor, b: Tensor): Tensor {
    if (a.size !== b.size) throw new TypeError(`mul(): sizes ${a.size} and ${b.size} differ`);
    const out = new Float32Array(a.size);
    for (let i = 0; i < out.length; i++) out[i] = a.data[i] * b.data[i];
    const y = this.#out(out, a.shape, a, b);
    this.#push(() => {
      if (!y.grad) return;
      if (a.requiresGrad) {
        const g = a.gradient();
        for (let i = 0; i < out.length; i++) g[i] += y.grad[i] * b.data[i];
      }
      if (b.requiresGrad) {
        const g = b.gradient();
        for (let i = 0; i < out.length; i++) g[i] += y.grad[i] * a.data[i];
      }
    });
    return y;
  }

  #elementwise(
    a: Tensor,
    out: Float32Array,
    backward: (g: Float32Array, gy: Float32Array) => void,
  ): Tensor {
    const y = this.#out(out, a.shape, a);
    this.#push(() => {
      if (y.grad && a.requiresGrad) backward(a.gradient(), y.grad);
    });
    return y;
  }

  /**
   * Hyperbolic tangent (computed in bulk by the backend).
   *
   * @param a Input.
   * @returns `tanh(a)`.
   */
  tanh(a: Tensor): Tensor {
    const out = this.backend.unary("tanh", a.data);
    return this.#elementwise(a, out, (g, gy) => {
      for (let i = 0; i < g.length; i++) g[i] += gy[i] * (1 - out[i] * out[i]);
    });
  }

  /**
   * Rectified linear unit.
   *
   * @param a Input.
   * @returns `max(a, 0)`.
   */
  relu(a: Tensor): Tensor {
    const x = a.data, out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : 0;
    return this.#elementwise(a, out, (g, gy) => {
      for (let i = 0; i < g.length; i++) if (x[i] > 0) g[i] += gy[i];
    });
  }

  /**
   * Logistic sigmoid (computed in bulk by the backend).
   *
   * @param a Input.
   * @returns `1 / (1 + exp(-a))`.
   */
  sigmoid(a: Tensor): Tensor {
    const out = this.backend.unary("sigmoid", a.data);
    return this.#elementwise(a, out, (g, gy) => {
      for (let i = 0; i < g.length; i++) g[i] += gy[i] * out[i] * (1 - out[i]);
    });
  }

  /**
   * Multiplies by a constant.
   *
   * @param a Input.
   * @param s The constant.
   * @returns `s * a`.
   */
  scale(a: Tensor, s: number): Tensor {
    const x = a.data, out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) out[i] = s * x[i];
    return this.#elementwise(a, out, (g, gy) => {
      for (let i = 0; i < g.length; i++) g[i] += s * gy[i];
    });
  }

  /**
   * Swaps the two middle axes of `[batch, rows, cols, block]` (`block` 1: a
   * plain transpose of the last two axes).
   *
   * @param a Input.
   * @param batch Leading size.
   * @param rows Rows.
   * @param cols Columns.
   * @param block Trailing block kept together. @default {1}
   * @returns `[batch, cols, rows, block]`.
   */
  transpose(a: Tensor, batch: number, rows: number, cols: number, block = 1): Tensor {
    const out = new Float32Array(a.size);
    const rc = rows * cols * block;
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const from = b * rc + (r * cols + c) * block, to = b * rc + (c * rows + r) * block;
          for (let e = 0; e < block; e++) out[to + e] = a.data[from + e];
        }
      }
    }
    const y = this.#out(out, block === 1 ? [batch, cols, rows] : [batch, cols, rows, block], a);
    this.#push(() => {
      if (!y.grad || !a.requiresGrad) return;
      const g = a.gradient();
      for (let b = 0; b < batch; b++) {
        for (let r = 0; r < rows; r++) {
          for (let c = 0; c < cols; c++) {
            const from = b * rc + (r * cols + c) * block, to = b * rc + (c * rows + r) * block;
            for (let e = 0; e < block; e++) g[from + e] += y.grad[to + e];
          }
        }
      }
    });
    return y;
  }

  /**
   * One GRU step for a batch (PyTorch's gate order and form):
   * `r = s(x_r + h U_r + b_r)`, `z = s(x_z + h U_z + b_z)`,
   * `n = tanh(x_n + r * (h U_n + b_n))`, `h' = (1 - z) n + z h`; rows whose
   * `mask` is 0 keep `h`. `x` holds the input projections of every step,
   * `[B, L, 3d]`; this step reads position `t`.
   *
   * @param x Input projections `[B, L, 3d]` (gates r, z, n).
   * @param t Step.
   * @param h Hidden state `[B, d]`.
   * @param u Recurrent weights `[d, 3d]`.
   * @param bias Recurrent bias `[3d]`.
   * @param mask `[B, L]` 0/1.
   * @returns The next hidden state `[B, d]`.
   */
  gruStep(x: Tensor, t: number, h: Tensor, u: Tensor, bias: Tensor, mask: Uint8Array): Tensor {
    const B = h.shape[0], d = h.shape[1], L = x.size / (B * 3 * d), d3 = 3 * d;
    const hu = this.backend.gemm(h.data, u.data, B, d, d3);
    const r = new Float32Array(B * d), z = new Float32Array(B * d), n = new Float32Array(B * d);
    const out = new Float32Array(B * d);
    for (let b = 0; b < B; b++) {
      const xo = (b * L + t) * d3, ho = b * d3;
      const live = mask[b * L + t] === 1;
      for (let j = 0; j < d; j++) {
        if (!live) {
          out[b * d + j] = h.data[b * d + j];
          continue;
        }
        const rv = 1 / (1 + Math.exp(-(x.data[xo + j] + hu[ho + j] + bias.data[j])));
        const zv = 1 / (1 + Math.exp(-(x.data[xo + d + j] + hu[ho + d + j] + bias.data[d + j])));
        const nv = Math.tanh(
          x.data[xo + 2 * d + j] + rv * (hu[ho + 2 * d + j] + bias.data[2 * d + j]),
        );
        r[b * d + j] = rv;
        z[b * d + j] = zv;
        n[b * d + j] = nv;
        out[b * d + j] = (1 - zv) * nv + zv * h.data[b * d + j];
      }
    }
    const y = this.#out(out, [B, d], x, h, u, bias);
    this.#push(() => {
      if (!y.grad) return;
      const gy = y.grad;
      const dhu = new Float32Array(B * d3);
      const dh = new Float32Array(B * d);
      const gx = x.requiresGrad ? x.gradient() : null;
      for (let b = 0; b < B; b++) {
        const xo = (b * L + t) * d3, ho = b * d3;
        if (mask[b * L + t] !== 1) {
          for (let j = 0; j < d; j++) dh[b * d + j] += gy[b * d + j];
          continue;
        }
        for (let j = 0; j < d; j++) {
          const i = b * d + j, g = gy[i];
          const rv = r[i], zv = z[i], nv = n[i];
          const dn = g * (1 - zv) * (1 - nv * nv);
          const dz = g * (h.data[i] - nv) * zv * (1 - zv);
          const hn = hu[ho + 2 * d + j] + bias.data[2 * d + j];
          const dr = dn * hn * rv * (1 - rv);
          dh[i] += g * zv;
          dhu[ho + j] = dr;
          dhu[ho + d + j] = dz;
          dhu[ho + 2 * d + j] = dn * rv;
          if (gx) {
            gx[xo + j] += dr;
            gx[xo + d + j] += dz;
            gx[xo + 2 * d + j] += dn;
          }
        }
      }
      if (bias.requiresGrad) {
        const gb = bias.gradient();
        for (let b = 0; b < B; b++) for (let k = 0; k < d3; k++) gb[k] += dhu[b * d3 + k];
      }
      if (u.requiresGrad) accumulate(u, this.backend.gemm(h.data, dhu, d, B, d3, { transA: true }));
      if (h.requiresGrad) {
        const viaU = this.backend.gemm(dhu, u.data, B, d3, d, { transB: true });
        const g = h.gradient();
        for (let i = 0; i < g.length; i++) g[i] += dh[i] + viaU[i];
      }
    });
    return y;
  }

  /**
   * The capsule squash of each row of `[rows, dim]`:
   * `v = |z|^2 / (1 + |z|^2) * z / sqrt(|z|^2 + 1e-9)` (ComiRec's form).
   *
   * @param z Input.
   * @param rows Rows.
   * @returns Squashed rows.
   */
  squash(z: Tensor, rows: number): Tensor {
    const d = z.size / rows;
    const out = new Float32Array(z.size);
    const norms = new Float64Array(rows);
    for (let r = 0; r < rows; r++) {
      let n = 0;
      for (let j = 0; j < d; j++) n += z.data[r * d + j] ** 2;
      norms[r] = n;
      const f = n / (1 + n) / Math.sqrt(n + 1e-9);
      for (let j = 0; j < d; j++) out[r * d + j] = f * z.data[r * d + j];
    }
    const y = this.#out(out, z.shape, z);
    this.#push(() => {
      if (!y.grad || !z.requiresGrad) return;
      const g = z.gradient();
      for (let r = 0; r < rows; r++) {
        const n = norms[r], s = Math.sqrt(n + 1e-9);
        const f = n / (1 + n) / s;
        // df/dn = [1/((1+n)^2 s)] - n / (2 (1+n) s^3); dn/dz_j = 2 z_j.
        const dfdn = 1 / ((1 + n) * (1 + n) * s) - n / (2 * (1 + n) * s * s * s);
        let dot = 0;
        for (let j = 0; j < d; j++) dot += y.grad[r * d + j] * z.data[r * d + j];
        for (let j = 0; j < d; j++) {
          g[r * d + j] += f * y.grad[r * d + j] + dfdn * 2 * z.data[r * d + j] * dot;
        }
      }
    });
    return y;
  }

  /**
   * Softmax over the last axis of `[rows, len]`; positions where
   * `mask[(row / rowsPerMask) * len + l]` is 0 get probability 0. A row with
   * every position masked stays all zero.
   *
   * @param a Logits.
   * @param rows Number of rows.
   * @param len Row length.
   * @param mask Optional `[rows / rowsPerMask, len]` 0/1 mask.
   * @param rowsPerMask How many consecutive rows share a mask row. @default {1}
   * @returns Probabilities.
   */
  softmax(a: Tensor, rows: number, len: number, mask?: Uint8Array, rowsPerMask = 1): Tensor {
    const out = new Float32Array(a.size);
    for (let r = 0; r < rows; r++) {
      const base = r * len, mb = Math.floor(r / rowsPerMask) * len;
      let max = -Infinity;
      for (let l = 0; l < len; l++) {
        if ((!mask || mask[mb + l]) && a.data[base + l] > max) max = a.data[base + l];
      }
      if (max === -Infinity) continue;
      let sum = 0;
      for (let l = 0; l < len; l++) {
        const e = !mask || mask[mb + l] ? Math.exp(a.data[base + l] - max) : 0;
        out[base + l] = e;
        sum += e;
      }
      for (let l = 0; l < len; l++) out[base + l] /= sum;
    }
    const y = this.#out(out, a.shape, a);
    this.#push(() => {
      if (!y.grad || !a.requiresGrad) return;
      const g = a.gradient();
      for (let r = 0; r < rows; r++) {
        const base = r * len;
        let dot = 0;
        for (let l = 0; l < len; l++) dot += y.grad[base + l] * out[base + l];
        for (let l = 0; l < len; l++) g[base + l] += out[base + l] * (y.grad[base + l] - dot);
      }
    });
    return y;
  }

  /**
   * Mean over the unmasked positions of `[batch, len, dim]`.
   *
   * @param x Input.
   * @param batch Batch size.
   * @param len Sequence length.
   * @param mask `[batch, len]` 0/1.
   * @returns `[batch, dim]`.
   */
  maskedMean(x: Tensor, batch: number, len: number, mask: Uint8Array): Tensor {
    const d = x.size / (batch * len);
    const out = new Float32Array(batch * d);
    const counts = new Float32Array(batch);
    for (let b = 0; b < batch; b++) {
      let c = 0;
      for (let l = 0; l < len; l++) {
        if (!mask[b * len + l]) continue;
        c++;
        const xb = (b * len + l) * d;
        for (let j = 0; j < d; j++) out[b * d + j] += x.data[xb + j];
      }
      counts[b] = Math.max(c, 1);
      for (let j = 0; j < d; j++) out[b * d + j] /= counts[b];
    }
    const y = this.#out(out, [batch, d], x);
    this.#push(() => {
      if (!y.grad || !x.requiresGrad) return;
      const g = x.gradient();
      for (let b = 0; b < batch; b++) {
        for (let l = 0; l < len; l++) {
          if (!mask[b * len + l]) continue;
          const xb = (b * len + l) * d;
          for (let j = 0; j < d; j++) g[xb + j] += y.grad[b * d + j] / counts[b];
        }
      }
    });
    return y;
  }

  /**
   * Picks one row per batch entry from `[batch, rows, dim]` (hard readout).
   *
   * @param x Input.
   * @param batch Batch size.
   * @param rows Rows per entry.
   * @param index Row to pick for each entry.
   * @returns `[batch, dim]`.
   */
  pick(x: Tensor, batch: number, rows: number, index: Int32Array): Tensor {
    const d = x.size / (batch * rows);
    const out = new Float32Array(batch * d);
    for (let b = 0; b < batch; b++) {
      out.set(x.data.subarray((b * rows + index[b]) * d, (b * rows + index[b] + 1) * d), b * d);
    }
    const y = this.#out(out, [batch, d], x);
    this.#push(() => {
      if (!y.grad || !x.requiresGrad) return;
      const g = x.gradient();
      for (let b = 0; b < batch; b++) {
        const base = (b * rows + index[b]) * d;
        for (let j = 0; j < d; j++) g[base + j] += y.grad[b * d + j];
      }
    });
    return y;
  }

  /**
   * Row-wise dot products of two `[batch, dim]` tensors.
   *
   * @param a First.
   * @param b Second.
   * @param batch Rows.
   * @returns `[batch]`.
   */
  rowDot(a: Tensor, b: Tensor, batch: number): Tensor {
    const d = a.size / batch;
    const out = new Float32Array(batch);
    for (let i = 0; i < batch; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += a.data[i * d + j] * b.data[i * d + j];
      out[i] = s;
    }
    const y = this.#out(out, [batch], a, b);
    this.#push(() => {
      if (!y.grad) return;
      for (const [t, o] of [[a, b], [b, a]] as const) {
        if (!t.requiresGrad) continue;
        const g = t.gradient();
        for (let i = 0; i < batch; i++) {
          for (let j = 0; j < d; j++) g[i * d + j] += y.grad[i] * o.data[i * d + j];
        }
      }
    });
    return y;
  }

  /**
   * Sum of all values.
   *
   * @param a Input.
   * @returns A scalar.
   */
  sumAll(a: Tensor): Tensor {
    let s = 0;
    const x = a.data;
    for (let i = 0; i < x.length; i++) s += x[i];
    const y = this.#out(Float32Array.of(s), [1], a);
    this.#push(() => {
      if (!y.grad || !a.requiresGrad) return;
      const g = a.gradient();
      for (let i = 0; i < g.length; i++) g[i] += y.grad[0];
    });
    return y;
  }

  /**
   * Sum of scalars.
   *
   * @param terms Scalars.
   * @returns A scalar.
   */
  addScalars(...terms: Tensor[]): Tensor {
    const y = this.#out(Float32Array.of(terms.reduce((s, t) => s + t.data[0], 0)), [1], ...terms);
    this.#push(() => {
      if (!y.grad) return;
      for (const t of terms) if (t.requiresGrad) t.gradient()[0] += y.grad[0];
    });
    return y;
  }

  /**
   * Sampled softmax cross-entropy over `[positive, shared negatives]`, mean
   * over the batch, with the log-q correction, accidental-hit masking and
   * REMI's interest-aware re-weighting as options.
   *
   * @param positive Positive logits `[B]`.
   * @param negative Negative logits `[B, N]`.
   * @param options Corrections.
   * @returns The mean loss (scalar).
   */
  sampledSoftmax(positive: Tensor, negative: Tensor, options: SampledSoftmaxOptions = {}): Tensor {
    const B = positive.size, N = negative.size / B;
    const { loss, gradPositive, gradNegative } = sampledSoftmaxLoss(
      positive.data,
      negative.data,
      B,
      N,
      { exp: (x) => this.backend.unary("exp", x), ...options },
    );
    const y = this.#out(Float32Array.of(loss), [1], positive, negative);
    this.#push(() => {
      if (!y.grad) return;
      const s = y.grad[0];
      if (positive.requiresGrad) addInto(positive.gradient(), gradPositive, s);
      if (negative.requiresGrad) addInto(negative.gradient(), gradNegative, s);
    });
    return y;
  }

  /**
   * REMI's routing regularisation on attention `A [B, K, L]`: with `A_c` centred
   * over the sequence axis and `C = A_c A_c^T / d`, returns
   * `lambda * sum_b ||diag(C_b)||^2` (summed over the batch, as REMI's code does).
   *
   * @param a Attention after softmax.
   * @param batch B.
   * @param interests K.
   * @param len L.
   * @param options `lambda` and the embedding size `dim` (d).
   * @returns A scalar.
   */
  routingRegularizer(
    a: Tensor,
    batch: number,
    interests: number,
    len: number,
    options: { lambda: number; dim: number },
  ): Tensor {
    const { lambda, dim } = options;
    const centred = new Float64Array(a.size);
    const diag = new Float64Array(batch * interests);
    let total = 0;
    for (let r = 0; r < batch * interests; r++) {
      const base = r * len;
      let mean = 0;
      for (let l = 0; l < len; l++) mean += a.data[base + l];
      mean /= len;
      let s = 0;
      for (let l = 0; l < len; l++) {
        const c = a.data[base + l] - mean;
        centred[base + l] = c;
        s += c * c;
      }
      diag[r] = s / dim;
      total += diag[r] * diag[r];
    }
    const y = this.#out(Float32Array.of(lambda * total), [1], a);
    this.#push(() => {
      if (!y.grad || !a.requiresGrad) return;
      const g = a.gradient();
      for (let r = 0; r < batch * interests; r++) {
        const base = r * len;
        // d/dc_l = lambda * 2 diag * 2 c_l / dim; then the centring's backward subtracts the mean.
        const f = y.grad[0] * lambda * 4 * diag[r] / dim;
        let mean = 0;
        for (let l = 0; l < len; l++) mean += f * centred[base + l];
        mean /= len;
        for (let l = 0; l < len; l++) g[base + l] += f * centred[base + l] - mean;
      }
    });
    return y;
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

const F32 = OnnxType.FLOAT;
const mlpInputs = [
  { name: "x", type: F32, shape: ["m", "d"] },
  { name: "w1", type: F32, shape: ["d", "h"] },
  { name: "w2", type: F32, shape: ["h", "k"] },
];

function tanhMlpForward(): GraphSpec {
  return {
    name: "tanh_mlp_forward",
    nodes: [
      { op: "MatMul", inputs: ["x", "w1"], outputs: ["pre"] },
      { op: "Tanh", inputs: ["pre"], outputs: ["hid"] },
      { op: "MatMul", inputs: ["hid", "w2"], outputs: ["logits"] },
    ],
    inputs: mlpInputs,
    outputs: [{ name: "logits", type: F32, shape: ["m", "k"] }],
  };
}

function tanhMlpBackward(): GraphSpec {
  return {
    name: "tanh_mlp_backward",
    nodes: [
      { op: "MatMul", inputs: ["x", "w1"], outputs: ["pre"] },
      { op: "Tanh", inputs: ["pre"], outputs: ["hid"] },
      { op: "Gemm", inputs: ["g", "w2"], outputs: ["dhid"], attributes: { transB: 1 } },
      { op: "Mul", inputs: ["hid", "hid"], outputs: ["hid2"] },
      { op: "Sub", inputs: ["one", "hid2"], outputs: ["dtanh"] },
      { op: "Mul", inputs: ["dhid", "dtanh"], outputs: ["dpre"] },
      { op: "Gemm", inputs: ["dpre", "w1"], outputs: ["dx"], attributes: { transB: 1 } },
      { op: "Gemm", inputs: ["x", "dpre"], outputs: ["dw1"], attributes: { transA: 1 } },
      { op: "Gemm", inputs: ["hid", "g"], outputs: ["dw2"], attributes: { transA: 1 } },
    ],
    inputs: [...mlpInputs, { name: "g", type: F32, shape: ["m", "k"] }],
    outputs: [
      { name: "dx", type: F32, shape: ["m", "d"] },
      { name: "dw1", type: F32, shape: ["d", "h"] },
      { name: "dw2", type: F32, shape: ["h", "k"] },
    ],
    initializers: [{ name: "one", dims: [], data: Float32Array.of(1) }],
  };
}

/** Adds a freshly computed gradient into a tensor's gradient (adopting it when there is none yet). */
function accumulate(t: Tensor, g: Float32Array): void {
  if (t.grad === null) t.grad = g;
  else addInto(t.grad, g);
}

function addInto(target: Float32Array, source: Float32Array, scale = 1): void {
  if (scale === 1) { for (let i = 0; i < target.length; i++) target[i] += source[i]; }
  else for (let i = 0; i < target.length; i++) target[i] += scale * source[i];
}

/** Loss and gradients of {@linkcode sampledSoftmaxLoss}. */
export interface SampledSoftmaxResult {
  /** Mean loss over the batch. */
  loss: number;
  /** d loss / d positive logits, `[B]`. */
  gradPositive: Float32Array;
  /** d loss / d negative logits, `[B, N]`. */
  gradNegative: Float32Array;
}

/**
 * The sampled softmax loss with its gradient, in closed form.
 *
 * Plain: `z = [x_pos - logq_pos, x_neg - logq_neg]` (accidental hits at -inf),
 * loss = `-log softmax(z)_0`. With `beta > 0` (REMI's IHN), per row:
 * `loss = -x0 + log(exp(x0) + S)`, `S = N * sum_j e^{(1+beta) x_j} / sum_j e^{beta x_j}`,
 * and `dS/dx_j = S ((1 + beta) p_j - beta q_j)` with `p`, `q` the softmaxes
 * of `(1 + beta) x` and `beta x` over the (unmasked) negatives.
 *
 * @param pos Positive logits `[B]`.
 * @param neg Negative logits `[B, N]`.
 * @param B Batch size.
 * @param N Negatives.
 * @param options Corrections.
 * @returns Loss and gradients.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sampledSoftmaxLoss } from "./tape.ts";
 * const r = sampledSoftmaxLoss(Float32Array.of(0), Float32Array.of(0), 1, 1);
 * ok(Math.abs(r.loss - Math.log(2)) < 1e-6);
 * ```
 */
export function sampledSoftmaxLoss(
  pos: Float32Array,
  neg: Float32Array,
  B: number,
  N: number,
  options: SampledSoftmaxOptions = {},
): SampledSoftmaxResult {
  const beta = options.beta ?? 0;
  const gradPositive = new Float32Array(B);
  const gradNegative = new Float32Array(B * N);
  const hits = options.accidentalHits;
  let loss = 0;
  const z = new Float64Array(N);
  if (beta === 0 && options.exp) {
    // Shift each row [positive, negatives] by its maximum, exponentiate in bulk.
    const W = N + 1, lqn = options.logQNegative, lqp = options.logQPositive;
    const shifted = new Float32Array(B * W);
    const maxes = new Float64Array(B);
    for (let b = 0; b < B; b++) {
      const base = b * N, row = b * W;
      const z0 = pos[b] - (lqp ? lqp[b] : 0);
      let m = z0;
      for (let j = 0; j < N; j++) {
        const v = hits && hits[base + j] ? -Infinity : neg[base + j] - (lqn ? lqn[j] : 0);
        z[j] = v;
        if (v > m) m = v;
      }
      maxes[b] = m;
      shifted[row] = z0 - m;
      for (let j = 0; j < N; j++) shifted[row + 1 + j] = z[j] - m;
    }
    const e = options.exp(shifted);
    for (let b = 0; b < B; b++) {
      const row = b * W, base = b * N;
      let sum = 0;
      for (let j = 0; j < W; j++) sum += e[row + j];
      loss += -shifted[row] + Math.log(sum);
      gradPositive[b] = (e[row] / sum - 1) / B;
      const f = 1 / (sum * B);
      for (let j = 0; j < N; j++) gradNegative[base + j] = e[row + 1 + j] * f;
    }
    return { loss: loss / B, gradPositive, gradNegative };
  }
  for (let b = 0; b < B; b++) {
    const base = b * N;
    if (beta > 0) {
      continue; // all rows at once below
    } else {
      const lqn = options.logQNegative;
      const z0 = pos[b] - (options.logQPositive?.[b] ?? 0);
      let m = z0;
      for (let j = 0; j < N; j++) {
        const v = hits && hits[base + j] ? -Infinity : neg[base + j] - (lqn ? lqn[j] : 0);
        z[j] = v;
        if (v > m) m = v;
      }
      const e0 = Math.exp(z0 - m);
      let sum = e0;
      for (let j = 0; j < N; j++) {
        const e = Math.exp(z[j] - m);
        z[j] = e;
        sum += e;
      }
      loss += -(z0 - m) + Math.log(sum);
      gradPositive[b] = (e0 / sum - 1) / B;
      const f = 1 / (sum * B);
      for (let j = 0; j < N; j++) gradNegative[base + j] = z[j] * f;
    }
  }
  if (beta > 0) loss = interestAwareLoss(pos, neg, B, N, beta, options, gradPositive, gradNegative);
  return { loss: loss / B, gradPositive, gradNegative };
}

/**
 * REMI's IHN loss for all rows (summed, not averaged); fills the gradients (already / B).
 *
 * Per row, with `m` the row maximum over the positive and the negatives and
 * `mn` the maximum over the negatives only (as REMI's code normalises its
 * weights): `a_j = e^{x_j - m}`, `w_j = e^{beta (x_j - mn)}`, `W = sum w_j`
 * (>= 1, so it never underflows), `T = sum a_j w_j`, `G = n T / W` (the
 * re-weighted negative mass times `e^{-m}`), loss `= -(x0 - m) + log(e^{x0-m} + G)`,
 * `dG/dx_j = n w_j / W ((1 + beta) a_j - beta T / W)`. The denominator is at
 * least 1 (its largest term is the one at the row maximum), so a positive far
 * above every negative gives a loss and gradients of about 0, not 0/0.
 */
function interestAwareLoss(
  pos: Float32Array,
  neg: Float32Array,
  B: number,
  N: number,
  beta: number,
  options: SampledSoftmaxOptions,
  gradPositive: Float32Array,
  gradNegative: Float32Array,
): number {
  const hits = options.accidentalHits;
  const exp = options.exp ?? ((x: Float32Array) => x.map(Math.exp));
  // Exponentiate x_j - m and beta (x_j - mn) for every negative in bulk.
  const maxes = new Float64Array(B);
  const scaled = new Float32Array(2 * B * N);
  for (let b = 0; b < B; b++) {
    const base = b * N;
    let mn = -Infinity;
    for (let j = 0; j < N; j++) {
      if (!(hits && hits[base + j]) && neg[base + j] > mn) mn = neg[base + j];
    }
    const m = Math.max(pos[b], mn);
    maxes[b] = m;
    for (let j = 0; j < N; j++) {
      const hit = hits !== undefined && hits[base + j] === 1;
      scaled[base + j] = hit ? -Infinity : neg[base + j] - m;
      scaled[B * N + base + j] = hit ? -Infinity : beta * (neg[base + j] - mn);
    }
  }
  const e = exp(scaled);
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const base = b * N, m = maxes[b], x0 = pos[b];
    let T = 0, W = 0, count = 0;
    for (let j = 0; j < N; j++) {
      if (hits && hits[base + j]) continue;
      count++;
      T += e[base + j] * e[B * N + base + j];
      W += e[B * N + base + j];
    }
    const G = count > 0 ? count * T / W : 0;
    const e0 = Math.exp(x0 - m);
    const denom = e0 + G;
    loss += -(x0 - m) + Math.log(denom);
    gradPositive[b] = (-1 + e0 / denom) / B;
    if (count === 0) continue;
    const f = count / (W * denom * B), tw = beta * T / W;
    for (let j = 0; j < N; j++) {
      if (hits && hits[base + j]) continue;
      gradNegative[base + j] = f * e[B * N + base + j] * ((1 + beta) * e[base + j] - tw);
    }
  }
  return loss;
}
