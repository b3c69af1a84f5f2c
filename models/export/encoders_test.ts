import { fitForTest } from "../_testing.ts";
import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { evaluateModel } from "../../bench/evaluate.ts";
import { deriveRng } from "../../data/rng.ts";
import { splitPerUser, splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { queryHistories } from "../_sequential/sampler.ts";
import { encodeModel, OnnxType } from "../engine/onnx_proto.ts";
import { loadOrtRuntime } from "../engine/ort_backend.ts";
import type { Model } from "../types.ts";
import { exportOnnx } from "./onnx.ts";
import { onnxModelSpec } from "./onnx_model.ts";

const ds = generateSynthetic({ numUsers: 120, numItems: 90, numTopics: 6 });
const split = splitSequential(ds, { seed: 1 });
const ort = await loadOrtRuntime({ threads: 1 });

function trained(name: string, extra: Record<string, unknown> = {}): Promise<Model> {
  const interests = name === "youtubednn" || name === "gru4rec" ? 1 : 3;
  // ComiRec-DR's reference init (He normal over a fan-in of maxlen*K*d*d) starts
  // its capsules near zero: it needs more steps before they are large enough to compare.
  return fitForTest(name, split.train, {
    overrides: { dim: 16, batchSize: 32, interests, ...extra },
    iterations: name === "comirec-dr" ? 100 : 15,
  });
}

// Each model at its defaults, then the labelled options that change the graph.
const variants: [string, Record<string, unknown>][] = [
  ["comirec-sa", {}],
  ["remi", {}],
  ["re4", {}],
  ["comirec-dr", {}],
  ["mind", {}],
  ["youtubednn", {}],
  ["gru4rec", {}],
  ["comirec-dr", { capsuleMap: "shared", routingSoftmax: "interests" }],
  ["mind", { reluLayer: true }],
  ["gru4rec", { hiddenFactor: 1, outputLayer: false, gruBias: true, dropout: 0 }],
  ["umi-hn", {}],
  ["remi-umi-hn", {}],
];

for (const [name, extra] of variants) {
  const label = Object.keys(extra).length > 0 ? `${name} ${JSON.stringify(extra)}` : name;
  Deno.test(`the ONNX export of ${label} gives the in-process interests within 1e-4`, async () => {
    // Two identical copies: MIND draws routing noise, once in-process and once for the graph.
    const inProcess = await trained(name, extra), exported = await trained(name, extra);
    const queries = split.test.queries.slice(0, 40);
    const expected = inProcess.embedQueries!(queries);
    const graph = exported.exportEncoder!()!;
    const L = graph.inputs[0].shape[1] as number;
    const session = ort.load(encodeModel(graph));
    const { history, mask } = queryHistories(queries, L);
    const B = queries.length, K = inProcess.interests;
    const feeds: Record<string, unknown> = {
      history: new ort.Tensor("int64", BigInt64Array.from(history, (v) => BigInt(v)), [B, L]),
      mask: new ort.Tensor("float32", Float32Array.from(mask), [B, L]),
    };
    const extraInputs =
      (exported as unknown as { encoderExtraInputs(b: number): Record<string, Float32Array> })
        .encoderExtraInputs(B);
    for (const [key, value] of Object.entries(extraInputs)) {
      feeds[key] = new ort.Tensor("float32", value, [B, K, L]);
    }
    const out = session.run(feeds, { interests: null, item_embeddings: null }, {});
    deepStrictEqual(out.interests.dims, [B, K, 16]);
    const got = out.interests.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected.users[i]));
    }
    ok(worst <= 1e-4, `largest difference ${worst}`);
    ok(expected.users.some((v) => Math.abs(v) > 1e-3), "interests are not all zero");
    deepStrictEqual(out.item_embeddings.data, expected.items);
  });
}

const cfSplit = splitPerUser(ds, { seed: 1 });

