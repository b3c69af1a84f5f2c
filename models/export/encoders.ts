/**
 * ONNX graphs of the sequential family's user encoders, built from trained
 * weights with the project's `onnx_proto.ts`. Every graph follows the contract
 * in `docs/onnx-contract.md`:
 *
 * - inputs `history` (int64 `[batch, L]`, item rows, left-aligned, anything
 *   where `mask` is 0) and `mask` (float32 `[batch, L]`, 1 where `history`
 *   holds an item); MIND also takes `routing_init` (float32 `[batch, K, L]`,
 *   its random initial routing logits);
 * - outputs `interests` (float32 `[batch, K, d]`) and `item_embeddings`
 *   (float32 `[n, d]`, the table scored against, fetched once).
 *
 * The operations mirror the in-process encoders op for op: a padded position
 * gathers a zero row, masked softmaxes give padded positions zero weight.
 *
 * @module
 */
import { type GraphSpec, type Initializer, type NodeSpec, OnnxType } from "../engine/onnx_proto.ts";

const F = OnnxType.FLOAT, I64 = OnnxType.INT64;

/** Sizes shared by every encoder graph. */
export interface EncoderShape {
  /** History length L (fixed: position embeddings depend on it). */
  maxlen: number;
  /** Interests K. */
  interests: number;
  /** Embedding size d. */
  dim: number;
}

/** Collects nodes and constants while a graph is written. */
class Builder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: Initializer[] = [];
  #count = 0;

  op(op: string, inputs: string[], attributes?: NodeSpec["attributes"], outputs = 1): string {
    const names = Array.from({ length: outputs }, () => `t${this.#count++}`);
    this.nodes.push({ op, inputs, outputs: names, ...(attributes ? { attributes } : {}) });
    return names[0];
  }

  const(data: Float32Array | BigInt64Array, dims: number[], name = `c${this.#count++}`): string {
    this.initializers.push({ name, dims, data });
    return name;
  }

  ints(values: number[]): string {
    return this.const(BigInt64Array.from(values, BigInt), [values.length]);
  }

  scalar(value: number): string {
    return this.const(Float32Array.of(value), []);
  }
}

/** The shared prelude: masked item embeddings `x [B, L, d]` and `mask` `[B, L]`. */
function embedHistory(g: Builder, items: Float32Array, dim: number): string {
  const table = g.const(items, [items.length / dim, dim], "item_table");
  g.nodes.push({ op: "Identity", inputs: [table], outputs: ["item_embeddings"] });
  const ids = g.op("Max", ["history", g.const(BigInt64Array.of(0n), [])]);
  const x = g.op("Gather", [table, ids], { axis: 0 });
  return g.op("Mul", [x, g.op("Unsqueeze", ["mask", g.ints([2])])]);
}

function finish(
  g: Builder,
  name: string,
  s: EncoderShape,
  result: string,
  extra = false,
): GraphSpec {
  g.nodes.push({ op: "Identity", inputs: [result], outputs: ["interests"] });
  return {
    name,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [
      { name: "history", type: I64, shape: ["batch", s.maxlen] },
      { name: "mask", type: F, shape: ["batch", s.maxlen] },
      ...(extra
        ? [{ name: "routing_init", type: F, shape: ["batch", s.interests, s.maxlen] }]
        : []),
    ],
    outputs: [
      { name: "interests", type: F, shape: ["batch", s.interests, s.dim] },
      { name: "item_embeddings", type: F, shape: ["items", s.dim] },
    ],
    opset: 17,
  };
}

/** Weights of {@linkcode youtubeDnnGraph}. */
export interface YouTubeDnnWeights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /** Dense layer `[d, d]`. */
  w: Float32Array;
  /** Bias `[d]`. */
  b: Float32Array;
}

