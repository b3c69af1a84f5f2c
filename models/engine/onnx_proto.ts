/**
 * A minimal ONNX model writer: just enough of the ONNX protobuf schema
 * (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
 * ValueInfoProto) to build graphs in the project, with no converter package.
 *
 * Field numbers follow onnx/onnx.proto3.
 *
 * @module
 */

/** ONNX tensor element types used here. */
export const OnnxType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** A graph input or output: name, element type and shape (numbers or symbolic names). */
export interface ValueInfo {
  /** Tensor name. */
  name: string;
  /** Element type, a value of {@linkcode OnnxType}. */
  type: number;
  /** Dimensions: a number is fixed, a string is a symbolic dimension. */
  shape: readonly (number | string)[];
}

/** An attribute value: int, float, ints, or string. */
export type AttributeValue = number | { float: number } | readonly number[] | string;

/** One graph node. */
export interface NodeSpec {
  /** Operator type, e.g. `"Gemm"`. */
  op: string;
  /** Input tensor names (`""` for an omitted optional input). */
  inputs: readonly string[];
  /** Output tensor names. */
  outputs: readonly string[];
  /** Attributes by name. Plain numbers are ints; wrap floats as `{ float: x }`. */
  attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A constant tensor baked into the graph. */
export interface Initializer {
  /** Tensor name. */
  name: string;
  /** Dimensions. */
  dims: readonly number[];
  /** Values. */
  data: Float32Array | BigInt64Array | Int32Array;
}

/** A whole graph. */
export interface GraphSpec {
  /** Graph name. */
  name: string;
  /** Nodes in topological order. */
  nodes: readonly NodeSpec[];
  /** Inputs. */
  inputs: readonly ValueInfo[];
  /** Outputs. */
  outputs: readonly ValueInfo[];
  /** Constants. */
  initializers?: readonly Initializer[];
  /** Default opset version. @default {17} */
  opset?: number;
}

const UTF8 = new TextEncoder();

/** Byte strings longer than this are kept by reference and copied once, into the result. */
const INLINE_BYTES = 256;

/**
 * A protobuf writer that preallocates: small fields go into a growing scratch
 * buffer, large byte strings (tensor data) are kept by reference, a nested
 * message's length prefix is written from its writer's running length, and
 * `finish` copies every piece once into one `Uint8Array` of the final size.
 * Encoding a 94 MB item table therefore copies its bytes once, with one `set`.
 */
class Writer {
  #pieces: Uint8Array[] = [];
  #scratch = new Uint8Array(INLINE_BYTES);
  #at = 0;
  #length = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  /** Makes room for `bytes` more in the scratch buffer. */
  #room(bytes: number): void {
    if (this.#at + bytes <= this.#scratch.length) return;
    this.#flush();
    if (bytes > this.#scratch.length) this.#scratch = new Uint8Array(Math.max(bytes, INLINE_BYTES));
  }

  /** Moves the scratch buffer's bytes into the pieces; the rest of it stays scratch. */
  #flush(): void {
    if (this.#at === 0) return;
    this.#pieces.push(this.#scratch.subarray(0, this.#at));
    this.#scratch = this.#scratch.length - this.#at >= 16
      ? this.#scratch.subarray(this.#at)
      : new Uint8Array(INLINE_BYTES);
    this.#at = 0;
  }

  varint(value: number | bigint): void {
    this.#room(10);
    const start = this.#at;
    if (typeof value === "number" && value >= 0 && value <= 0x7fffffff) {
      let v = value;
      while (v >= 0x80) {
        this.#scratch[this.#at++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.#scratch[this.#at++] = v;
    } else {
      // Negative ints are 64-bit two's complement, as protobuf's int64.
      let v = BigInt.asUintN(64, BigInt(value));
      while (v >= 0x80n) {
        this.#scratch[this.#at++] = Number(v & 0x7fn) | 0x80;
        v >>= 7n;
      }
      this.#scratch[this.#at++] = Number(v);
    }
    this.#length += this.#at - start;
  }
  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  int(field: number, value: number | bigint): void {
    this.tag(field, 0);
    this.varint(value);
  }
  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.#raw(data);
  }
  #raw(data: Uint8Array): void {
    if (data.length <= INLINE_BYTES) {
      this.#room(data.length);
      this.#scratch.set(data, this.#at);
      this.#at += data.length;
    } else {
      this.#flush();
      this.#pieces.push(data);
    }
    this.#length += data.length;
  }
  string(field: number, text: string): void {
    this.bytes(field, UTF8.encode(text));
  }
  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.tag(field, 2);
    this.varint(inner.length);
    inner.#flush();
    this.#flush();
    for (const piece of inner.#pieces) this.#pieces.push(piece);
    this.#length += inner.length;
  }
  float(field: number, value: number): void {
    this.tag(field, 5);
    this.#room(4);
    new DataView(this.#scratch.buffer, this.#scratch.byteOffset).setFloat32(this.#at, value, true);
    this.#at += 4;
    this.#length += 4;
  }
  finish(): Uint8Array {
    this.#flush();
    const out = new Uint8Array(this.#length);
    let at = 0;
    for (const piece of this.#pieces) {
      out.set(piece, at);
      at += piece.length;
    }
    return out;
  }
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.int(1, v.type);
      tensor.message(2, (shape) => {
        for (const d of v.shape) {
          shape.message(1, (dim) => typeof d === "number" ? dim.int(1, d) : dim.string(2, d));
        }
      });
    }));
}

