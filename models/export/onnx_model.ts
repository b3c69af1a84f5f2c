/**
 * `--models onnx:PATH`: a model trained elsewhere, evaluated under the suite's
 * protocol through ONNX Runtime. The file must follow `docs/onnx-contract.md`;
 * its item-id file (`PATH` minus `.onnx` plus `.json`) names the protocol:
 *
 * - `"sequential"`: inputs `history` int64 `[batch, L]` and `mask` float32
 *   `[batch, L]`, optionally `routing_init` float32 `[batch, K, L]`;
 * - `"cf"`: input `user` int64 `[batch]`, rows of the file's user list
 *   (`users` in the item-id file), for the queries' users mapped by raw id.
 *
 * Outputs are `interests` float32 `[batch, K, d]` and `item_embeddings` float32
 * `[n, d]` in both. The model is not trained: `fit` loads and checks it and
 * maps the dataset's items (and, in `cf`, users) to its rows.
 *
 * @module
 */
import { basename } from "node:path";
import { scoreRows } from "../../retrieval/exact.ts";
import { queryHistories } from "../_sequential/sampler.ts";
import { loadOrtRuntime, type OrtRuntime, type OrtSession } from "../engine/ort_backend.ts";
import type {
  Embeddings,
  FitContext,
  Model,
  ModelSpec,
  ProtocolName,
  Query,
  TrainingData,
} from "../types.ts";
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

/** The inputs each protocol's files take: required, then optional. */
const INPUTS: Record<ProtocolName, { required: Expected[]; optional: Expected[] }> = {
  sequential: {
    required: [{ name: "history", type: 7, rank: 2 }, { name: "mask", type: 1, rank: 2 }],
    optional: [{ name: "routing_init", type: 1, rank: 3 }],
  },
  cf: { required: [{ name: "user", type: 7, rank: 1 }], optional: [] },
};
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

/** A loaded ONNX model that follows the contract. */
export interface OpenedOnnxModel {
  /** The ONNX Runtime session. */
  session: OrtSession;
  /** The item-id file (protocol, raw item ids, for `"cf"` raw user ids). */
  sidecar: OnnxSidecar;
  /** `"sequential"`: history length L read from the graph; 0 for `"cf"`. */
  maxlen: number;
  /** Interests K read from the graph. */
  interests: number;
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((v) => typeof v === "string");
}

function contractInputs(protocol: ProtocolName): Expected[] {
  return [...INPUTS[protocol].required, ...INPUTS[protocol].optional];
}

/** The first few of a list of raw ids, quoted. */
function firstIds(ids: readonly string[], count = 5): string {
  const shown = ids.slice(0, count).map((id) => JSON.stringify(id)).join(", ");
  return ids.length > count ? `${shown}, ...` : shown;
}

/**
 * Loads and checks an ONNX model against the contract of the protocol its
 * item-id file names.
 *
 * @param path The `.onnx` file.
 * @param ort ONNX Runtime.
 * @returns The session, the sidecar, and the sizes L and K read from the graph.
 * @throws TypeError naming the offending input, output, shape or item-id file field.
 */