/**
 * YouTube DNN: masked mean of the history embeddings, then `x W + b`.
 *
 * @param w Weights.
 * @param s Sizes (K = 1).
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { youtubeDnnGraph } from "./encoders.ts";
 * const g = youtubeDnnGraph({ items: new Float32Array(6), w: new Float32Array(4), b: new Float32Array(2) },
 *   { maxlen: 3, interests: 1, dim: 2 });
 * ok(g.outputs[0].name === "interests");
 * ```
 */
export function youtubeDnnGraph(w: YouTubeDnnWeights, s: EncoderShape): GraphSpec {
  const g = new Builder(), d = s.dim;
  const x = embedHistory(g, w.items, d);
  const sum = g.op("ReduceSum", [x, g.ints([1])], { keepdims: 0 });
  const count = g.op("Max", [
    g.op("ReduceSum", ["mask", g.ints([1])], { keepdims: 1 }),
    g.scalar(1),
  ]);
  const mean = g.op("Div", [sum, count]);
  const user = g.op("Add", [g.op("MatMul", [mean, g.const(w.w, [d, d])]), g.const(w.b, [d])]);
  return finish(g, "youtubednn", s, g.op("Unsqueeze", [user, g.ints([1])]));
}

/** Weights of {@linkcode comirecSaGraph}. */
export interface ComiRecSaWeights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /** Attention `[d, 4d]`. */
  w1: Float32Array;
  /** Attention `[4d, K]`. */
  w2: Float32Array;
  /** Position embeddings `[L, d]`. */
  pos: Float32Array;
}

/**
 * ComiRec-SA (and REMI): `A = masked softmax(W2^T tanh(W1^T (h + p)))`, `V = A h`.
 *
 * @param w Weights.
 * @param s Sizes.
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { comirecSaGraph } from "./encoders.ts";
 * const g = comirecSaGraph({ items: new Float32Array(6), w1: new Float32Array(16),
 *   w2: new Float32Array(16), pos: new Float32Array(6) }, { maxlen: 3, interests: 2, dim: 2 });
 * ok(g.inputs.length === 2);
 * ```
 */
export function comirecSaGraph(w: ComiRecSaWeights, s: EncoderShape): GraphSpec {
  const g = new Builder(), d = s.dim, K = s.interests, h = w.w1.length / d;
  const x = embedHistory(g, w.items, d);
  const xp = g.op("Add", [x, g.const(w.pos, [s.maxlen, d])]);
  const hidden = g.op("Tanh", [g.op("MatMul", [xp, g.const(w.w1, [d, h])])]);
  const logits = g.op("MatMul", [hidden, g.const(w.w2, [h, K])]); // [B, L, K]
  const routing = maskedSoftmax(g, g.op("Transpose", [logits], { perm: [0, 2, 1] }));
  return finish(g, "comirec_sa", s, g.op("MatMul", [routing, x]));
}

/** Weights of {@linkcode re4Graph}. */
export interface Re4Weights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /** Attention `[d, h]`. */
  w1: Float32Array;
  /** Attention `[h, K]`. */
  w2: Float32Array;
  /** Value map `[d, d]`. */
  value: Float32Array;
  /** Output layer `[d, d]`. */
  out: Float32Array;
  /** Output bias `[d]`. */
  outBias: Float32Array;
}

/**
 * Re4's forward flow: `A = masked softmax(W2^T tanh(W1^T h))` (no position
 * embeddings), `Z = A (h W_v)`, interests `tanh(Z W_o + b_o)`.
 *
 * @param w Weights.
 * @param s Sizes.
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { re4Graph } from "./encoders.ts";
 * const g = re4Graph({ items: new Float32Array(6), w1: new Float32Array(16), w2: new Float32Array(16),
 *   value: new Float32Array(4), out: new Float32Array(4), outBias: new Float32Array(2) },
 *   { maxlen: 3, interests: 2, dim: 2 });
 * ok(g.name === "re4");
 * ```
 */
