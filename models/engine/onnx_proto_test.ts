import { deepStrictEqual, ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { capsuleGraph, gru4recGraph } from "../export/encoders.ts";
import { type AttributeValue, encodeModel, type GraphSpec, OnnxType } from "./onnx_proto.ts";
import { loadOrtRuntime } from "./ort_backend.ts";

/**
 * The protobuf encoding written the plainest way: one byte at a time, a nested
 * message encoded on its own and copied in after its length. `encodeModel`
 * must give exactly these bytes.
 */
function referenceEncoding(graph: GraphSpec): Uint8Array {
  type Out = number[];
  const varint = (o: Out, value: number | bigint) => {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      o.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    o.push(Number(v));
  };
  const int = (o: Out, field: number, value: number | bigint) => {
    varint(o, field << 3);
    varint(o, value);
  };
  const bytes = (o: Out, field: number, data: ArrayLike<number>) => {
    varint(o, (field << 3) | 2);
    varint(o, data.length);
    for (let i = 0; i < data.length; i++) o.push(data[i]);
  };
  const text = (o: Out, field: number, s: string) => bytes(o, field, new TextEncoder().encode(s));
  const message = (o: Out, field: number, build: (inner: Out) => void) => {
    const inner: Out = [];
    build(inner);
    bytes(o, field, inner);
  };
  const attribute = (o: Out, name: string, value: AttributeValue) => {
    text(o, 1, name);
    if (typeof value === "number") {
      int(o, 3, value);
      int(o, 20, 2);
    } else if (typeof value === "string") {
      text(o, 4, value);
      int(o, 20, 3);
    } else if (Array.isArray(value)) {
      for (const v of value) int(o, 8, v);
      int(o, 20, 7);
    } else {
      varint(o, (2 << 3) | 5);
      const b = new Uint8Array(4);
      new DataView(b.buffer).setFloat32(0, (value as { float: number }).float, true);
      o.push(...b);
      int(o, 20, 1);
    }
  };
  const valueInfo = (o: Out, v: GraphSpec["inputs"][number]) => {
    text(o, 1, v.name);
    message(o, 2, (type) =>
      message(type, 1, (tensor) => {
        int(tensor, 1, v.type);
        message(tensor, 2, (shape) => {
          for (const d of v.shape) {
            message(shape, 1, (dim) => typeof d === "number" ? int(dim, 1, d) : text(dim, 2, d));
          }
        });
      }));
  };
  const out: Out = [];
  int(out, 1, 8);
  text(out, 2, "recbench");
  message(out, 7, (g) => {
    graph.nodes.forEach((n, i) => {
      message(g, 1, (node) => {
        for (const input of n.inputs) text(node, 1, input);
        for (const output of n.outputs) text(node, 2, output);
        text(node, 3, `${n.op}_${i}`);
        text(node, 4, n.op);
        for (const [name, value] of Object.entries(n.attributes ?? {})) {
          message(node, 5, (a) => attribute(a, name, value));
        }
      });
    });
    text(g, 2, graph.name);
    for (const t of graph.initializers ?? []) {
      message(g, 5, (tw) => {
        for (const d of t.dims) int(tw, 1, d);
        const type = t.data instanceof Float32Array
          ? OnnxType.FLOAT
          : t.data instanceof BigInt64Array
          ? OnnxType.INT64
          : OnnxType.INT32;
        int(tw, 2, type);
        text(tw, 8, t.name);
        bytes(tw, 9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      });
    }
    for (const v of graph.inputs) message(g, 11, (vw) => valueInfo(vw, v));
    for (const v of graph.outputs) message(g, 12, (vw) => valueInfo(vw, v));
  });
  message(out, 8, (o) => {
    text(o, 1, "");
    int(o, 2, graph.opset ?? 17);
  });
  return Uint8Array.from(out);
}

const rng = new Rng(3);
const floats = (n: number) => Float32Array.from({ length: n }, () => rng.normal());

/** Every field kind: all attribute types (negative ints too), three initializer types of small and large sizes, symbolic and fixed dims, non-ASCII and long names. */
const mixed: GraphSpec = {
  name: "mixed-ünïcode",
  nodes: [
    { op: "Identity", inputs: ["big"], outputs: ["big_out"] },
    { op: "Identity", inputs: ["small"], outputs: ["small_out"] },
    { op: "Identity", inputs: ["ints"], outputs: ["ints_out"] },
    { op: "Identity", inputs: ["i32"], outputs: ["i32_out"] },
    { op: "Softmax", inputs: ["x"], outputs: ["y"], attributes: { axis: -1 } },
    {
      op: "LeakyRelu",
      inputs: ["y"],
      outputs: ["z"],
      attributes: { alpha: { float: 0.125 } },
    },
    {
      op: "Transpose",
      inputs: ["z"],
      outputs: ["w".repeat(300)],
      attributes: { perm: [1, 0] },
    },
    {
      op: "Cast",
      inputs: ["w".repeat(300)],
      outputs: ["casted"],
      attributes: { to: OnnxType.FLOAT },
    },
  ],
  inputs: [{ name: "x", type: OnnxType.FLOAT, shape: ["batch", 5] }],
  outputs: [
    { name: "casted", type: OnnxType.FLOAT, shape: [5, "batch"] },
    { name: "big_out", type: OnnxType.FLOAT, shape: [300, 7] },
    { name: "small_out", type: OnnxType.FLOAT, shape: [] },
    { name: "ints_out", type: OnnxType.INT64, shape: [4] },
    { name: "i32_out", type: OnnxType.INT32, shape: [3] },
  ],
  initializers: [
    { name: "big", dims: [300, 7], data: floats(2100) },
    { name: "small", dims: [], data: Float32Array.of(-0.5) },
    { name: "ints", dims: [4], data: BigInt64Array.of(-1n, 0n, 2n ** 40n, 127n) },
    { name: "i32", dims: [3], data: Int32Array.of(-7, 128, 2 ** 30) },
  ],
  opset: 18,
};

Deno.test("encodeModel() writes the same bytes as a byte-at-a-time reference encoding", () => {
  const graphs: GraphSpec[] = [
    mixed,
    capsuleGraph(
      { items: floats(40 * 8), w: floats(8 * 8), proj: floats(64), bias: floats(8) },
      { maxlen: 6, interests: 3, dim: 8 },
      { randomInit: true },
    ),
    gru4recGraph(
      {
        items: floats(40 * 8),
        wx: floats(8 * 24),
        bx: floats(24),
        u: floats(8 * 24),
        bh: floats(24),
      },
      { maxlen: 5, interests: 1, dim: 8 },
    ),
  ];
  for (const graph of graphs) deepStrictEqual(encodeModel(graph), referenceEncoding(graph));
});

Deno.test("ONNX Runtime loads an encoded model and returns its constants bit for bit", async () => {
  const ort = await loadOrtRuntime({ threads: 1 });
  const session = ort.load(encodeModel(mixed));
  const x = new ort.Tensor("float32", floats(10), [2, 5]);
  const out = session.run({ x }, {
    big_out: null,
    small_out: null,
    ints_out: null,
    i32_out: null,
    casted: null,
  }, {});
  for (const [name, init] of [["big_out", 0], ["small_out", 1], ["ints_out", 2], ["i32_out", 3]]) {
    deepStrictEqual(out[name as string].data, mixed.initializers![init as number].data);
  }
  deepStrictEqual(out.casted.dims, [5, 2]);
  ok((out.casted.data as Float32Array).every(Number.isFinite));
});