export async function openOnnxModel(path: string, ort: OrtRuntime): Promise<OpenedOnnxModel> {
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
  if (!isStringList(sidecar.items)) {
    throw new TypeError(
      `Item-id file "${sidecarFile}": "items" must be a list of raw item id strings`,
    );
  }
  const protocol = sidecar.protocol;
  if (protocol !== "sequential" && protocol !== "cf") {
    throw new TypeError(
      `Item-id file "${sidecarFile}": "protocol" must be "sequential" or "cf", found ${
        JSON.stringify(protocol)
      }`,
    );
  }
  if (protocol === "cf" && !(isStringList(sidecar.users) && sidecar.users.length > 0)) {
    throw new TypeError(
      `Item-id file "${sidecarFile}": a "cf" model needs "users", the raw user id strings of ` +
        `the rows its "user" input takes, found ${
          JSON.stringify(sidecar.users)?.slice(0, 40) ?? "none"
        }`,
    );
  }
  const inputs = new Map(session.inputMetadata.map((m) => [m.name, m]));
  const outputs = new Map(session.outputMetadata.map((m) => [m.name, m]));
  const expected = contractInputs(protocol);
  for (const name of inputs.keys()) {
    if (expected.some((e) => e.name === name)) continue;
    const other = (Object.keys(INPUTS) as ProtocolName[]).find((p) =>
      p !== protocol && contractInputs(p).some((e) => e.name === name)
    );
    throw new TypeError(
      `${where}: input "${name}" is not in the "${protocol}" contract (${
        expected.map((e) => e.name).join(", ")
      })` +
        (other
          ? `; it is a "${other}" input, but the item-id file "${sidecarFile}" says "protocol": "${protocol}"`
          : ""),
    );
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
  for (const e of INPUTS[protocol].required) check("input", e, inputs.get(e.name));
  for (const e of INPUTS[protocol].optional) {
    if (inputs.has(e.name)) check("input", e, inputs.get(e.name));
  }
  for (const e of OUTPUTS) check("output", e, outputs.get(e.name));
  const interests = outputs.get("interests")!.shape[1];
  if (!(interests > 0)) {
    throw new TypeError(
      `${where}: output "interests" needs a fixed number of interests K, found ${
        describe(outputs.get("interests")!)
      }`,
    );
  }
  if (protocol === "cf") return { session, sidecar, maxlen: 0, interests };
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
  const routing = inputs.get("routing_init");
  if (routing && (routing.shape[1] !== interests || routing.shape[2] !== maxlen)) {
    throw new TypeError(
      `${where}: input "routing_init" must be [batch, ${interests}, ${maxlen}], found ${
        describe(routing)
      }`,
    );
  }
  return { session, sidecar, maxlen, interests };
}

/** A model evaluated from an ONNX file. */
class OnnxModel implements Model {
  readonly interests: number;
  #items = new Float32Array(0);
  #rowOf = new Int32Array(0);
  /** `cf`: the file's row of each dense user index, -1 where the file lacks the user. */
  #userRow = new Int32Array(0);
  #userIds: readonly string[] = [];
  #dim = 1;
  #routing: Rng | undefined;

  constructor(
    readonly path: string,
    readonly ort: OrtRuntime,
    readonly opened: OpenedOnnxModel,
  ) {
    this.interests = opened.interests;
  }

  get #where(): string {
    return `ONNX model "${this.path}"`;
  }

  fit(data: TrainingData, context: FitContext): void {
    const where = this.#where, { sidecar } = this.opened;
    if (data.protocol !== sidecar.protocol) {
      throw new RangeError(
        `${where} is a "${sidecar.protocol}" model (its item-id file "${
          sidecarPath(this.path)
        }" says so) and cannot be evaluated under the "${data.protocol}" protocol`,
      );
    }
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
    const row = new Map(sidecar.items.map((id, i) => [id, i]));
    const missing = context.itemIds.filter((id) => !row.has(id));
    if (missing.length > 0) {
      throw new RangeError(
        `${where}: ${missing.length} of the dataset's ${data.numItems} items are not in its item-id file ` +
          `"${sidecarPath(this.path)}" (first: "${missing[0]}")`,
      );
    }
    this.#rowOf = Int32Array.from(context.itemIds, (id) => row.get(id)!);
    let out;
    if (sidecar.protocol === "cf") {
      if (!context.userIds) {
        throw new TypeError(
          `${where} needs the dataset's raw user ids (run it through the bench runner)`,
        );
      }
      if (context.userIds.length !== data.numUsers) {
        throw new RangeError(
          `${where}: ${context.userIds.length} raw user ids for ${data.numUsers} users`,
        );
      }
      const userRow = new Map(sidecar.users!.map((id, i) => [id, i]));
      this.#userIds = context.userIds;
      this.#userRow = Int32Array.from(context.userIds, (id) => userRow.get(id) ?? -1);
      this.#userRows(data.validation.queries, "validation");
      // The last listed user: the graph's user table must have a row for every listed user.
      const last = sidecar.users!.length - 1;
      try {
        out = this.#run(this.#userFeeds([last]), ["interests", "item_embeddings"]);
      } catch (e) {
        throw new TypeError(
          `${where}: its item-id file lists ${last + 1} users, but the graph fails on input ` +
            `"user" = [${last}]: ${(e as Error).message}`,
        );
      }
    } else {
      out = this.#run(this.#historyFeeds(Int32Array.of(-1), 1), ["item_embeddings"]);
      this.#routing = context.rng("routing");
    }
    const table = out.item_embeddings.data as Float32Array, [n, d] = out.item_embeddings.dims;
    if (n !== sidecar.items.length) {
      throw new TypeError(
        `${where}: output "item_embeddings" has ${n} rows, its item-id file lists ${sidecar.items.length} items`,
      );
    }
    if (out.interests) this.#checkInterests(out.interests.dims, 1, d);
    this.#dim = d;
    this.#items = new Float32Array(data.numItems * d);
    for (let i = 0; i < data.numItems; i++) {
      this.#items.set(table.subarray(this.#rowOf[i] * d, (this.#rowOf[i] + 1) * d), i * d);
    }
  }

  #checkInterests(dims: readonly number[], batch: number, d: number): void {
    const K = this.interests;
    if (dims[0] !== batch || dims[1] !== K || dims[2] !== d) {
      throw new TypeError(
        `${this.#where}: output "interests" is [${dims}], expected [${batch}, ${K}, ${d}]`,
      );
    }
  }

  /** `cf`: the file's rows of the queries' users; stops on users the file lacks. */
  #userRows(queries: readonly Query[], which: string): number[] {
    const rows = queries.map((q) => this.#userRow[q.user] ?? -1);
    const missing = queries.filter((_, j) => rows[j] < 0).map((q) =>
      this.#userIds[q.user] ?? `(user index ${q.user})`
    );
    if (missing.length > 0) {
      throw new RangeError(
        `${this.#where}: ${missing.length} of the ${queries.length} ${which} users are not in ` +
          `the "users" of its item-id file "${sidecarPath(this.path)}" (first: ${
            firstIds(missing)
          })`,
      );
    }
    return rows;
  }

  #userFeeds(rows: readonly number[]): Record<string, unknown> {
    const ids = BigInt64Array.from(rows, (r) => BigInt(r));
    return { user: new this.ort.Tensor("int64", ids, [rows.length]) };
  }

  #historyFeeds(history: Int32Array, batch: number): Record<string, unknown> {
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
    return feeds;
  }

  #run(feeds: Record<string, unknown>, fetch: string[]) {
    return this.opened.session.run(feeds, Object.fromEntries(fetch.map((f) => [f, null])), {});
  }

  embedQueries(queries: readonly Query[]): Embeddings {
    const B = queries.length, d = this.#dim;
    if (B === 0) return { users: new Float32Array(0), items: this.#items, dim: d };
    const feeds = this.opened.sidecar.protocol === "cf"
      ? this.#userFeeds(this.#userRows(queries, "queried"))
      : this.#historyFeeds(queryHistories(queries, this.opened.maxlen).history, B);
    const out = this.#run(feeds, ["interests"]).interests;
    this.#checkInterests(out.dims, B, d);
    return { users: out.data as Float32Array, items: this.#items, dim: d };
  }

  score(queries: readonly Query[], out: Float32Array): void {
    const e = this.embedQueries(queries);
    scoreRows(e, 0, queries.length * this.interests, out);
  }

  parameterCount(): number {
    return this.#items.length +
      (this.opened.sidecar.users?.length ?? 0) * this.interests * this.#dim;
  }
}

/**
 * Stops a run in which an `onnx:` model would be evaluated under no protocol:
 * its item-id file names one protocol, and the run's protocols leave it out.
 *
 * @param spec A model spec (anything but an `onnx:` spec passes).
 * @param protocols The run's protocols.
 * @throws RangeError naming the file's protocol and the run's.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkOnnxProtocol } from "./onnx_model.ts";
 * const spec = { name: "onnx:m", protocols: ["cf"] } as const;
 * throws(() => checkOnnxProtocol(spec, ["sequential"]), /"cf" ONNX file/);
 * checkOnnxProtocol(spec, ["sequential", "cf"]);
 * ```
 */
export function checkOnnxProtocol(
  spec: Pick<ModelSpec<object>, "name" | "protocols">,
  protocols: readonly ProtocolName[],
): void {
  if (!spec.name.startsWith(ONNX_PREFIX)) return;
  if (spec.protocols.some((p) => protocols.includes(p))) return;
  throw new RangeError(
    `Model "${spec.name}" is a "${spec.protocols.join(", ")}" ONNX file (the "protocol" of its ` +
      `item-id file), but this run evaluates ${protocols.join(", ")} only: ` +
      `run it with --protocol ${spec.protocols[0]}`,
  );
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