export function re4Graph(w: Re4Weights, s: EncoderShape): GraphSpec {
  const g = new Builder(), d = s.dim, K = s.interests, h = w.w1.length / d;
  const x = embedHistory(g, w.items, d);
  const hidden = g.op("Tanh", [g.op("MatMul", [x, g.const(w.w1, [d, h])])]);
  const logits = g.op("MatMul", [hidden, g.const(w.w2, [h, K])]); // [B, L, K]
  const routing = maskedSoftmax(g, g.op("Transpose", [logits], { perm: [0, 2, 1] }));
  const z = g.op("MatMul", [routing, g.op("MatMul", [x, g.const(w.value, [d, d])])]);
  const u = g.op("Add", [g.op("MatMul", [z, g.const(w.out, [d, d])]), g.const(w.outBias, [d])]);
  return finish(g, "re4", s, g.op("Tanh", [u]));
}

/** Softmax over the last axis of `[B, K, L]` where `mask [B, L]` is 1. */
function maskedSoftmax(g: Builder, logits: string): string {
  const penalty = g.op("Mul", [g.op("Sub", ["mask", g.scalar(1)]), g.scalar(1e30)]);
  const shifted = g.op("Add", [logits, g.op("Unsqueeze", [penalty, g.ints([1])])]);
  return g.op("Softmax", [shifted], { axis: -1 });
}

/** Weights of {@linkcode capsuleGraph}. */
export interface CapsuleWeights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /**
   * Predictions: ComiRec-DR `[L, d, K d]` (one map per position) or `[d, K d]`
   * (one per interest), MIND `[d, d]` (shared).
   */
  w: Float32Array;
  /** MIND's ReLU layer `[d, d]` (no bias), when it has one. */
  proj?: Float32Array;
  /** A bias `[d]` added before the ReLU (recbench's MIND before issue 12). */
  bias?: Float32Array;
}

/** Options of {@linkcode capsuleGraph}. */
export interface CapsuleOptions {
  /** Routing rounds. @default {3} */
  rounds?: number;
  /** MIND: initial logits from the `routing_init` input; ComiRec-DR starts at zero. */
  randomInit?: boolean;
  /** How `w` maps a history item to its predictions. @default {"per-interest"} */
  map?: "per-position" | "per-interest" | "shared";
  /** Routing softmax over the history positions or the interests. @default {"interests"} */
  softmax?: "positions" | "interests";
}

/**
 * Dynamic routing (ComiRec-DR, MIND), unrolled: `c = softmax(b)` (over the
 * positions, padded ones then zeroed, or over the interests on unpadded
 * positions), `z_k = sum_l c_kl u_kl`, `v = squash(z)`, `b_kl += u_kl . v_k`
 * between rounds.
 *
 * @param w Weights.
 * @param s Sizes.
 * @param options Rounds, MIND's random start, the map and the softmax axis.
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { capsuleGraph } from "./encoders.ts";
 * const g = capsuleGraph({ items: new Float32Array(6), w: new Float32Array(8) },
 *   { maxlen: 3, interests: 2, dim: 2 });
 * ok(g.outputs.length === 2);
 * ```
 */
