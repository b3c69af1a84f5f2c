/**
 * Dense item features from an extra file (`deno task bench --item-features
 * PATH`), matched to a dataset's items by raw item id. Two formats, told apart
 * by the file name:
 *
 * - **CSV** (`.csv`, or `.csv.gz`): a header `item_id,<name1>,<name2>,...`
 *   (at least one feature column, names non-empty and distinct), then one row
 *   per item: the raw item id as the dataset's files write it, then one
 *   decimal number per feature column (`1`, `-0.5`, `2.5e-3`; no empty
 *   fields, `NaN` or `Infinity`). RFC 4180 quoting. No blank lines.
 * - **NPY** (`.npy`): a NumPy array of shape `(rows, features)`, dtype
 *   float32 or float64 (`<f4`, `<f8`, or big-endian), C or Fortran order,
 *   every value finite; the raw item id of row `r` is line `r + 1` of the
 *   text file `PATH.ids` (the same path with `.ids` appended), one id a line,
 *   as many lines as rows. Feature names are `f0`, `f1`, ...
 *
 * In both, an item id appears once, without leading or trailing spaces. Any
 * violation is a {@linkcode DataFormatError} naming the file and the line
 * (line 0 when the problem is the file as a whole, such as an NPY header).
 *
 * {@linkcode attachItemFeatures} puts the rows on a dataset's dense item
 * indices. Nothing is dropped silently: rows whose item is not in the
 * dataset are counted (with a few examples), and so are dataset items
 * without a row, which then miss that modality.
 *
 * @module
 */
import { createHash } from "node:crypto";
import { readCsvRecords } from "./_csv.ts";
import { readLines } from "./_lines.ts";
import { readAmazonImageFeatures } from "./amazon_image_features.ts";
import { fileSha256 } from "./cache.ts";
import type { Dataset, DenseItemFeatures } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";

/** The formats of a dense item-feature file. */
export type ItemFeatureFormat = "csv" | "npy" | "amazon-image";

/** A dense item-feature file as read, rows in file order. */
export interface ItemFeatureFile {
  /** Path of the file. */
  file: string;
  /** Which format it was read as. */
  format: ItemFeatureFormat;
  /** The modality it feeds (`name` of `--item-features name=PATH`; `dense` without a name). */
  modality: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  /** NPY only: the item-id file and its SHA-256. */
  ids?: { file: string; sha256: string };
  /** Feature names. */
  names: string[];
  /** Raw item id of each row. */
  itemIds: string[];
  /** Values `[itemIds.length, names.length]`, row-major. */
  values: Float32Array;
}

