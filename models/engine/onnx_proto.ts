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

class Writer {
  #bytes: number[] = [];
  varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.#bytes.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#bytes.push(Number(v));
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
    for (const b of data) this.#bytes.push(b);
  }
  string(field: number, text: string): void {
    this.bytes(field, new TextEncoder().encode(text));
  }
  message(field: number, build: (w: Writer) => void): void {
    const inner = new Writer();
    build(inner);
    this.bytes(field, inner.finish());
  }
  float(field: number, value: number): void {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.#bytes.push(x);
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.#bytes);
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
    w.bytes(4, new TextEncoder().encode(value));
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