export function capsuleGraph(
  w: CapsuleWeights,
  s: EncoderShape,
  options: CapsuleOptions = {},
): GraphSpec {
  const g = new Builder(), d = s.dim, K = s.interests, L = s.maxlen;
  const map = options.map ?? "per-interest";
  const x = embedHistory(g, w.items, d);
  // uk: [B, K, L, d] for DR; [B, 1, L, d] broadcast over interests for MIND.
  let uk: string;
  if (map === "shared") {
    uk = g.op("Unsqueeze", [g.op("MatMul", [x, g.const(w.w, [d, d])]), g.ints([1])]);
  } else {
    const u = map === "per-position"
      // [B, L, 1, d] x [L, d, K d] -> [B, L, 1, K d]
      ? g.op("MatMul", [g.op("Unsqueeze", [x, g.ints([2])]), g.const(w.w, [L, d, K * d])])
      : g.op("MatMul", [x, g.const(w.w, [d, K * d])]);
    uk = g.op("Transpose", [g.op("Reshape", [u, g.ints([0, L, K, d])])], { perm: [0, 2, 1, 3] });
  }
  const mask = g.op("Unsqueeze", ["mask", g.ints([1])]); // [B, 1, L]
  let logits = options.randomInit
    ? "routing_init"
    : g.op("Mul", [g.op("Expand", [mask, g.ints([1, K, 1])]), g.scalar(0)]); // zeros [B, K, L]
  const axis = (options.softmax ?? "interests") === "positions" ? 2 : 1;
  const rounds = options.rounds ?? 3;
  let z = "";
  for (let round = 0; round < rounds; round++) {
    const c = g.op("Mul", [g.op("Softmax", [logits], { axis }), mask]); // [B, K, L]
    z = g.op("ReduceSum", [g.op("Mul", [g.op("Unsqueeze", [c, g.ints([3])]), uk]), g.ints([2])], {
      keepdims: 0,
    }); // [B, K, d]
    if (round === rounds - 1) break;
    const v = squash(g, z);
    const agreement = g.op("ReduceSum", [
      g.op("Mul", [uk, g.op("Unsqueeze", [v, g.ints([2])])]),
      g.ints([3]),
    ], { keepdims: 0 });
    logits = g.op("Add", [logits, agreement]);
  }
  let interests = squash(g, z);
  if (w.proj) {
    const projected = g.op("MatMul", [interests, g.const(w.proj, [d, d])]);
    interests = g.op("Relu", [w.bias ? g.op("Add", [projected, g.const(w.bias, [d])]) : projected]);
  }
  return finish(
    g,
    map === "shared" ? "mind" : "comirec_dr",
    s,
    interests,
    options.randomInit ?? false,
  );
}

/** `v = |z|^2 / (1 + |z|^2) * z / sqrt(|z|^2 + 1e-9)` over the last axis. */
function squash(g: Builder, z: string): string {
  const n = g.op("ReduceSum", [g.op("Mul", [z, z]), g.ints([-1])], { keepdims: 1 });
  const f = g.op("Div", [
    g.op("Div", [n, g.op("Add", [n, g.scalar(1)])]),
    g.op("Sqrt", [g.op("Add", [n, g.scalar(1e-9)])]),
  ]);
  return g.op("Mul", [z, f]);
}

/** Weights of {@linkcode gru4recGraph}. */
export interface Gru4RecWeights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /** Input map `[d, 3d]` (gates r, z, n side by side). */
  wx: Float32Array;
  /** Input bias `[3d]`. */
  bx: Float32Array;
  /** Recurrent map `[d, 3d]`. */
  u: Float32Array;
  /** Recurrent bias `[3d]`. */
  bh: Float32Array;
  /** Output layer `[H, d]` after the GRU (REMI's GRU4Rec), absent when the state is the user vector. */
  wo?: Float32Array;
  /** Output bias `[d]`. */
  bo?: Float32Array;
}

/**
 * GRU4Rec: one GRU layer unrolled over the L positions (PyTorch gate order
 * r, z, n, "linear before reset" as `tape.gruStep`): `x = e W + b_x`,
 * `r = σ(x_r + h U_r + b_r)`, `z = σ(x_z + h U_z + b_z)`,
 * `n = tanh(x_n + r (h U_n + b_n))`, `h' = (1 - z) n + z h`; a padded
 * position (`mask` 0) keeps `h`. The final state is the single interest.
 *
 * @param w Weights.
 * @param s Sizes (K = 1).
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { gru4recGraph } from "./encoders.ts";
 * const g = gru4recGraph({ items: new Float32Array(6), wx: new Float32Array(12), bx: new Float32Array(6),
 *   u: new Float32Array(12), bh: new Float32Array(6) }, { maxlen: 3, interests: 1, dim: 2 });
 * ok(g.outputs[0].name === "interests");
 * ```
 */