/** What matching a feature file to a dataset found (kept in the results). */
export interface ItemFeaturesSummary {
  /** Path of the file. */
  file: string;
  /** `csv`, `npy` or `amazon-image`. */
  format: ItemFeatureFormat;
  /** The modality it feeds. */
  modality: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
  /** NPY only: the item-id file and its SHA-256. */
  ids?: { file: string; sha256: string };
  /** Feature columns. */
  columns: number;
  /** Rows in the file. */
  rows: number;
  /** Rows whose item is in the dataset (after its filters). */
  matchedRows: number;
  /** Rows whose item is not in the dataset, not used. */
  unknownRows: number;
  /** Up to three of those items' ids, in file order. */
  unknownExamples: string[];
  /** Dataset items without a row: they miss the dense modality. */
  itemsWithoutRow: number;
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Checks an item id; returns it. */
function checkId(id: string, where: { file: string; line: number }): string {
  if (id === "") throw new DataFormatError("empty item id", where);
  if (id.trim() !== id) {
    throw new DataFormatError(`item id "${id}" has leading or trailing spaces`, where);
  }
  return id;
}

/** Remembers the line of each id; throws on a repeat. */
function firstSeen(seen: Map<string, number>, id: string, where: { file: string; line: number }) {
  const before = seen.get(id);
  if (before !== undefined) {
    throw new DataFormatError(`item id "${id}" repeats the row of line ${before}`, where);
  }
  seen.set(id, where.line);
}

/**
 * Reads a dense item-feature file (CSV, NPY or the Amazon 2014 image-feature
 * `.b` layout, see the module doc) and hashes it. `spec` is `PATH` or
 * `name=PATH`, the name being the modality the file feeds (letters, digits,
 * `_` and `-`, starting with a letter; `dense` when not given).
 *
 * @param spec A `.csv`, `.csv.gz`, `.npy` (with `PATH.ids` beside it) or `.b` file, optionally named.
 * @returns The rows in file order, the feature names and the SHA-256.
 * @throws {DataFormatError} On any format violation, with the file and line.
 * @throws {RangeError} For a file name that is none of the four.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readItemFeatureFile } from "./item_features.ts";
 * const path = await Deno.makeTempFile({ suffix: ".csv" });
 * await Deno.writeTextFile(path, "item_id,x,y\n10,0.5,1\n20,-2,3e-1\n");
 * const f = await readItemFeatureFile(`text=${path}`);
 * ok(f.names.join() === "x,y" && f.itemIds.join() === "10,20" && f.values[2] === -2);
 * ok(f.modality === "text" && (await readItemFeatureFile(path)).modality === "dense");
 * await Deno.remove(path);
 * ```
 */
export async function readItemFeatureFile(spec: string): Promise<ItemFeatureFile> {
  const named = /^([A-Za-z][A-Za-z0-9_-]*)=(.+)$/.exec(spec);
  const [modality, path] = named ? [named[1], named[2]] : ["dense", spec];
  let file: ItemFeatureFile;
  if (/\.npy$/i.test(path)) file = await readNpyFeatures(path);
  else if (/\.csv(\.gz)?$/i.test(path)) file = await readCsvFeatures(path);
  else if (/\.b$/i.test(path)) file = await readAmazonImageFeatures(path);
  else {
    throw new RangeError(
      `Cannot tell the format of item features "${path}": name it .csv, .csv.gz, .npy or .b (Amazon image features)`,
    );
  }
  return { ...file, modality };
}

async function readCsvFeatures(file: string): Promise<ItemFeatureFile> {
  let names: string[] | undefined;
  const itemIds: string[] = [], values: number[] = [];
  const seen = new Map<string, number>();
  for await (const { fields, line } of readCsvRecords(file)) {
    const where = { file, line };
    if (!names) {
      if (fields[0] !== "item_id") {
        throw new DataFormatError(
          `the header must start with "item_id", found "${fields[0]}"`,
          where,
        );
      }
      names = fields.slice(1);
      if (names.length === 0) {
        throw new DataFormatError("the header names no feature column after item_id", where);
      }
      const cols = new Set<string>();
      names.forEach((n, k) => {
        if (n.trim() === "") throw new DataFormatError(`column ${k + 2} has no name`, where);
        if (cols.has(n)) throw new DataFormatError(`column name "${n}" repeats`, where);
        cols.add(n);
      });
      continue;
    }
    if (fields.length !== names.length + 1) {
      throw new DataFormatError(
        `expected ${
          names.length + 1
        } fields (item_id and ${names.length} features), found ${fields.length}`,
        where,
      );
    }
    const id = checkId(fields[0], where);
    firstSeen(seen, id, where);
    itemIds.push(id);
    for (let k = 1; k < fields.length; k++) {
      const raw = fields[k], v = Number(raw);
      if (!NUMBER.test(raw) || !Number.isFinite(v)) {
        throw new DataFormatError(
          `field ${k + 1} ("${names[k - 1]}"): "${raw}" is not a finite decimal number`,
          where,
        );
      }
      values.push(v);
    }
  }
  if (!names) {
    throw new DataFormatError("empty file: expected a header item_id,<feature>,...", {
      file,
      line: 0,
    });
  }
  if (itemIds.length === 0) {
    throw new DataFormatError("no rows after the header", { file, line: 1 });
  }
  return {
    file,
    format: "csv",
    modality: "dense",
    sha256: await fileSha256(file),
    names,
    itemIds,
    values: Float32Array.from(values),
  };
}

/** The parsed NPY header. */
interface NpyHeader {
  rows: number;
  cols: number;
  bytes: 4 | 8;
  littleEndian: boolean;
  fortran: boolean;
  dataStart: number;
}

function npyHeader(buf: Uint8Array, file: string): NpyHeader {
  const fail = (detail: string): never => {
    throw new DataFormatError(detail, { file, line: 0 });
  };
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
  if (buf.length < 10 || magic.some((b, i) => buf[i] !== b)) {
    fail("not an NPY file (no \\x93NUMPY magic at the start)");
  }
  const major = buf[6], view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (major < 1 || major > 3) fail(`NPY format version ${major}.${buf[7]} is not 1, 2 or 3`);
  const [len, start] = major === 1
    ? [view.getUint16(8, true), 10]
    : [buf.length >= 12 ? view.getUint32(8, true) : fail("NPY header is truncated"), 12];
  if (start + len > buf.length) fail(`NPY header of ${len} bytes runs past the end of the file`);
  const text = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(
    buf.subarray(start, start + len),
  );
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined || fortran === undefined || shape === undefined) {
    fail(`NPY header lacks descr, fortran_order or shape: ${text.trim()}`);
  }
  const dtype = /^([<>=|])f([48])$/.exec(descr!);
  if (!dtype || dtype[1] === "|") {
    fail(
      `dtype "${descr}" is not float32 or float64 ("<f4", "<f8"); convert with .astype("float32")`,
    );
  }
  const dims = shape!.split(",").map((s) => s.trim()).filter((s) => s !== "");
  if (dims.length !== 2 || !dims.every((s) => /^\d+$/.test(s))) {
    fail(`shape (${shape}) is not 2-D (items, features)`);
  }
  const [rows, cols] = dims.map(Number);
  if (rows === 0 || cols === 0) fail(`shape (${rows}, ${cols}) has no rows or no columns`);
  const bytes = Number(dtype![2]) as 4 | 8;
  const dataStart = start + len, want = rows * cols * bytes;
  if (buf.length - dataStart !== want) {
    fail(
      `shape (${rows}, ${cols}) of ${descr} needs ${want} data bytes, the file holds ${
        buf.length - dataStart
      }`,
    );
  }
  // "=" is native order; NumPy writes "<" on every little-endian machine.
  const littleEndian = dtype![1] !== ">";
  return { rows, cols, bytes, littleEndian, fortran: fortran === "True", dataStart };
}

