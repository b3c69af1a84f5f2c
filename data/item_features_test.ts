import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { DataFormatError } from "./errors.ts";
import { attachItemFeatures, readItemFeatureFile } from "./item_features.ts";
import { generateSynthetic } from "./synthetic.ts";

/** An NPY file: `header` is the dict text, `data` the bytes after the header. */
function npy(header: string, data: Uint8Array, version = 1): Uint8Array {
  const pre = version === 1 ? 10 : 12;
  const text = header + " ".repeat(63 - ((pre + header.length) % 64)) + "\n";
  const out = new Uint8Array(pre + text.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  out.set(new TextEncoder().encode(text), pre);
  out.set(data, pre + text.length);
  return out;
}

const f32 = (...v: number[]) => new Uint8Array(Float32Array.from(v).buffer);

async function withDir(run: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir();
  try {
    await run(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Expects a DataFormatError whose message starts with `file line N:` and contains `detail`. */
async function failsAt(path: string, where: string, detail: string) {
  await rejects(readItemFeatureFile(path), (e: Error) => {
    ok(e instanceof DataFormatError, `${e.name}: ${e.message}`);
    ok(e.message.startsWith(where), `"${e.message}" should start with "${where}"`);
    ok(e.message.includes(detail), `"${e.message}" should mention "${detail}"`);
    return true;
  });
}

Deno.test("readItemFeatureFile() reads a CSV with quoted ids and hashes the bytes", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/f.csv`;
    await Deno.writeTextFile(path, 'item_id,a,b\n"x,1",1.5,-2\ny,.5,1e2\r\n');
    const f = await readItemFeatureFile(path);
    deepStrictEqual(f.names, ["a", "b"]);
    deepStrictEqual(f.itemIds, ["x,1", "y"]);
    deepStrictEqual([...f.values], [1.5, -2, 0.5, 100]);
    ok(f.format === "csv" && /^[0-9a-f]{64}$/.test(f.sha256) && f.ids === undefined);
  });
});

Deno.test("readItemFeatureFile() names the file and line of every CSV error", async () => {
  await withDir(async (dir) => {
    const cases: [string, string, string][] = [
      ["id,a\n1,2\n", "line 1", 'must start with "item_id", found "id"'],
      ["item_id\n1\n", "line 1", "no feature column"],
      ["item_id,a,a\n1,2,3\n", "line 1", 'column name "a" repeats'],
      [
        "item_id,a,b\n1,2,3\n2,4\n",
        "line 3",
        "expected 3 fields (item_id and 2 features), found 2",
      ],
      ["item_id,a\n1,2\n\n3,4\n", "line 3", "expected 2 fields"],
      ["item_id,a,b\n1,2,3\n2,4,x1\n", "line 3", 'field 3 ("b"): "x1" is not a finite decimal'],
      ["item_id,a\n1,\n", "line 2", 'field 2 ("a"): "" is not'],
      ["item_id,a\n1,NaN\n", "line 2", '"NaN" is not'],
      ["item_id,a\n1,1e999\n", "line 2", '"1e999" is not'],
      ["item_id,a\n1,2\n7,3\n1,4\n", "line 4", 'item id "1" repeats the row of line 2'],
      ["item_id,a\n,2\n", "line 2", "empty item id"],
      ["item_id,a\n 1,2\n", "line 2", "leading or trailing spaces"],
      ["item_id,a\n", "line 1", "no rows after the header"],
      ["", ":", "empty file"],
    ];
    for (const [k, [text, line, detail]] of cases.entries()) {
      const path = `${dir}/bad${k}.csv`;
      await Deno.writeTextFile(path, text);
      await failsAt(path, line === ":" ? `${path}:` : `${path} ${line}:`, detail);
    }
  });
});

Deno.test("readItemFeatureFile() reads float32 and float64 NPY arrays in C and Fortran order", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/f.npy`;
    await Deno.writeTextFile(`${path}.ids`, "10\n20\n30\n");
    const header = (descr: string, fortran: string) =>
      `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': (3, 2), }`;
    await Deno.writeFile(path, npy(header("<f4", "False"), f32(1, 2, 3, 4, 5, 6)));
    const c = await readItemFeatureFile(path);
    deepStrictEqual([...c.values], [1, 2, 3, 4, 5, 6]);
    deepStrictEqual(c.names, ["f0", "f1"]);
    deepStrictEqual(c.itemIds, ["10", "20", "30"]);
    ok(c.format === "npy" && c.ids?.file === `${path}.ids` && c.ids.sha256.length === 64);
    const f64 = new Uint8Array(Float64Array.of(1, 3, 5, 2, 4, 6).buffer);
    await Deno.writeFile(path, npy(header("<f8", "True"), f64, 2));
    deepStrictEqual([...(await readItemFeatureFile(path)).values], [1, 2, 3, 4, 5, 6]);
  });
});

Deno.test("readItemFeatureFile() names the file (and the ids file's line) of every NPY error", async () => {
  await withDir(async (dir) => {
    const path = `${dir}/f.npy`;
    const ok2x2 = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
    const write = async (bytes: Uint8Array, ids = "a\nb\n") => {
      await Deno.writeFile(path, bytes);
      await Deno.writeTextFile(`${path}.ids`, ids);
    };
    await write(new TextEncoder().encode("item_id,a\n1,2\n"));
    await failsAt(path, `${path}:`, "not an NPY file");
    await write(npy(ok2x2.replace("<f4", "<i8"), new Uint8Array(32)));
    await failsAt(path, `${path}:`, 'dtype "<i8" is not float32 or float64');
    await write(npy(ok2x2.replace("(2, 2)", "(4,)"), f32(1, 2, 3, 4)));
    await failsAt(path, `${path}:`, "shape (4,) is not 2-D");
    await write(npy(ok2x2, f32(1, 2, 3)));
    await failsAt(path, `${path}:`, "needs 16 data bytes, the file holds 12");
    await write(npy(ok2x2, f32(1, 2, NaN, 4)));
    await failsAt(path, `${path}:`, "row 1 column 0: NaN is not a finite");
    await write(npy(ok2x2, f32(1, 2, 3, 4)), "a\nb\nc\n");
    await failsAt(path, `${path}.ids:`, `has 3 item ids, the array "${path}" has 2 rows`);
    await write(npy(ok2x2, f32(1, 2, 3, 4)), "a\na\n");
    await failsAt(path, `${path}.ids line 2:`, 'item id "a" repeats the row of line 1');
    await write(npy(ok2x2, f32(1, 2, 3, 4)), "a\n\n");
    await failsAt(path, `${path}.ids line 2:`, "empty item id");
    await Deno.remove(`${path}.ids`);
    await failsAt(path, `${path}:`, "which is missing");
  });
});

Deno.test("readItemFeatureFile() refuses a file name it cannot tell the format of", async () => {
  await rejects(readItemFeatureFile("features.tsv"), RangeError);
});

Deno.test("attachItemFeatures() counts rows for unknown items and items without a row", () => {
  const ds = generateSynthetic({ numUsers: 60, numItems: 40 });
  const [a, b] = [ds.itemIds[3], ds.itemIds[0]];
  const { dataset, summary } = attachItemFeatures(ds, {
    file: "f.csv",
    format: "csv",
    modality: "dense",
    sha256: "e".repeat(64),
    names: ["x", "y"],
    itemIds: ["gone-1", a, "gone-2", b, "gone-3", "gone-4"],
    values: Float32Array.of(9, 9, 1, 2, 9, 9, 3, 4, 9, 9, 9, 9),
  });
  const dense = dataset.itemFeatures!.dense![0];
  deepStrictEqual([...dense.values.subarray(0, 8)], [3, 4, 0, 0, 0, 0, 1, 2]);
  ok(dense.present[0] === 1 && dense.present[3] === 1 && dense.present[1] === 0);
  deepStrictEqual(summary.unknownExamples, ["gone-1", "gone-2", "gone-3"]);
  ok(summary.rows === 6 && summary.matchedRows === 2 && summary.unknownRows === 4);
  ok(summary.itemsWithoutRow === ds.numItems - 2 && summary.columns === 2);
  // The side features the loader gave stay; the dataset's own checksum does not move.
  ok(dataset.itemFeatures!.fields.genres === ds.itemFeatures!.fields.genres);
  ok(dataset.checksum === ds.checksum && ds.itemFeatures!.dense === undefined);
});
