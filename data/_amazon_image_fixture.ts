/**
 * Test helper: writes a small file in the Amazon 2014 image-feature layout
 * (`image_features_<Category>.b`: a 10-byte ASIN, then 4,096 float32
 * little-endian, per record), encoded here with `DataView` independently of
 * the reader.
 *
 * @module
 */

/** One record: the ASIN and either every value or one value repeated. */
export interface ImageRecord {
  /** 10 ASCII characters. */
  asin: string;
  /** 4,096 values; wins over `fill`. */
  values?: ArrayLike<number>;
  /** The value of every position (default 0). */
  fill?: number;
}

/**
 * Writes the records, then `truncateBy` bytes fewer (to make a broken file).
 *
 * @param path Destination.
 * @param records The records.
 * @param options `truncateBy` bytes cut from the end.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { writeAmazonImageFeatures } from "./_amazon_image_fixture.ts";
 * const path = await Deno.makeTempFile({ suffix: ".b" });
 * await writeAmazonImageFeatures(path, [{ asin: "B000000001" }]);
 * ok((await Deno.stat(path)).size === 10 + 4 * 4096);
 * await Deno.remove(path);
 * ```
 */
export async function writeAmazonImageFeatures(
  path: string,
  records: readonly ImageRecord[],
  options: { truncateBy?: number } = {},
): Promise<void> {
  const size = 10 + 4 * 4096;
  const bytes = new Uint8Array(records.length * size);
  const view = new DataView(bytes.buffer);
  records.forEach((r, i) => {
    if (r.asin.length !== 10) throw new RangeError(`ASIN "${r.asin}" is not 10 characters`);
    for (let b = 0; b < 10; b++) bytes[i * size + b] = r.asin.charCodeAt(b);
    for (let k = 0; k < 4096; k++) {
      view.setFloat32(i * size + 10 + 4 * k, r.values ? r.values[k] : r.fill ?? 0, true);
    }
  });
  await Deno.writeFile(path, bytes.subarray(0, bytes.length - (options.truncateBy ?? 0)));
}