export function gru4recGraph(w: Gru4RecWeights, s: EncoderShape): GraphSpec {
  const g = new Builder(), d = s.dim, L = s.maxlen;
  // The GRU's width H (d, or REMI's 2d), read from the recurrent map [H, 3H].
  const H = Math.round(Math.sqrt(w.u.length / 3));
  const x = g.op("Add", [
    g.op("MatMul", [embedHistory(g, w.items, d), g.const(w.wx, [d, 3 * H])]),
    g.const(w.bx, [3 * H]),
  ]); // [B, L, 3H]
  const u = g.const(w.u, [H, 3 * H]), bh = g.const(w.bh, [3 * H]);
  const axis1 = g.ints([1]);
  const gate = (t: string, k: number) =>
    g.op("Slice", [t, g.ints([k * H]), g.ints([(k + 1) * H]), g.ints([-1])]);
  // h0 = zeros [B, H], shaped from the input.
  let h = g.op("Mul", [gate(g.op("ReduceSum", [x, axis1], { keepdims: 0 }), 0), g.scalar(0)]);
  for (let t = 0; t < L; t++) {
    const xt = g.op("Gather", [x, g.const(BigInt64Array.of(BigInt(t)), [])], { axis: 1 });
    const hu = g.op("Add", [g.op("MatMul", [h, u]), bh]); // [B, 3H]
    const r = g.op("Sigmoid", [g.op("Add", [gate(xt, 0), gate(hu, 0)])]);
    const z = g.op("Sigmoid", [g.op("Add", [gate(xt, 1), gate(hu, 1)])]);
    const n = g.op("Tanh", [g.op("Add", [gate(xt, 2), g.op("Mul", [r, gate(hu, 2)])])]);
    const next = g.op("Add", [
      g.op("Mul", [g.op("Sub", [g.scalar(1), z]), n]),
      g.op("Mul", [z, h]),
    ]);
    const live = g.op("Cast", [
      g.op("Slice", ["mask", g.ints([t]), g.ints([t + 1]), axis1]),
    ], { to: 9 }); // [B, 1] bool
    h = g.op("Where", [live, next, h]);
  }
  const user = w.wo && w.bo
    ? g.op("Add", [g.op("MatMul", [h, g.const(w.wo, [H, d])]), g.const(w.bo, [d])])
    : h;
  return finish(g, "gru4rec", s, g.op("Unsqueeze", [user, axis1]));
}

/** Weights of {@linkcode userTableGraph}. */
export interface UserTableWeights {
  /** User vectors `[numUsers, K, d]`. */
  users: Float32Array;
  /** Item table `[n, d]`. */
  items: Float32Array;
}

/**
 * A `cf`-family model: its interests are rows of a trained user table,
 * looked up by the dense user index in the `user` input (int64 `[batch]`):
 * `interests = users[user]` `[batch, K, d]` (the `"cf"` protocol of
 * `docs/onnx-contract.md`).
 *
 * @param w The user and item tables.
 * @param s Sizes (`maxlen` unused).
 * @param name Graph name.
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { userTableGraph } from "./encoders.ts";
 * const g = userTableGraph({ users: new Float32Array(6), items: new Float32Array(4) },
 *   { maxlen: 0, interests: 1, dim: 2 });
 * ok(g.inputs[0].name === "user");
 * ```
 */
export function userTableGraph(w: UserTableWeights, s: EncoderShape, name = "cf"): GraphSpec {
  const g = new Builder(), d = s.dim, K = s.interests;
  const table = g.const(w.items, [w.items.length / d, d], "item_table");
  g.nodes.push({ op: "Identity", inputs: [table], outputs: ["item_embeddings"] });
  const users = g.const(w.users, [w.users.length / (K * d), K, d], "user_table");
  g.nodes.push({
    op: "Gather",
    inputs: [users, "user"],
    outputs: ["interests"],
    attributes: { axis: 0 },
  });
  return {
    name,
    nodes: g.nodes,
    initializers: g.initializers,
    inputs: [{ name: "user", type: I64, shape: ["batch"] }],
    outputs: [
      { name: "interests", type: F, shape: ["batch", K, d] },
      { name: "item_embeddings", type: F, shape: ["items", d] },
    ],
    opset: 17,
  };
}

