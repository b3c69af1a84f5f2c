/**
 * `--models onnx:PATH`: a model trained elsewhere, evaluated under the suite's
 * protocol through ONNX Runtime. The file must follow `docs/onnx-contract.md`
 * (inputs `history` int64 `[batch, L]` and `mask` float32 `[batch, L]`,
 * optionally `routing_init` float32 `[batch, K, L]`; outputs `interests`
 * float32 `[batch, K, d]` and `item_embeddings` float32 `[n, d]`), with the
 * item-id file `PATH` minus `.onnx` plus `.json` beside it. The model is not
 * trained: `fit` loads and checks it and maps the dataset's items to its rows.
 *
 * @module
 */
import { basename } from "node:path";
import { scoreRows } from "../../retrieval/exact.ts";
import { queryHistories } from "../_sequential/sampler.ts";
import { loadOrtRuntime, type OrtRuntime, type OrtSession } from "../engine/ort_backend.ts";
import type { Embeddings, FitContext, Model, ModelSpec, Query, TrainingData } from "../types.ts";
import type { Rng } from "../../data/rng.ts";
import { type OnnxSidecar, sidecarPath } from "./onnx.ts";

/** The `onnx:` prefix of `--models` entries. */
export const ONNX_PREFIX = "onnx:";

const TYPE_NAMES: Record<number, string> = { 1: "float32", 6: "int32", 7: "int64" };

/** What the contract fixes about one graph input or output. */
interface Expected {
  name: string;
  type: number;
  rank: number;
}

const INPUTS: Expected[] = [
  { name: "history", type: 7, rank: 2 },
  { name: "mask", type: 1, rank: 2 },
];
const OPTIONAL_INPUTS: Expected[] = [{ name: "routing_init", type: 1, rank: 3 }];
const OUTPUTS: Expected[] = [
  { name: "interests", type: 1, rank: 3 },
  { name: "item_embeddings", type: 1, rank: 2 },
];

function describe(
  m: { type: number; shape: readonly number[]; symbolicDimensions: readonly string[] },
) {
  const dims = m.shape.map((d, i) => d >= 0 ? String(d) : m.symbolicDimensions[i] || "?");
  return `${TYPE_NAMES[m.type] ?? `type ${m.type}`} [${dims.join(", ")}]`;
}

/**
 * Loads and checks an ONNX model against the contract.
 *
 * @param path The `.onnx` file.
 * @param ort ONNX Runtime.
 * @returns The session, the sidecar, and the sizes L and K read from the graph.
 * @throws TypeError naming the offending input, output or shape.
 */
export async function openOnnxModel(
  path: string,
  ort: OrtRuntime,
): Promise<{ session: OrtSession; sidecar: OnnxSidecar; maxlen: number; interests: number }> {
  const where = `ONNX model "${path}"`;
  const bytes = await Deno.readFile(path).catch((e) => {
    throw new Error(`Cannot read ${where}: ${(e as Error).message}`);
  });
  let session: OrtSession;
  try {
    session = ort.load(bytes);
  } catch (e) {
    throw new TypeError(`${where} is not a model ONNX Runtime can load: ${(e as Error).message}`);
  }
  const sidecarFile = sidecarPath(path);
  const sidecar = JSON.parse(
    await Deno.readTextFile(sidecarFile).catch((e) => {
      throw new Error(
        `Cannot read the item-id file "${sidecarFile}" of ${where}: ${(e as Error).message}`,
      );
    }),
  ) as OnnxSidecar;
  if (!Array.isArray(sidecar.items) || !sidecar.items.every((x) => typeof x === "string")) {
    throw new TypeError(
      `Item-id file "${sidecarFile}": "items" must be a list of raw item id strings`,
    );
  }
  if (sidecar.protocol !== "sequential") {
    throw new TypeError(
      `Item-id file "${sidecarFile}": "protocol" must be "sequential", found ${
        JSON.stringify(sidecar.protocol)
      }`,
    );
  }
  const inputs = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const outputs = new Map(session.outputMetadata.map((m) => [m.name, m]));
  const known = new Set([...INPUTS, ...OPTIONAL_INPUTS].map((e) => e.name));
  for (const name of inputs.keys()) {
    if (!known.has(name)) {
      throw new TypeError(
        `${where}: input "${name}" is not in the contract (history, mask, routing_init)`,
      );
    }
  }
  const check = (
    kind: string,
    e: Expected,
    m: typeof session.inputMetadata[number] | undefined,
  ) => {
    if (!m) throw new TypeError(`${where}: missing ${kind} "${e.name}"`);
    if (m.type !== e.type || m.shape.length !== e.rank) {
      throw new TypeError(
        `${where}: ${kind} "${e.name}" must be ${TYPE_NAMES[e.type]} of rank ${e.rank}, found ${
          describe(m)
        }`,
      );
    }
  };
  for (const e of INPUTS) check("input", e, inputs.get(e.name));
  for (const e of OUTPUTS) check("output", e, outputs.get(e.name));
  const history = inputs.get("history")!, mask = inputs.get("mask")!;
  const maxlen = history.shape[1];
  if (!(maxlen > 0)) {
    throw new TypeError(
      `${where}: input "history" needs a fixed history length L, found ${describe(history)}`,
    );
  }
  if (mask.shape[1] !== maxlen) {
    throw new TypeError(
      `${where}: input "mask" must be [batch, ${maxlen}] like "history", found ${describe(mask)}`,
    );
  }
  const interests = outputs.get("interests")!.shape[1];
  if (!(interests > 0)) {
    throw new TypeError(
      `${where}: output "interests" needs a fixed number of interests K, found ${
        describe(outputs.get("interests")!)
      }`,
    );
  }
  const routing = inputs.get("routing_init");
  if (routing) {
    check("input", OPTIONAL_INPUTS[0], routing);
    if (routing.shape[1] !== interests || routing.shape[2] !== maxlen) {
      throw new TypeError(
        `${where}: input "routing_init" must be [batch, ${interests}, ${maxlen}], found ${
          describe(routing)
        }`,
      );
    }
  }
  return { session, sidecar, maxlen, interests };
}

