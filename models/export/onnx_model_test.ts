import { fitForTest } from "../_testing.ts";
import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import { runBench } from "../../bench/run.ts";
import { deriveRng } from "../../data/rng.ts";
import { splitPerUser, splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { createAnnRanker } from "../../retrieval/ann.ts";
import { createTypeScriptRanker } from "../../retrieval/exact.ts";
import { createOrtRanker } from "../../retrieval/ort_exact.ts";
import { encodeModel, type Initializer, OnnxType } from "../engine/onnx_proto.ts";
import { userTableGraph } from "./encoders.ts";
import type { FitContext, Model } from "../types.ts";
import { exportOnnx, type OnnxSidecar } from "./onnx.ts";
import { onnxModelSpec } from "./onnx_model.ts";

const ds = generateSynthetic({ numUsers: 120, numItems: 90, numTopics: 6 });
const split = splitPerUser(ds, { seed: 1 });

function trained(name: string): Promise<Model> {
  return fitForTest(name, split.train, { overrides: { dim: 16, batchSize: 64 } });
}

/** Exports a model as a "cf" file `<fresh temp dir>/<file>.onnx` and returns its path. */
async function exportCf(model: Model, file: string): Promise<string> {
  const path = `${await Deno.makeTempDir()}/${file}.onnx`;
  ok(await exportOnnx(model, path, { protocol: "cf", items: ds.itemIds, users: ds.userIds }));
  return path;
}

/** What the bench runner hands an `onnx:` model. */
const context: FitContext = {
  seed: 1,
  rng: (label) => deriveRng(1, label),
  progress: () => {},
  itemIds: ds.itemIds,
  userIds: ds.userIds,
};

async function viaOnnx(path: string): Promise<Model> {
  const spec = await onnxModelSpec(`onnx:${path}`);
  const model = spec.create(spec.configure());
  await model.fit(split.train, context);
  return model;
}

for (const name of ["bprmf", "lightgcn", "mifair", "vbpr", "mmgcn", "lattice", "freedom"]) {
  Deno.test(`an exported ${name} evaluated through onnx: reproduces the in-process metrics exactly`, async () => {
    const model = await trained(name);
    const path = await exportCf(model, name);
    const outside = await viaOnnx(path);
    for (const set of [split.train.validation, split.test]) {
      const inProcess = evaluateModel(model, set, ds.numItems);
      const onnx = evaluateModel(outside, set, ds.numItems);
      deepStrictEqual(onnx.metrics, inProcess.metrics);
      deepStrictEqual(onnx.perUser, inProcess.perUser);
      deepStrictEqual(onnx.users, inProcess.users);
    }
    // And through retrieval from its embeddings (ONNX Runtime MatMul + TopK).
    const ranker = await createOrtRanker({ threads: 1 });
    const ranked = evaluateModel(outside, split.test, ds.numItems, { ranker });
    deepStrictEqual(ranked.perUser, evaluateModel(model, split.test, ds.numItems).perUser);
  });
}

/** A graph whose tables list the users and items in another order, with rows the dataset lacks. */
function shuffledFile(model: Model): { bytes: Uint8Array; sidecar: OnnxSidecar } {
  const graph = model.exportEncoder!()!;
  const table = (name: string) =>
    graph.initializers!.find((t: Initializer) => t.name === name)!.data as Float32Array;
  const items = table("item_table"), users = table("user_table");
  const d = items.length / ds.numItems, row = users.length / ds.numUsers;
  const order = (n: number) => Array.from({ length: n + 2 }, (_, i) => (i * 7 + 3) % (n + 2));
  const itemOrder = order(ds.numItems), userOrder = order(ds.numUsers);
  const permute = (src: Float32Array, idx: number[], w: number, n: number) => {
    const out = new Float32Array(idx.length * w).fill(0.25);
    idx.forEach((j, r) => {
      if (j < n) out.set(src.subarray(j * w, (j + 1) * w), r * w);
    });
    return out;
  };
  return {
    bytes: encodeModel(userTableGraph(
      {
        users: permute(users, userOrder, row, ds.numUsers),
        items: permute(items, itemOrder, d, ds.numItems),
      },
      { maxlen: 0, interests: model.interests, dim: d },
    )),
    sidecar: {
      contract: "recbench-onnx/1",
      protocol: "cf",
      items: itemOrder.map((j) => j < ds.numItems ? ds.itemIds[j] : `extra-item-${j}`),
      users: userOrder.map((j) => j < ds.numUsers ? ds.userIds[j] : `extra-user-${j}`),
    },
  };
}

Deno.test("a cf file listing users and items in its own order, with extra rows, gives the same lists", async () => {
  const model = await trained("bprmf");
  const { bytes, sidecar } = shuffledFile(model);
  const dir = await Deno.makeTempDir();
  await Deno.writeFile(`${dir}/s.onnx`, bytes);
  await Deno.writeTextFile(`${dir}/s.json`, JSON.stringify(sidecar));
  const outside = await viaOnnx(`${dir}/s.onnx`);
  const inProcess = evaluateModel(model, split.test, ds.numItems);
  deepStrictEqual(evaluateModel(outside, split.test, ds.numItems).perUser, inProcess.perUser);
});

Deno.test("an onnx: cf file missing users of the evaluated split names how many and the first ids", async () => {
  const path = await exportCf(await trained("bprmf"), "m");
  const dir = path.slice(0, -"/m.onnx".length);
  const sidecar = JSON.parse(await Deno.readTextFile(`${dir}/m.json`)) as OnnxSidecar;
  const evaluated = split.train.validation.queries.map((q) => ds.userIds[q.user]);
  const gone = new Set(evaluated.slice(2, 9));
  sidecar.users = sidecar.users!.map((id) => gone.has(id) ? `renamed-${id}` : id);
  await Deno.writeTextFile(`${dir}/m.json`, JSON.stringify(sidecar));
  const spec = await onnxModelSpec(`onnx:${dir}/m.onnx`);
  await rejects(
    async () => await spec.create(spec.configure()).fit(split.train, context),
    (e: Error) =>
      e instanceof RangeError &&
      e.message.includes(`7 of the ${evaluated.length} validation users are not in the "users"`) &&
      e.message.includes(
        `(first: ${[...gone].slice(0, 5).map((id) => `"${id}"`).join(", ")}, ...)`,
      ),
  );
});

Deno.test("an onnx: file of one protocol is refused under the other, naming both", async () => {
  const path = await exportCf(await trained("bprmf"), "m");
  const dir = path.slice(0, -"/m.onnx".length);
  const spec = await onnxModelSpec(`onnx:${dir}/m.onnx`);
  deepStrictEqual(spec.protocols, ["cf"]);
  const sequential = splitSequential(ds, { seed: 1 });
  await rejects(
    async () => await spec.create(spec.configure()).fit(sequential.train, context),
    /is a "cf" model .* cannot be evaluated under the "sequential" protocol/,
  );
  await rejects(
    runBench({ models: [`onnx:${dir}/m.onnx`], protocols: ["sequential"], quiet: true, out: dir }),
    /Model "onnx:m" is a "cf" ONNX file .* evaluates sequential only: run it with --protocol cf/,
  );
});

Deno.test("an onnx: cf file with a wrong input fails with a message naming the input", async () => {
  const dir = await Deno.makeTempDir();
  const F = OnnxType.FLOAT;
  const write = async (name: string, input: { name: string; type: number; shape: string[] }) => {
    await Deno.writeFile(
      `${dir}/${name}.onnx`,
      encodeModel({
        name,
        nodes: [
          { op: "Identity", inputs: ["items"], outputs: ["item_embeddings"] },
          { op: "Gather", inputs: ["users", input.name], outputs: ["interests"] },
        ],
        inputs: [input],
        outputs: [
          { name: "interests", type: F, shape: ["batch", 1, 2] },
          { name: "item_embeddings", type: F, shape: [2, 2] },
        ],
        initializers: [
          { name: "items", dims: [2, 2], data: new Float32Array(4) },
          { name: "users", dims: [3, 1, 2], data: new Float32Array(6) },
        ],
      }),
    );
    await Deno.writeTextFile(
      `${dir}/${name}.json`,
      JSON.stringify({
        contract: "recbench-onnx/1",
        protocol: "cf",
        items: ["a", "b"],
        users: ["u", "v", "w"],
      }),
    );
  };
  await write("int32", { name: "user", type: OnnxType.INT32, shape: ["batch"] });
  await rejects(
    onnxModelSpec(`onnx:${dir}/int32.onnx`),
    (e: Error) =>
      e instanceof TypeError &&
      /input "user" must be int64 of rank 1, found int32 \[batch\]/.test(e.message),
  );
  await write("named", { name: "history", type: OnnxType.INT64, shape: ["batch"] });
  await rejects(
    onnxModelSpec(`onnx:${dir}/named.onnx`),
    (e: Error) =>
      e instanceof TypeError &&
      /input "history" is not in the "cf" contract \(user\); it is a "sequential" input/.test(
        e.message,
      ),
  );
});

Deno.test("an onnx: cf ranker reuses one ANN index for the validation and test queries", async () => {
  const outside = await viaOnnx(await exportCf(await trained("lightgcn"), "l"));
  const ranker = createAnnRanker(createTypeScriptRanker());
  const validation = evaluateModel(outside, split.train.validation, ds.numItems, { ranker });
  const test = evaluateModel(outside, split.test, ds.numItems, { ranker });
  deepStrictEqual(
    [validation.retrieval?.indexReused, test.retrieval?.indexReused, test.retrieval?.buildSeconds],
    [false, true, 0],
  );
});
