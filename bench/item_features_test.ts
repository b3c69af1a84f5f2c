import { ok, rejects, strictEqual } from "node:assert/strict";
import { DataFormatError } from "../data/errors.ts";
import { generateSynthetic } from "../data/synthetic.ts";
import { parseBenchArgs } from "./cli.ts";
import type { ItemFeaturesSummary } from "../data/item_features.ts";
import { type ItemFeatureSource, readResults } from "./results.ts";
import { runBench } from "./run.ts";
import { canonicalJson } from "./shard.ts";

const fast = {
  models: ["mostpop", "idsf"],
  protocols: ["cf" as const],
  quiet: true,
  budget: { maxIterations: 4, evalEvery: 2, patience: 1 },
  backend: "typescript" as const,
  modelConfig: { idsf: { dim: 8, batchSize: 256, layers: 1 } },
};

/** A CSV of 2 dense columns for every third synthetic item, plus two rows for unknown items. */
async function featureCsv(dir: string, scale = 1): Promise<{ path: string; rows: number }> {
  const { itemIds } = generateSynthetic();
  const lines = ["item_id,a,b"];
  itemIds.forEach((id, i) => {
    if (i % 3 === 0) lines.push(`${id},${scale * Math.sin(i)},${i % 7}`);
  });
  lines.push("no-such-item-1,0,0", "no-such-item-2,1,1");
  const path = `${dir}/features.csv`;
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return { path, rows: lines.length - 1 };
}

Deno.test("--item-features is parsed into the bench options", () => {
  const o = parseBenchArgs(["--item-features", "f.csv"]);
  ok(o !== "help" && o.itemFeatures === "f.csv");
});

Deno.test("a run with --item-features records the file's SHA-256, its matches and misses, and reports them", async () => {
  const dir = await Deno.makeTempDir();
  const { path, rows } = await featureCsv(dir);
  const out = `${dir}/out`;
  await runBench({ ...fast, out, itemFeatures: path });
  const file = await readResults(`${out}/results.json`);
  const s = file.datasets.synthetic.itemFeatures! as ItemFeaturesSummary;
  const items = file.datasets.synthetic.items;
  ok(s.sha256.length === 64 && s.format === "csv" && s.columns === 2);
  strictEqual(s.rows, rows);
  strictEqual(s.unknownRows, 2);
  strictEqual(s.matchedRows, Math.ceil(items / 3));
  strictEqual(s.itemsWithoutRow, items - s.matchedRows);
  for (const r of file.results) {
    ok(r.state === "completed", r.state === "errored" ? r.error : "");
    strictEqual((r.itemFeatures as ItemFeatureSource).sha256, s.sha256);
  }
  const idsf = file.results.find((r) => r.model === "idsf");
  ok(idsf?.state === "completed");
  strictEqual(idsf.training?.diagnostics["itemsWith:dense"], s.matchedRows);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes(`item features (\`--item-features\`, read by IDSF only): \`${path}\``), md);
  ok(md.includes("2 rows for items not in the dataset were not used"), md);
  ok(md.includes(`SHA-256 \`${s.sha256}\``), md);
  // The features' hash is part of the grid: a rerun with other features is refused
  // (naming the hash that changed) unless told to overwrite, and then keeps no cell.
  await featureCsv(dir, 2);
  await rejects(
    runBench({ ...fast, out, itemFeatures: path }),
    /options\.data\.itemFeatures\.sha256: "[0-9a-f]{64}" -> "[0-9a-f]{64}"/,
  );
  const again = await runBench({ ...fast, out, itemFeatures: path, overwrite: true });
  ok((again.datasets.synthetic.itemFeatures as ItemFeaturesSummary).sha256 !== s.sha256);
  const data = (f: typeof file) => canonicalJson((f.grid!.options as { data: unknown }).data);
  ok(data(again) !== data(file) && data(file).includes(s.sha256), data(file));
  await Deno.remove(dir, { recursive: true });
});

Deno.test("repeated --item-features name=PATH give one IDSF modality per file, each recorded", async () => {
  const o = parseBenchArgs(["--item-features", "text=t.csv", "--item-features", "visual=v.b"]);
  ok(o !== "help" && String(o.itemFeatures) === "text=t.csv,visual=v.b");
  const dir = await Deno.makeTempDir();
  const { path } = await featureCsv(dir);
  const out = `${dir}/out`;
  await runBench({
    ...fast,
    models: ["idsf"],
    out,
    itemFeatures: [`text=${path}`, `visual=${path}`],
  });
  const file = await readResults(`${out}/results.json`);
  const s = file.datasets.synthetic.itemFeatures as ItemFeaturesSummary[];
  ok(s.length === 2 && s[0].modality === "text" && s[1].modality === "visual");
  const idsf = file.results[0];
  ok(idsf.state === "completed", idsf.state === "errored" ? idsf.error : "");
  const d = idsf.training?.diagnostics ?? {};
  ok(d["itemsWith:text"] === s[0].matchedRows && d["itemsWith:visual"] === s[1].matchedRows);
  ok((idsf.itemFeatures as ItemFeatureSource[]).length === 2);
  const md = await Deno.readTextFile(`${out}/report.md`);
  ok(md.includes("modality `visual`"), md);
  // The same name twice is refused before training.
  await rejects(
    runBench({ ...fast, out: `${dir}/out2`, itemFeatures: [path, path] }),
    /modality "dense" is given twice/,
  );
  await Deno.remove(dir, { recursive: true });
});

Deno.test("a malformed --item-features file stops the run before training, naming file and line", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/bad.csv`;
  await Deno.writeTextFile(path, "item_id,a\n1,2\n2,two\n");
  await rejects(
    runBench({ ...fast, out: `${dir}/out`, itemFeatures: path }),
    (e: Error) => e instanceof DataFormatError && e.message.startsWith(`${path} line 3:`),
  );
  await Deno.remove(dir, { recursive: true });
});