/** A model evaluated from an ONNX file. */
class OnnxModel implements Model {
  readonly interests: number;
  #items = new Float32Array(0);
  #rowOf = new Int32Array(0);
  #dim = 1;
  #routing: Rng | undefined;

  constructor(
    readonly path: string,
    readonly ort: OrtRuntime,
    readonly opened: Awaited<ReturnType<typeof openOnnxModel>>,
  ) {
    this.interests = opened.interests;
  }

  fit(data: TrainingData, context: FitContext): void {
    const where = `ONNX model "${this.path}"`;
    if (!context.itemIds) {
      throw new TypeError(
        `${where} needs the dataset's raw item ids (run it through the bench runner)`,
      );
    }
    if (context.itemIds.length !== data.numItems) {
      throw new RangeError(
        `${where}: ${context.itemIds.length} raw item ids for ${data.numItems} items`,
      );
    }
    const row = new Map(this.opened.sidecar.items.map((id, i) => [id, i]));
    const missing = context.itemIds.filter((id) => !row.has(id));
    if (missing.length > 0) {
      throw new RangeError(
        `${where}: ${missing.length} of the dataset's ${data.numItems} items are not in its item-id file ` +
          `"${sidecarPath(this.path)}" (first: "${missing[0]}")`,
      );
    }
    this.#rowOf = Int32Array.from(context.itemIds, (id) => row.get(id)!);
    const out = this.#run(Int32Array.of(-1), 1, ["item_embeddings"]).item_embeddings;
    const table = out.data as Float32Array, [n, d] = out.dims;
    if (n !== this.opened.sidecar.items.length) {
      throw new TypeError(
        `${where}: output "item_embeddings" has ${n} rows, its item-id file lists ${this.opened.sidecar.items.length} items`,
      );
    }
    this.#dim = d;
    this.#items = new Float32Array(data.numItems * d);
    for (let i = 0; i < data.numItems; i++) {
      this.#items.set(table.subarray(this.#rowOf[i] * d, (this.#rowOf[i] + 1) * d), i * d);
    }
    this.#routing = context.rng("routing");
  }

  #run(history: Int32Array, batch: number, fetch: string[]) {
    const L = this.opened.maxlen, K = this.interests;
    const ids = new BigInt64Array(batch * L), mask = new Float32Array(batch * L);
    for (let i = 0; i < Math.min(history.length, batch * L); i++) {
      if (history[i] >= 0) {
        ids[i] = BigInt(this.#rowOf[history[i]]);
        mask[i] = 1;
      }
    }
    const feeds: Record<string, unknown> = {
      history: new this.ort.Tensor("int64", ids, [batch, L]),
      mask: new this.ort.Tensor("float32", mask, [batch, L]),
    };
    if (this.opened.session.inputMetadata.some((m) => m.name === "routing_init")) {
      const init = new Float32Array(batch * K * L);
      if (this.#routing) { for (let i = 0; i < init.length; i++) init[i] = this.#routing.normal(); }
      feeds.routing_init = new this.ort.Tensor("float32", init, [batch, K, L]);
    }
    return this.opened.session.run(feeds, Object.fromEntries(fetch.map((f) => [f, null])), {});
  }

  embedQueries(queries: readonly Query[]): Embeddings {
    const { history } = queryHistories(queries, this.opened.maxlen);
    const B = queries.length, K = this.interests, d = this.#dim;
    if (B === 0) return { users: new Float32Array(0), items: this.#items, dim: d };
    const out = this.#run(history, B, ["interests"]).interests;
    if (out.dims[0] !== B || out.dims[1] !== K || out.dims[2] !== d) {
      throw new TypeError(
        `ONNX model "${this.path}": output "interests" is [${out.dims}], expected [${B}, ${K}, ${d}]`,
      );
    }
    return { users: out.data as Float32Array, items: this.#items, dim: d };
  }

  score(queries: readonly Query[], out: Float32Array): void {
    const e = this.embedQueries(queries);
    scoreRows(e, 0, queries.length * this.interests, out);
  }

  parameterCount(): number {
    return this.#items.length;
  }
}

/**
 * The model spec of `--models onnx:PATH`.
 *
 * @param ref `onnx:` followed by the path of the `.onnx` file.
 * @returns The spec (named `onnx:<file name>`).
 * @throws TypeError naming the offending input, output or shape when the file breaks the contract.
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { onnxModelSpec } from "./onnx_model.ts";
 * await rejects(onnxModelSpec("onnx:/nonexistent.onnx"), /Cannot read/);
 * ```
 */
export async function onnxModelSpec(ref: string): Promise<ModelSpec<object>> {
  const path = ref.slice(ONNX_PREFIX.length);
  const ort = await loadOrtRuntime({ threads: 2 });
  const opened = await openOnnxModel(path, ort);
  const name = `onnx:${basename(path).replace(/\.onnx$/, "")}`;
  return {
    name,
    title: `${basename(path)} (ONNX)`,
    reference: opened.sidecar.source ?? `Model trained elsewhere, read from ${path}`,
    deviations: "Evaluated from an ONNX file (docs/onnx-contract.md); not trained by the suite.",
    protocols: [opened.sidecar.protocol],
    defaults: {},
    configure: (o = {}) => {
      if (Object.keys(o).length > 0) throw new TypeError(`Model "${name}" has no config keys`);
      return {};
    },
    create: () => new OnnxModel(path, ort, opened),
  };
}
