/**
 * Dense tape operations: products through the backend (plain,
 * batched, per position, the fused tanh MLP) and axis swaps.
 *
 * @module
 */
import type { ProductOptions } from "./backend.ts";
import { type GraphSpec, OnnxType } from "./onnx_proto.ts";
import type { Tape } from "./tape.ts";
import type { Tensor } from "./tensor.ts";
import { accumulate, output } from "./_ops.ts";

/**
 * Dense product `op(A)[m, k] op(B)[k, n]`.
 *
 * @param tape The tape that records the operation.
 * @param a A.
 * @param b B.
 * @param m Rows.
 * @param k Inner size.
 * @param n Columns.
 * @param options Transposes.
 * @returns `[m, n]`.
 */
export function matmul(
  tape: Tape,
  a: Tensor,
  b: Tensor,
  m: number,
  k: number,
  n: number,
  options: ProductOptions = {},
): Tensor {
  const ta = options.transA ?? false, tb = options.transB ?? false;
  const y = output(tape.backend.gemm(a.data, b.data, m, k, n, options), [m, n], a, b);
  tape.custom(y, (gy) => {
    if (a.requiresGrad) {
      // dA = dC op(B)^T, or op(B) dC^T when A is stored transposed
      const ga = ta
        ? tape.backend.gemm(b.data, gy, k, n, m, { transA: tb, transB: true })
        : tape.backend.gemm(gy, b.data, m, n, k, { transB: !tb });
      accumulate(a, ga);
    }
    if (b.requiresGrad) {
      const gb = tb
        ? tape.backend.gemm(gy, a.data, n, m, k, { transA: true, transB: ta })
        : tape.backend.gemm(a.data, gy, k, m, n, { transA: !ta });
      accumulate(b, gb);
    }
  });
  return y;
}

/**
 * Batched product.
 *
 * @param tape The tape that records the operation.
 * @param a A, `[batch, m, k]` or transposed.
 * @param b B, `[batch, k, n]` or transposed.
 * @param batch Pairs.
 * @param m Rows.
 * @param k Inner size.
 * @param n Columns.
 * @param options Transposes.
 * @returns `[batch, m, n]`.
 */
export function bmm(
  tape: Tape,
  a: Tensor,
  b: Tensor,
  batch: number,
  m: number,
  k: number,
  n: number,
  options: ProductOptions = {},
): Tensor {
  const ta = options.transA ?? false, tb = options.transB ?? false;
  const y = output(
    tape.backend.bmm(a.data, b.data, batch, m, k, n, options),
    [batch, m, n],
    a,
    b,
  );
  tape.custom(y, (gy) => {
    if (a.requiresGrad) {
      const ga = ta
        ? tape.backend.bmm(b.data, gy, batch, k, n, m, { transA: tb, transB: true })
        : tape.backend.bmm(gy, b.data, batch, m, n, k, { transB: !tb });
      accumulate(a, ga);
    }
    if (b.requiresGrad) {
      const gb = tb
        ? tape.backend.bmm(gy, a.data, batch, n, m, k, { transA: true, transB: ta })
        : tape.backend.bmm(a.data, gy, batch, k, m, n, { transA: !ta });
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
 * @param tape The tape that records the operation.
 * @param x `[batch, len, k]`.
 * @param w `[len, k, n]`.
 * @param batch Batch size.
 * @param len Positions.
 * @param k Input size.
 * @param n Output size.
 * @returns `[batch, len, n]`.
 */
export function positionwiseMatmul(
  tape: Tape,
  x: Tensor,
  w: Tensor,
  batch: number,
  len: number,
  k: number,
  n: number,
): Tensor {
  const byPosition = tape.transpose(x, 1, batch, len, k); // [len, batch, k]
  const y = tape.bmm(byPosition, w, len, batch, k, n); // [len, batch, n]
  return tape.transpose(y, 1, len, batch, n);
}

/**
 * A two-layer scoring block `logits = tanh(x W1) W2` (ComiRec-SA's
 * attention), fused into one backend graph forward and one backward when the
 * backend runs graphs; the hidden layer is recomputed in the backward graph
 * rather than copied out (returning it from the forward graph was measured:
 * the forward's process CPU grew by about what the backward's shrank, 0.7-0.9
 * ms of about 6 at 2560 x 64 x 256; load average 44 on 2 cores).
 *
 * @param tape The tape that records the operation.
 * @param x `[m, d]`.
 * @param w1 `[d, h]`.
 * @param w2 `[h, k]`.
 * @returns `[m, k]`.
 */
export function tanhMlp(tape: Tape, x: Tensor, w1: Tensor, w2: Tensor): Tensor {
  const [m, d] = [x.shape[0], x.shape[1]], h = w1.shape[1], k = w2.shape[1];
  const run = tape.backend.runGraph?.bind(tape.backend);
  if (!run) return tape.matmul(tape.tanh(tape.matmul(x, w1, m, d, h)), w2, m, h, k);
  const feeds = { x: [x.data, [m, d]], w1: [w1.data, [d, h]], w2: [w2.data, [h, k]] } as const;
  const [logits] = run("tanh-mlp-forward", tanhMlpForward, feeds, ["logits"]);
  const y = output(logits, [m, k], x, w1, w2);
  tape.custom(y, (gy) => {
    const [dx, dw1, dw2] = run(
      "tanh-mlp-backward",
      tanhMlpBackward,
      { ...feeds, g: [gy, [m, k]] },
      ["dx", "dw1", "dw2"],
    );
    if (x.requiresGrad) accumulate(x, dx);
    if (w1.requiresGrad) accumulate(w1, dw1);
    if (w2.requiresGrad) accumulate(w2, dw2);
  });
  return y;
}

/**
 * Swaps the two middle axes of `[batch, rows, cols, block]` (`block` 1: a
 * plain transpose of the last two axes).
 *
 * @param tape The tape that records the operation.
 * @param a Input.
 * @param batch Leading size.
 * @param rows Rows.
 * @param cols Columns.
 * @param block Trailing block kept together. @default {1}
 * @returns `[batch, cols, rows, block]`.
 */
export function transpose(
  tape: Tape,
  a: Tensor,
  batch: number,
  rows: number,
  cols: number,
  block = 1,
): Tensor {
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
  const y = output(out, block === 1 ? [batch, cols, rows] : [batch, cols, rows, block], a);
  tape.custom(y, (gy) => {
    if (!a.requiresGrad) return;
    const g = a.gradient();
    for (let b = 0; b < batch; b++) {
      for (let r = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++) {
          const from = b * rc + (r * cols + c) * block, to = b * rc + (c * rows + r) * block;
          for (let e = 0; e < block; e++) g[from + e] += gy[to + e];
        }
      }
    }
  });
  return y;
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