/** Weights of {@linkcode umiGraph} (UMI without a profile: UMI_HN). */
export interface UmiWeights {
  /** Item table `[n, d]`. */
  items: Float32Array;
  /** User-guided attention: `[d, U]`, `[U]`, `[U, 1]`, `[1]`. */
  guide: [Float32Array, Float32Array, Float32Array, Float32Array];
  /** Capsule predictions `[d, K d]`. */
  capsule: Float32Array;
  /** Output layers: `[d, h]`, `[h]`, `[h, d]`, `[d]`. */
  out: [Float32Array, Float32Array, Float32Array, Float32Array];
}

/**
 * UMI_HN (UMI without a profile): user-guided weights
 * `w = sigmoid(relu(x Wa + ba) Wb + bb)`, predictions `u = x W` split by
 * interest, routing from `routing_init` (`c` = softmax over the interests,
 * zero at padding; between rounds the logits become `u . squash(sum_l c w u)`),
 * interests `squash(sum_l c w u)`, then `relu(v W1 + b1) W2 + b2`.
 *
 * @param w Weights.
 * @param s Sizes.
 * @param rounds Routing rounds.
 * @returns The graph.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { umiGraph } from "./encoders.ts";
 * const z = (n: number) => new Float32Array(n);
 * const g = umiGraph({ items: z(6), guide: [z(4), z(2), z(2), z(1)], capsule: z(8),
 *   out: [z(2), z(1), z(2), z(2)] }, { maxlen: 3, interests: 2, dim: 2 }, 3);
 * ok(g.inputs.some((i) => i.name === "routing_init"));
 * ```
 */
export function umiGraph(w: UmiWeights, s: EncoderShape, rounds: number): GraphSpec {
  const g = new Builder(), d = s.dim, K = s.interests, L = s.maxlen;
  const U = w.guide[1].length, h = w.out[1].length;
  const x = embedHistory(g, w.items, d); // [B, L, d]
  const hidden = g.op("Relu", [
    g.op("Add", [g.op("MatMul", [x, g.const(w.guide[0], [d, U])]), g.const(w.guide[1], [U])]),
  ]);
  const weight = g.op("Sigmoid", [
    g.op("Add", [g.op("MatMul", [hidden, g.const(w.guide[2], [U, 1])]), g.const(w.guide[3], [1])]),
  ]); // [B, L, 1]
  const wT = g.op("Transpose", [weight], { perm: [0, 2, 1] }); // [B, 1, L]
  const u = g.op("MatMul", [x, g.const(w.capsule, [d, K * d])]);
  const uk = g.op("Transpose", [g.op("Reshape", [u, g.ints([0, L, K, d])])], {
    perm: [0, 2, 1, 3],
  }); // [B, K, L, d]
  const mask = g.op("Unsqueeze", ["mask", g.ints([1])]); // [B, 1, L]
  let logits = "routing_init", z = "";
  for (let round = 0; round < rounds; round++) {
    const c = g.op("Mul", [g.op("Mul", [g.op("Softmax", [logits], { axis: 1 }), mask]), wT]);
    z = g.op("ReduceSum", [g.op("Mul", [g.op("Unsqueeze", [c, g.ints([3])]), uk]), g.ints([2])], {
      keepdims: 0,
    }); // [B, K, d]
    if (round === rounds - 1) break;
    const v = squash(g, z);
    logits = g.op("ReduceSum", [
      g.op("Mul", [uk, g.op("Unsqueeze", [v, g.ints([2])])]),
      g.ints([3]),
    ], { keepdims: 0 });
  }
  const v = squash(g, z);
  const layer = g.op("Relu", [
    g.op("Add", [g.op("MatMul", [v, g.const(w.out[0], [d, h])]), g.const(w.out[1], [h])]),
  ]);
  const user = g.op("Add", [
    g.op("MatMul", [layer, g.const(w.out[2], [h, d])]),
    g.const(w.out[3], [d]),
  ]);
  return finish(g, "umi", s, user, true);
}
