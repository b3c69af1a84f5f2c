/**
 * Content checksum of a prepared dataset.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { ItemFeatures, UserFeatures } from "./dataset.ts";

/** The parts of a dataset the checksum covers. */
export interface ChecksumInput {
  /** Row pointers. */
  userPtr: Int32Array;
  /** Items. */
  items: Int32Array;
  /** Times. */
  times: Float64Array;
  /** Ratings, if any. */
  ratings?: Float32Array;
  /** Raw user ids. */
  userIds: readonly string[];
  /** Raw item ids. */
  itemIds: readonly string[];
  /** Item features, if any. */
  itemFeatures?: ItemFeatures;
  /** User features (demographics), if any. */
  userFeatures?: UserFeatures;
}

function bytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/**
 * SHA-256 (hex) over a dataset's content. Typed arrays are hashed as their
 * little-endian bytes; strings joined with NUL separators.
 *
 * @param data The content.
 * @returns 64 hex characters.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { datasetChecksum } from "./checksum.ts";
 * const c = datasetChecksum({ userPtr: new Int32Array([0, 1]), items: new Int32Array([0]),
 *   times: new Float64Array([1]), userIds: ["u"], itemIds: ["i"] });
 * ok(c.length === 64);
 * ```
 */
export function datasetChecksum(data: ChecksumInput): string {
  const h = createHash("sha256");
  const section = (name: string) => h.update(`\u0000${name}\u0000`);
  section("userPtr");
  h.update(bytes(data.userPtr));
  section("items");
  h.update(bytes(data.items));
  section("times");
  h.update(bytes(data.times));
  if (data.ratings) {
    section("ratings");
    h.update(bytes(data.ratings));
  }
  section("userIds");
  h.update(data.userIds.join("\u0000"));
  section("itemIds");
  h.update(data.itemIds.join("\u0000"));
  const f = data.itemFeatures;
  if (f) {
    if (f.titles) {
      section("titles");
      h.update(f.titles.join("\u0000"));
    }
    for (const name of Object.keys(f.fields).sort()) {
      const field = f.fields[name];
      section(`field:${name}`);
      h.update(field.vocab.join("\u0000"));
      h.update(bytes(field.ptr));
      h.update(bytes(field.codes));
    }
  }
  const u = data.userFeatures;
  if (u) {
    for (const name of Object.keys(u.fields).sort()) {
      const field = u.fields[name];
      section(`user-field:${name}`);
      h.update(field.vocab.join("\u0000"));
      h.update(bytes(field.ptr));
      h.update(bytes(field.codes));
    }
  }
  return h.digest("hex");
}
