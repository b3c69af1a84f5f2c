/**
 * The visual features distributed with the Amazon 2014 review data
 * (McAuley et al.; `image_features_<Category>.b`): records of a 10-byte
 * ASCII ASIN followed by 4,096 float32 values, little-endian, repeated to the
 * end of the file, with no header. Read as a dense item-feature file
 * (`--item-features visual=image_features_Baby.b`), matched by ASIN.
 *
 * The file is read in chunks into one `Float32Array` (rows x 4,096 x 4
 * bytes: about 1.1 GB for Baby's 71k items), hashed on the way. A size that
 * is not a whole number of records, an ASIN that is not printable ASCII, a
 * repeated ASIN or a non-finite value is a {@linkcode DataFormatError} naming
 * the file and the record (reported as its "line", 1-based).
 *
 * @module
 */
import { createHash } from "node:crypto";
import { DataFormatError } from "./errors.ts";
import type { ItemFeatureFile } from "./item_features.ts";

/** Bytes of the ASIN at the start of each record. */
export const AMAZON_ASIN_BYTES = 10;
/** Float32 values per record. */
export const AMAZON_IMAGE_DIM = 4096;
const RECORD = AMAZON_ASIN_BYTES + 4 * AMAZON_IMAGE_DIM;

/**
 * Reads an Amazon 2014 `image_features_<Category>.b` file.
 *
 * @param path The `.b` file.
 * @returns The rows in file order (names `f0 .. f4095`) and the SHA-256.
 * @throws {DataFormatError} For a truncated file, a bad ASIN, a repeated ASIN
 *   or a non-finite value.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readAmazonImageFeatures } from "./amazon_image_features.ts";
 * import { writeAmazonImageFeatures } from "./_amazon_image_fixture.ts";
 * const path = await Deno.makeTempFile({ suffix: ".b" });
 * await writeAmazonImageFeatures(path, [{ asin: "B000000001", fill: 0.5 }]);
 * const f = await readAmazonImageFeatures(path);
 * ok(f.itemIds[0] === "B000000001" && f.values[4095] === 0.5 && f.names.length === 4096);
 * await Deno.remove(path);
 * ```
 */
export async function readAmazonImageFeatures(path: string): Promise<ItemFeatureFile> {
  const size = (await Deno.stat(path)).size;
  const rows = Math.floor(size / RECORD);
  if (size % RECORD !== 0) {
    throw new DataFormatError(
      `truncated: ${size} bytes is ${rows} whole records of ${RECORD} bytes (a ${AMAZON_ASIN_BYTES}-byte ASIN and ${AMAZON_IMAGE_DIM} float32) and ${
        size % RECORD
      } bytes of record ${rows + 1}`,
      { file: path, line: rows + 1 },
    );
  }
  if (rows === 0) throw new DataFormatError("empty file: no records", { file: path, line: 0 });
  const values = new Float32Array(rows * AMAZON_IMAGE_DIM);
  const itemIds: string[] = [];
  const seen = new Map<string, number>();
  const hash = createHash("sha256");
  const perChunk = 256, chunk = new Uint8Array(perChunk * RECORD);
  const file = await Deno.open(path, { read: true });
  try {
    for (let first = 0; first < rows; first += perChunk) {
      const count = Math.min(perChunk, rows - first), want = count * RECORD;
      let got = 0;
      while (got < want) {
        const n = await file.read(chunk.subarray(got, want));
        if (n === null) {
          throw new DataFormatError(`the file ended early, at byte ${first * RECORD + got}`, {
            file: path,
            line: first + Math.floor(got / RECORD) + 1,
          });
        }
        got += n;
      }
      hash.update(chunk.subarray(0, want));
      const view = new DataView(chunk.buffer, 0, want);
      for (let r = 0; r < count; r++) {
        const record = first + r + 1, at = r * RECORD, where = { file: path, line: record };
        let asin = "";
        for (let b = 0; b < AMAZON_ASIN_BYTES; b++) {
          const c = chunk[at + b];
          if (c < 0x21 || c > 0x7e) {
            throw new DataFormatError(
              `byte ${b + 1} of the ASIN is 0x${
                c.toString(16).padStart(2, "0")
              }, not printable ASCII`,
              where,
            );
          }
          asin += String.fromCharCode(c);
        }
        const before = seen.get(asin);
        if (before !== undefined) {
          throw new DataFormatError(`ASIN "${asin}" repeats record ${before}`, where);
        }
        seen.set(asin, record);
        itemIds.push(asin);
        const o = (record - 1) * AMAZON_IMAGE_DIM;
        for (let k = 0; k < AMAZON_IMAGE_DIM; k++) {
          const v = view.getFloat32(at + AMAZON_ASIN_BYTES + 4 * k, true);
          if (!Number.isFinite(v)) {
            throw new DataFormatError(`value ${k + 1} of ASIN "${asin}" is ${v}`, where);
          }
          values[o + k] = v;
        }
      }
    }
  } finally {
    file.close();
  }
  return {
    file: path,
    format: "amazon-image",
    sha256: hash.digest("hex"),
    names: Array.from({ length: AMAZON_IMAGE_DIM }, (_, k) => `f${k}`),
    itemIds,
    values,
    modality: "dense",
  };
}
