/**
 * Candidate lists from ONNX Runtime for the exact ranker: one fused graph per
 * chunk of the item table (`Gemm` of a batch of query vectors with the chunk,
 * read in place as `[c, d]` and transposed by the product, then the maximum
 * over the K interests when there are several, then `TopK`), whose per-chunk
 * lists are merged in TypeScript into one list per query. ONNX Runtime never
 * holds more than one chunk's scores, and the item table is never copied, so
 * memory stays bounded whatever the table's size.
 *
 * @module
 */
import { ortFloats, type OrtRuntime, type OrtSession } from "../models/engine/ort_backend.ts";
import { encodeModel, type NodeSpec, OnnxType } from "../models/engine/onnx_proto.ts";

/**
 * The fused candidate graph: `users [B * K, d]` times `items [c, d]`
 * transposed, reshaped to `[B, K, c]` and reduced by the maximum over the K
 * interests (left out when `mergeInterests` is false, for K = 1), then the `k`
 * largest per query, sorted: `values` and `indices` of `B * k` values.
 *
 * @param mergeInterests Whether to take the maximum over interests.
 * @returns ONNX bytes.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { candidateGraph } from "./_candidates.ts";
 * ok(candidateGraph(true).length > 0);
 * ```
 */
export function candidateGraph(mergeInterests: boolean): Uint8Array {
  const F = OnnxType.FLOAT, I64 = OnnxType.INT64;
  const nodes: NodeSpec[] = [
    { op: "Gemm", inputs: ["users", "items"], outputs: ["scores"], attributes: { transB: 1 } },
  ];
  if (mergeInterests) {
    nodes.push(
      { op: "Reshape", inputs: ["scores", "shape"], outputs: ["by_interest"] },
      {
        op: "ReduceMax",
        inputs: ["by_interest"],
        outputs: ["best"],
        attributes: { axes: [1], keepdims: 0 },
      },
    );
  }
  nodes.push({
    op: "TopK",
    inputs: [mergeInterests ? "best" : "scores", "k"],
    outputs: ["values", "indices"],
    attributes: { axis: -1, largest: 1, sorted: 1 },
  });
  return encodeModel({
    name: mergeInterests ? "exact_candidates_max" : "exact_candidates",
    nodes,
    inputs: [
      { name: "users", type: F, shape: ["rows", "dim"] },
      { name: "items", type: F, shape: ["items", "dim"] },
      { name: "k", type: I64, shape: [1] },
      ...(mergeInterests ? [{ name: "shape", type: I64, shape: [3] }] : []),
    ],
    outputs: [
      { name: "values", type: F, shape: ["queries", "width"] },
      { name: "indices", type: I64, shape: ["queries", "width"] },
    ],
  });
}

/** The item table cut into chunks (views, no copy), with what certification needs. */
export interface ItemChunks {
  /** First item of each chunk. */
  first: number[];
  /** Items per chunk. */
  sizes: number[];
  /** Each chunk as an ONNX Runtime tensor `[size, d]` over the table's memory (or a copy of a shared table). */
  tensors: unknown[];
  /** The largest item norm (NaN or Infinity if the table holds such values). */
  maxNorm: number;
}

/**
 * Cuts `[n, d]` items into chunks of at most `chunk` items.
 *
 * @param ort ONNX Runtime.
 * @param items Item table.
 * @param o Dimension and chunk size.
 * @returns The chunks.
 */
export function chunkItems(
  ort: OrtRuntime,
  items: Float32Array,
  o: { dim: number; chunk: number },
): ItemChunks {
  const d = o.dim, n = items.length / d;
  const out: ItemChunks = { first: [], sizes: [], tensors: [], maxNorm: 0 };
  let maxSquare = 0;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let p = i * d; p < (i + 1) * d; p++) s += items[p] * items[p];
    if (s > maxSquare || s !== s) maxSquare = s; // NaN sticks: no query can be certified
  }
  // A table the training threads share is read through one private copy.
  const table = ortFloats(items);
  for (let start = 0; start < n; start += o.chunk) {
    const c = Math.min(o.chunk, n - start);
    out.first.push(start);
    out.sizes.push(c);
    out.tensors.push(new ort.Tensor("float32", table.subarray(start * d, (start + c) * d), [c, d]));
  }
  out.maxNorm = Math.sqrt(maxSquare);
  return out;
}

/** Merged candidates of a batch: per query, `width` slots (values descending). */
export interface Candidates {
  /** ONNX Runtime scores, `[B, width]`. */
  values: Float32Array;
  /** Item indices, `[B, width]`. */
  indices: Int32Array;
  /** Filled slots per query (`min(width, n)`). */
  count: number;
  /** Seconds spent inside ONNX Runtime. */
  ortSeconds: number;
}

/**
 * Runs the candidate graph over every chunk for a batch of queries and keeps
 * the `width` highest ONNX Runtime scores per query. Every item left out
 * scores at most the last kept value (in ONNX Runtime's arithmetic).
 *
 * @param ort ONNX Runtime.
 * @param session The candidate graph's session (merging interests when `o.interests` > 1).
 * @param o Queries `[B, K, d]`, sizes, chunks and width.
 * @returns The merged candidates.
 */
export function topCandidates(
  ort: OrtRuntime,
  session: OrtSession,
  o: {
    users: Float32Array;
    queries: number;
    interests: number;
    dim: number;
    chunks: ItemChunks;
    width: number;
  },
): Candidates {
  const B = o.queries, W = o.width, K = o.interests;
  const users = new ort.Tensor("float32", ortFloats(o.users), [B * K, o.dim]);
  let values = new Float32Array(B * W), indices = new Int32Array(B * W);
  let nextValues = new Float32Array(B * W), nextIndices = new Int32Array(B * W);
  let count = 0, ortSeconds = 0;
  for (let j = 0; j < o.chunks.first.length; j++) {
    const kj = Math.min(W, o.chunks.sizes[j]), first = o.chunks.first[j];
    const t0 = performance.now();
    const shape = BigInt64Array.of(BigInt(B), BigInt(K), BigInt(o.chunks.sizes[j]));
    const out = session.run(
      {
        users,
        items: o.chunks.tensors[j],
        k: new ort.Tensor("int64", BigInt64Array.of(BigInt(kj)), [1]),
        ...(K > 1 ? { shape: new ort.Tensor("int64", shape, [3]) } : {}),
      },
      { values: null, indices: null },
      {},
    );
    ortSeconds += (performance.now() - t0) / 1000;
    const cv = out.values.data as Float32Array, ci = out.indices.data as BigInt64Array;
    const kept = Math.min(W, count + kj);
    for (let q = 0; q < B; q++) {
      // Merge the kept list (count values) with the chunk's (kj values), both descending.
      let a = q * W, b = q * kj, at = q * W;
      const aEnd = a + count, bEnd = b + kj, end = at + kept;
      while (at < end) {
        if (b === bEnd || (a < aEnd && values[a] >= cv[b])) {
          nextValues[at] = values[a];
          nextIndices[at++] = indices[a++];
        } else {
          nextValues[at] = cv[b];
          nextIndices[at++] = first + Number(ci[b++]);
        }
      }
    }
    count = kept;
    [values, nextValues] = [nextValues, values];
    [indices, nextIndices] = [nextIndices, indices];
  }
  return { values, indices, count, ortSeconds };
}