async function readNpyFeatures(file: string): Promise<ItemFeatureFile> {
  const buf = await Deno.readFile(file);
  const h = npyHeader(buf, file);
  const view = new DataView(buf.buffer, buf.byteOffset + h.dataStart, h.rows * h.cols * h.bytes);
  const values = new Float32Array(h.rows * h.cols);
  for (let r = 0; r < h.rows; r++) {
    for (let c = 0; c < h.cols; c++) {
      const at = (h.fortran ? c * h.rows + r : r * h.cols + c) * h.bytes;
      const v = h.bytes === 4
        ? view.getFloat32(at, h.littleEndian)
        : view.getFloat64(at, h.littleEndian);
      if (!Number.isFinite(v) || !Number.isFinite(Math.fround(v))) {
        throw new DataFormatError(
          `row ${r} column ${c}: ${v} is not a finite float32 value`,
          { file, line: 0 },
        );
      }
      values[r * h.cols + c] = v;
    }
  }
  const idsFile = `${file}.ids`;
  const itemIds: string[] = [];
  const seen = new Map<string, number>();
  try {
    for await (const { text, line } of readLines(idsFile)) {
      const where = { file: idsFile, line };
      const id = checkId(text, where);
      firstSeen(seen, id, where);
      itemIds.push(id);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DataFormatError(
        `the item ids of the NPY rows belong in "${idsFile}" (one per line), which is missing`,
        { file, line: 0 },
      );
    }
    throw error;
  }
  if (itemIds.length !== h.rows) {
    throw new DataFormatError(
      `has ${itemIds.length} item ids, the array "${file}" has ${h.rows} rows`,
      { file: idsFile, line: 0 },
    );
  }
  return {
    file,
    format: "npy",
    modality: "dense",
    sha256: createHash("sha256").update(buf).digest("hex"),
    ids: { file: idsFile, sha256: await fileSha256(idsFile) },
    names: Array.from({ length: h.cols }, (_, c) => `f${c}`),
    itemIds,
    values,
  };
}