function writeAttribute(w: Writer, name: string, value: AttributeValue): void {
  w.string(1, name);
  if (typeof value === "number") {
    w.int(3, value);
    w.int(20, 2);
  } else if (typeof value === "string") {
    w.bytes(4, UTF8.encode(value));
    w.int(20, 3);
  } else if (Array.isArray(value)) {
    for (const v of value) w.int(8, v);
    w.int(20, 7);
  } else {
    w.float(2, (value as { float: number }).float);
    w.int(20, 1);
  }
}

function writeInitializer(w: Writer, t: Initializer): void {
  for (const d of t.dims) w.int(1, d);
  const type = t.data instanceof Float32Array
    ? OnnxType.FLOAT
    : t.data instanceof BigInt64Array
    ? OnnxType.INT64
    : OnnxType.INT32;
  w.int(2, type);
  w.string(8, t.name);
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/**
 * Serialises a graph as an ONNX model (IR version 8).
 *
 * @param graph The graph.
 * @returns The model bytes, ready for `InferenceSession.create`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { encodeModel, OnnxType } from "./onnx_proto.ts";
 * const bytes = encodeModel({
 *   name: "mm",
 *   nodes: [{ op: "MatMul", inputs: ["a", "b"], outputs: ["c"] }],
 *   inputs: [{ name: "a", type: OnnxType.FLOAT, shape: ["m", "k"] },
 *     { name: "b", type: OnnxType.FLOAT, shape: ["k", "n"] }],
 *   outputs: [{ name: "c", type: OnnxType.FLOAT, shape: ["m", "n"] }],
 * });
 * ok(bytes.length > 50);
 * ```
 */
export function encodeModel(graph: GraphSpec): Uint8Array {
  const w = new Writer();
  w.int(1, 8); // ir_version
  w.string(2, "recbench");
  w.message(7, (g) => {
    graph.nodes.forEach((n, i) => {
      g.message(1, (node) => {
        for (const input of n.inputs) node.string(1, input);
        for (const output of n.outputs) node.string(2, output);
        node.string(3, `${n.op}_${i}`);
        node.string(4, n.op);
        for (const [name, value] of Object.entries(n.attributes ?? {})) {
          node.message(5, (a) => writeAttribute(a, name, value));
        }
      });
    });
    g.string(2, graph.name);
    for (const t of graph.initializers ?? []) g.message(5, (tw) => writeInitializer(tw, t));
    for (const v of graph.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of graph.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => {
    o.string(1, "");
    o.int(2, graph.opset ?? 17);
  });
  return w.finish();
}
