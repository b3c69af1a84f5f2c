import { ok, rejects } from "node:assert/strict";
import { runBench } from "./run.ts";

Deno.test("runBench() refuses repeated seeds", async () => {
  await rejects(
    runBench({ models: ["mostpop"], protocols: ["cf"], seeds: [1, 2, 1], quiet: true }),
    /--seeds repeats 1/,
  );
});

Deno.test("runBench() refuses --data-dir without --datasets", async () => {
  await rejects(
    runBench({ models: ["mostpop"], protocols: ["cf"], dataDir: "/tmp", quiet: true }),
    /--data-dir \/tmp is given without --datasets/,
  );
});

/** Runs `fn` with console.error captured. */
async function capturingStderr<T>(fn: () => Promise<T>): Promise<{ value: T; stderr: string }> {
  const original = console.error;
  let stderr = "";
  console.error = (...a: unknown[]) => void (stderr += a.join(" ") + "\n");
  try {
    return { value: await fn(), stderr };
  } finally {
    console.error = original;
  }
}

Deno.test("a MovieLens folder without movies.csv is said on the console and in the report, and IDSF fails its cell with that reason", async () => {
  const dir = await Deno.makeTempDir();
  const rows = [];
  for (let u = 1; u <= 40; u++) {
    for (let k = 0; k < 8; k++) rows.push(`${u},${1 + ((u * 7 + k * 3) % 30)},4,${1000 + k}`);
  }
  await Deno.writeTextFile(
    `${dir}/ratings.csv`,
    "userId,movieId,rating,timestamp\n" + rows.join("\n") + "\n",
  );
  const out = await Deno.makeTempDir();
  const { value, stderr } = await capturingStderr(() =>
    runBench({
      datasets: ["ml-latest-small"],
      dataDir: dir,
      models: ["mostpop", "idsf"],
      protocols: ["cf"],
      prepare: { minItemCount: 1, minUserCount: 1 },
      budget: { maxIterations: 2, evalEvery: 1 },
      out,
      quiet: true,
    })
  );
  ok(stderr.includes(`no "${dir}/movies.csv": the items have no titles or genres`), stderr);
  const idsf = value.results.find((r) => r.model === "idsf")!;
  ok(idsf.state === "errored", "IDSF does not train on nothing");
  ok(
    idsf.error.includes("needs item side features") && idsf.error.includes("movies.csv"),
    idsf.error,
  );
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes(`no "${dir}/movies.csv": the items have no titles or genres`), md);
});

Deno.test("a model whose scores tie every item is marked on the console and in the report", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/flat.ts`;
  const mod = new URL("../mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { mergeConfig } from "${mod}";
export const model = {
  name: "flat", title: "Flat", reference: "test", deviations: "test", protocols: ["cf"],
  defaults: {}, configure: (o) => mergeConfig("flat", {}, o),
  create: () => ({ interests: 1, fit() {}, score() {}, parameterCount: () => 0 }),
};
`,
  );
  const out = await Deno.makeTempDir();
  const { value, stderr } = await capturingStderr(() =>
    runBench({ models: ["mostpop", path], protocols: ["cf"], out, quiet: true })
  );
  const [pop, flat] = value.results;
  ok(pop.warnings === undefined, "MostPopular's scores differ across items");
  ok(flat.warnings?.[0].includes("scores are the same for every item"), JSON.stringify(flat));
  ok(stderr.includes("WARNING flat on synthetic (cf, seed 1): its scores are the same"), stderr);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes("⚠ flat on `synthetic` (cf, seed 1): its scores are the same"), md);
  ok(md.includes("| metric | MostPopular | Flat ⚠ |"), md);
});

Deno.test("an onnx: model evaluated on another seed than it was trained on is flagged", async () => {
  const models = await Deno.makeTempDir();
  await runBench({
    models: ["bprmf"],
    protocols: ["cf"],
    seeds: [1],
    budget: { maxIterations: 20, evalEvery: 10 },
    exportOnnx: models,
    out: await Deno.makeTempDir(),
    quiet: true,
  });
  const ref = `onnx:${models}/synthetic_cf_seed1_bprmf.onnx`;
  const { value, stderr } = await capturingStderr(() =>
    runBench({
      models: [ref],
      protocols: ["cf"],
      seeds: [1, 2],
      out: Deno.makeTempDirSync(),
      quiet: true,
    })
  );
  const [same, other] = value.results;
  ok(same.warnings === undefined, JSON.stringify(same.warnings));
  ok(
    other.warnings?.[0].startsWith("trained on seed 1 but evaluated on synthetic (cf, seed 2)"),
    JSON.stringify(other.warnings),
  );
  ok(
    stderr.includes(
      "WARNING onnx:synthetic_cf_seed1_bprmf on synthetic (cf, seed 2): trained on seed 1",
    ),
    stderr,
  );
});