/**
 * Puts a feature file's rows on a dataset's dense item indices, appended to
 * `itemFeatures.dense` of a copy of the dataset (its checksum unchanged: the
 * file's own SHA-256 travels in `source`); call once per file.
 *
 * @param dataset A prepared dataset.
 * @param features The file as read.
 * @returns The dataset with the features, and what matched.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { attachItemFeatures } from "./item_features.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const ds = generateSynthetic({ numUsers: 50, numItems: 40 });
 * const { dataset, summary } = attachItemFeatures(ds, {
 *   file: "f.csv", format: "csv", modality: "text", sha256: "0".repeat(64), names: ["x"],
 *   itemIds: [ds.itemIds[0], "not-an-item"], values: Float32Array.of(1, 2),
 * });
 * ok(dataset.itemFeatures?.dense?.[0].present[0] === 1 && summary.unknownRows === 1);
 * ok(summary.itemsWithoutRow === ds.numItems - 1 && dataset.checksum === ds.checksum);
 * ```
 */
export function attachItemFeatures(
  dataset: Dataset,
  features: ItemFeatureFile,
): { dataset: Dataset; summary: ItemFeaturesSummary } {
  const before = dataset.itemFeatures?.dense ?? [];
  if (before.some((d) => d.modality === features.modality)) {
    throw new RangeError(
      `Item features "${features.file}": modality "${features.modality}" is given twice; name each file (--item-features name=PATH)`,
    );
  }
  const index = new Map(dataset.itemIds.map((id, i) => [id, i]));
  const F = features.names.length, N = dataset.numItems;
  const values = new Float32Array(N * F), present = new Uint8Array(N);
  let unknownRows = 0;
  const unknownExamples: string[] = [];
  features.itemIds.forEach((id, r) => {
    const i = index.get(id);
    if (i === undefined) {
      unknownRows++;
      if (unknownExamples.length < 3) unknownExamples.push(id);
      return;
    }
    values.set(features.values.subarray(r * F, (r + 1) * F), i * F);
    present[i] = 1;
  });
  const matchedRows = features.itemIds.length - unknownRows;
  const source = {
    file: features.file,
    sha256: features.sha256,
    ...(features.ids ? { ids: features.ids } : {}),
  };
  const dense: DenseItemFeatures = {
    modality: features.modality,
    names: [...features.names],
    values,
    present,
    source,
  };
  return {
    dataset: {
      ...dataset,
      itemFeatures: { ...(dataset.itemFeatures ?? { fields: {} }), dense: [...before, dense] },
    },
    summary: {
      ...source,
      format: features.format,
      modality: features.modality,
      columns: F,
      rows: features.itemIds.length,
      matchedRows,
      unknownRows,
      unknownExamples,
      itemsWithoutRow: N - matchedRows,
    },
  };
}

/**
 * One line saying what matched, for the run's log.
 *
 * @param name The dataset.
 * @param s The summary.
 * @returns The line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { describeItemFeatures } from "./item_features.ts";
 * const line = describeItemFeatures("d", { file: "f.csv", format: "csv", modality: "text", sha256: "ab".repeat(32),
 *   columns: 2, rows: 3, matchedRows: 2, unknownRows: 1, unknownExamples: ["x"], itemsWithoutRow: 5 });
 * ok(line.includes("1 rows for items not in the dataset"));
 * ```
 */
export function describeItemFeatures(name: string, s: ItemFeaturesSummary): string {
  const unknown = s.unknownRows > 0
    ? `; ${s.unknownRows} rows for items not in the dataset, not used (e.g. ${
      s.unknownExamples.map((id) => `"${id}"`).join(", ")
    })`
    : "";
  return `${name}: item features ${s.file} (modality ${s.modality}, ${s.format}, ${s.columns} columns, sha256 ${
    s.sha256.slice(0, 12)
  }): ${s.matchedRows} of ${s.rows} rows matched${unknown}; ${s.itemsWithoutRow} items without a row miss that modality`;
}
