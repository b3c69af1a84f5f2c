/**
 * ONNX Runtime products: one small session per product shape family (Gemm
 * with transpose attributes; MatMul with Transpose nodes for batches), built
 * in the project with `onnx_proto.ts`, run synchronously through the
 * package's native binding (about 12 microseconds a call here, against about
 * 50 for the promise-based `InferenceSession.run`, which defers every call to
 * the next event-loop turn).
 *
 * @module
 */
import { createRequire } from "node:module";
import type { Backend, ProductOptions, UnaryFunction } from "./backend.ts";
import { encodeModel, OnnxType } from "./onnx_proto.ts";

/** The pieces of `onnxruntime-node` used here. */
interface OrtModule {
  Tensor: new (type: "float32", data: Float32Array, dims: readonly number[]) => unknown;
}
interface NativeSession {
  loadModel(buffer: ArrayBufferLike, offset: number, length: number, options: object): void;
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, { data: Float32Array }>;
}
interface Binding {
  binding: { InferenceSession: new () => NativeSession };
  initOrt(): void;
}

const F = OnnxType.FLOAT;

function gemmModel(transA: number, transB: number): Uint8Array {
  return encodeModel({
    name: "gemm",
    nodes: [{ op: "Gemm", inputs: ["a", "b"], outputs: ["c"], attributes: { transA, transB } }],
    inputs: [{ name: "a", type: F, shape: ["a0", "a1"] }, {
      name: "b",
      type: F,
      shape: ["b0", "b1"],
    }],
    outputs: [{ name: "c", type: F, shape: ["m", "n"] }],
  });
}

function bmmModel(transA: boolean, transB: boolean): Uint8Array {
  const nodes = [];
  let a = "a", b = "b";
  if (transA) {
    nodes.push({
      op: "Transpose",
      inputs: ["a"],
      outputs: ["at"],
      attributes: { perm: [0, 2, 1] },
    });
    a = "at";
  }
  if (transB) {
    nodes.push({
      op: "Transpose",
      inputs: ["b"],
      outputs: ["bt"],
      attributes: { perm: [0, 2, 1] },
    });
    b = "bt";
  }
  nodes.push({ op: "MatMul", inputs: [a, b], outputs: ["c"] });
  return encodeModel({
    name: "bmm",
    nodes,
    inputs: [
      { name: "a", type: F, shape: ["s", "a1", "a2"] },
      { name: "b", type: F, shape: ["s", "b1", "b2"] },
    ],
    outputs: [{ name: "c", type: F, shape: ["s", "m", "n"] }],
  });
}

function unaryModel(op: string): Uint8Array {
  return encodeModel({
    name: op,
    nodes: [{ op, inputs: ["a"], outputs: ["c"] }],
    inputs: [{ name: "a", type: F, shape: ["n"] }],
    outputs: [{ name: "c", type: F, shape: ["n"] }],
  });
}

/** A tensor value as the native binding takes and returns it. */
export interface OrtValue {
  /** Values. */
  data: Float32Array | BigInt64Array | Int32Array;
  /** Dimensions. */
  dims: readonly number[];
}

/** A loaded ONNX Runtime session, run synchronously. */
export interface OrtSession {
  /**
   * Runs the session.
   *
   * @param feeds Inputs by name (made with {@linkcode OrtRuntime.Tensor}).
   * @param fetches Output names, each mapped to `null`.
   * @param options Run options (`{}`).
   * @returns Outputs by name.
   */
  run(
    feeds: Record<string, unknown>,
    fetches: Record<string, null>,
    options: object,
  ): Record<string, OrtValue>;
  /** The graph's inputs, in order (`shape` holds -1 where `symbolicDimensions` names it). */
  readonly inputMetadata: readonly OrtValueMetadata[];
  /** The graph's outputs, in order. */
  readonly outputMetadata: readonly OrtValueMetadata[];
}

/** What the native binding says about one graph input or output. */
export interface OrtValueMetadata {
  /** Name. */
  name: string;
  /** False for sequences and maps. */
  isTensor: boolean;
  /** ONNX element type (1 float, 6 int32, 7 int64). */
  type: number;
  /** Dimensions; -1 for a symbolic one. */
  shape: readonly number[];
  /** Names of the symbolic dimensions ("" where fixed). */
  symbolicDimensions: readonly string[];
}

/** ONNX Runtime as the project uses it: tensors and synchronous sessions. */
export interface OrtRuntime {
  /** `onnxruntime-node`'s tensor constructor. */
  Tensor: new (
    type: "float32" | "int64" | "int32",
    data: Float32Array | BigInt64Array | Int32Array,
    dims: readonly number[],
  ) => unknown;
  /**
   * Loads a model.
   *
   * @param model ONNX bytes.
   * @returns The session.
   */
  load(model: Uint8Array): OrtSession;
}

/**
 * Loads `onnxruntime-node` and its native binding (needs `--allow-ffi`), with
 * the project's session options (fixed threads, no spinning).
 *
 * @param options Intra-op threads.
 * @returns Tensor constructor and a session loader.
 * @throws If the package or its native library cannot load.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadOrtRuntime } from "./ort_backend.ts";
 * const ort = await loadOrtRuntime({ threads: 1 });
 * ok(typeof ort.load === "function");
 * ```
 */