for (const name of ["bprmf", "lightgcn", "mifair"]) {
  Deno.test(`the ONNX export of ${name} gives the in-process user vectors within 1e-4`, async () => {
    const model = await fitForTest(name, cfSplit.train, { overrides: { dim: 16, batchSize: 64 } });
    const queries = cfSplit.test.queries.slice(0, 40);
    const expected = model.embedQueries!(queries);
    const graph = model.exportEncoder!()!;
    deepStrictEqual(graph.inputs.map((i) => i.name), ["user"]);
    const session = ort.load(encodeModel(graph));
    const B = queries.length, K = model.interests;
    const user = new ort.Tensor("int64", BigInt64Array.from(queries, (q) => BigInt(q.user)), [B]);
    const out = session.run({ user }, { interests: null, item_embeddings: null }, {});
    deepStrictEqual(out.interests.dims, [B, K, 16]);
    const got = out.interests.data as Float32Array;
    let worst = 0;
    for (let i = 0; i < got.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - expected.users[i]));
    }
    ok(worst <= 1e-4, `largest difference ${worst}`);
    ok(expected.users.some((v) => Math.abs(v) > 1e-3), "user vectors are not all zero");
    deepStrictEqual(out.item_embeddings.data, expected.items);
  });
}

Deno.test("EfficientRec has no ONNX export (its memberships come from the history)", async () => {
  const model = await fitForTest("efficientrec", cfSplit.train, {
    overrides: { dim: 16, batchSize: 64 },
    iterations: 5,
  });
  ok(model.exportEncoder!() === undefined);
  const dir = await Deno.makeTempDir();
  ok(!(await exportOnnx(model, `${dir}/e.onnx`, { protocol: "cf", items: ds.itemIds })));
});

Deno.test("an exported ComiRec-SA evaluated through onnx: reproduces the in-process metrics exactly", async () => {
  const model = await trained("comirec-sa");
  const dir = await Deno.makeTempDir();
  ok(await exportOnnx(model, `${dir}/sa.onnx`, { protocol: "sequential", items: ds.itemIds }));
  const spec = await onnxModelSpec(`onnx:${dir}/sa.onnx`);
  const outside = spec.create(spec.configure());
  await outside.fit(split.train, {
    seed: 1,
    rng: (label) => deriveRng(1, label),
    progress: () => {},
    itemIds: ds.itemIds,
  });
  const inProcess = evaluateModel(model, split.test, ds.numItems);
  const viaOnnx = evaluateModel(outside, split.test, ds.numItems);
  deepStrictEqual(viaOnnx.metrics, inProcess.metrics);
  deepStrictEqual(viaOnnx.perUser, inProcess.perUser);
});

Deno.test("an ONNX model with a wrong input shape fails with a message naming the input", async () => {
  const dir = await Deno.makeTempDir();
  const F = OnnxType.FLOAT;
  await Deno.writeFile(
    `${dir}/bad.onnx`,
    encodeModel({
      name: "bad",
      nodes: [
        { op: "Identity", inputs: ["table"], outputs: ["item_embeddings"] },
        { op: "Unsqueeze", inputs: ["history", "axes"], outputs: ["interests"] },
      ],
      inputs: [
        { name: "history", type: F, shape: ["batch", 4] }, // should be int64
        { name: "mask", type: F, shape: ["batch", 4] },
      ],
      outputs: [
        { name: "interests", type: F, shape: ["batch", 1, 4] },
        { name: "item_embeddings", type: F, shape: [2, 4] },
      ],
      initializers: [
        { name: "table", dims: [2, 4], data: new Float32Array(8) },
        { name: "axes", dims: [1], data: BigInt64Array.of(1n) },
      ],
    }),
  );
  await Deno.writeTextFile(
    `${dir}/bad.json`,
    JSON.stringify({ contract: "recbench-onnx/1", protocol: "sequential", items: ["a", "b"] }),
  );
  await rejects(
    onnxModelSpec(`onnx:${dir}/bad.onnx`),
    (e: Error) =>
      e instanceof TypeError &&
      /input "history" must be int64 of rank 2, found float32 \[batch, 4\]/.test(e.message),
  );
});