export async function loadOrtRuntime(options: OrtBackendOptions = {}): Promise<OrtRuntime> {
  const threads = options.threads ?? 2;
  const ort = (await import("onnxruntime-node")) as unknown as OrtRuntime;
  const require = createRequire(import.meta.url);
  const native = require("onnxruntime-node/dist/binding.js") as Binding;
  native.initOrt();
  const sessionOptions = {
    intraOpNumThreads: threads,
    interOpNumThreads: 1,
    executionMode: "sequential",
    graphOptimizationLevel: "all",
    // Without this, ONNX Runtime's worker threads spin after each call and
    // take the core the element-wise TypeScript work needs (measured: a
    // 2560x64x256 product went from 2.4 ms to 6 ms).
    extra: { session: { intra_op: { allow_spinning: "0" } } },
  };
  return {
    Tensor: ort.Tensor,
    load(model: Uint8Array): OrtSession {
      const s = new native.binding.InferenceSession();
      s.loadModel(model.buffer, model.byteOffset, model.byteLength, sessionOptions);
      return s as unknown as OrtSession;
    },
  };
}

/** Options of {@linkcode createOrtBackend}. */
export interface OrtBackendOptions {
  /** Intra-op threads (fixed for determinism). @default {2} */
  threads?: number;
}

/**
 * The array itself, or a private copy when it lives in a SharedArrayBuffer
 * (tables the training threads update): ONNX Runtime's binding refuses shared
 * memory ("Invalid argument").
 *
 * @param x Values.
 * @returns Values ONNX Runtime accepts.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ortFloats } from "./ort_backend.ts";
 * const shared = new Float32Array(new SharedArrayBuffer(8));
 * ok(!(ortFloats(shared).buffer instanceof SharedArrayBuffer));
 * ```
 */
export function ortFloats(x: Float32Array): Float32Array {
  return x.buffer instanceof SharedArrayBuffer ? x.slice() : x;
}

/**
 * Loads ONNX Runtime and builds the product sessions.
 *
 * @param options Thread count.
 * @returns The backend.
 * @throws If `onnxruntime-node` cannot load (callers fall back to TypeScript).
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { createOrtBackend } from "./ort_backend.ts";
 * const ort = await createOrtBackend({ threads: 1 });
 * deepStrictEqual([...ort.gemm(Float32Array.of(1, 2), Float32Array.of(3, 4), 1, 2, 1)], [11]);
 * ```
 */
export async function createOrtBackend(options: OrtBackendOptions = {}): Promise<Backend> {
  const threads = options.threads ?? 2;
  const runtime = await loadOrtRuntime({ threads });
  const ort = { Tensor: runtime.Tensor } as OrtModule;
  const load = (model: Uint8Array) => runtime.load(model) as unknown as NativeSession;
  const gemm = [[load(gemmModel(0, 0)), load(gemmModel(0, 1))], [
    load(gemmModel(1, 0)),
    load(gemmModel(1, 1)),
  ]];
  const bmm = [[load(bmmModel(false, false)), load(bmmModel(false, true))], [
    load(bmmModel(true, false)),
    load(bmmModel(true, true)),
  ]];
  const unary: Record<UnaryFunction, NativeSession> = {
    tanh: load(unaryModel("Tanh")),
    sigmoid: load(unaryModel("Sigmoid")),
    exp: load(unaryModel("Exp")),
  };
  const graphs = new Map<string, NativeSession>();
  const fetches = { c: null };
  const run = (s: NativeSession, a: Float32Array, ad: number[], b: Float32Array, bd: number[]) => {
    const out = s.run(
      {
        a: new ort.Tensor("float32", ortFloats(a), ad),
        b: new ort.Tensor("float32", ortFloats(b), bd),
      },
      fetches,
      {},
    );
    return out.c.data;
  };
  return {
    name: "onnxruntime",
    threads,
    gemm(a, b, m, k, n, o: ProductOptions = {}) {
      const ta = o.transA ? 1 : 0, tb = o.transB ? 1 : 0;
      if (m === 0 || n === 0) return new Float32Array(m * n);
      if (k === 0) return new Float32Array(m * n);
      return run(gemm[ta][tb], a, ta ? [k, m] : [m, k], b, tb ? [n, k] : [k, n]);
    },
    bmm(a, b, batch, m, k, n, o: ProductOptions = {}) {
      const ta = o.transA ? 1 : 0, tb = o.transB ? 1 : 0;
      if (batch === 0 || m === 0 || n === 0 || k === 0) return new Float32Array(batch * m * n);
      return run(
        bmm[ta][tb],
        a,
        ta ? [batch, k, m] : [batch, m, k],
        b,
        tb ? [batch, n, k] : [batch, k, n],
      );
    },
    runGraph(name, build, feeds, outputs) {
      let session = graphs.get(name);
      if (!session) {
        session = load(encodeModel(build()));
        graphs.set(name, session);
      }
      const inputs: Record<string, unknown> = {};
      for (const [key, [data, dims]] of Object.entries(feeds)) {
        inputs[key] = new ort.Tensor("float32", ortFloats(data), dims);
      }
      const result = session.run(inputs, Object.fromEntries(outputs.map((o) => [o, null])), {});
      return outputs.map((o) => result[o].data);
    },
    unary(fn, x) {
      if (x.length === 0) return new Float32Array(0);
      return unary[fn].run({ a: new ort.Tensor("float32", ortFloats(x), [x.length]) }, fetches, {})
        .c.data;
    },
  };
}
