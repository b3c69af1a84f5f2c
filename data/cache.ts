/**
 * A binary cache of prepared datasets. The key is a SHA-256 over the raw
 * files' contents (their own SHA-256), the dataset name, the loader and
 * preparation options and the cache format version, so a changed file or
 * option misses. An entry is one file: a JSON header (ids, titles, the
 * preparation report) followed by the typed arrays as raw little-endian bytes,
 * written to a temporary name and renamed, so a crash never leaves half an
 * entry. The entry's size and the SHA-256 of its content are stored at its
 * start and checked on every read, so a truncated or altered entry is refused
 * ({@linkcode CacheEntryDamagedError}) and the caller rebuilds it.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { CategoricalField, Dataset, PreparationReport } from "./dataset.ts";

/** Bump when the layout changes: old entries then simply miss. */
const VERSION = 2;
const MAGIC = "RBDS";
// magic(4) version(4) json length(4) unused(4) size(f64) sha-256 of bytes [PREFIX, size) (32).
const PREFIX = 56;

/**
 * A cache entry that is truncated, altered or unparsable; `file` names it.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { CacheEntryDamagedError } from "./cache.ts";
 * const e = new CacheEntryDamagedError("c/x.bin", "truncated (20 bytes)");
 * ok(e.message === 'Cache entry "c/x.bin" is damaged: truncated (20 bytes)' && e.file === "c/x.bin");
 * ```
 */
export class CacheEntryDamagedError extends SyntaxError {
  /** The entry's path. */
  file: string;
  /**
   * @param file The entry's path.
   * @param what What is wrong.
   */
  constructor(file: string, what: string) {
    super(`Cache entry "${file}" is damaged: ${what}`);
    this.name = "CacheEntryDamagedError";
    this.file = file;
  }
}

let tmpCounter = 0;

/**
 * SHA-256 (hex) of a file's bytes, read as a stream.
 *
 * @param path The file.
 * @returns 64 hex characters.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { fileSha256 } from "./cache.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "abc");
 * ok(await fileSha256(path) === "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
 * await Deno.remove(path);
 * ```
 */
export async function fileSha256(path: string): Promise<string> {
  const h = createHash("sha256");
  using file = await Deno.open(path);
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    h.update(buf.subarray(0, n));
  }
  return h.digest("hex");
}

/**
 * The cache key of a prepared dataset.
 *
 * @param files The raw files read (their contents are hashed; their paths are not).
 * @param settings Everything else the result depends on (name, options).
 * @returns 64 hex characters.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { cacheKey } from "./cache.ts";
 * ok(await cacheKey([], { a: 1 }) !== await cacheKey([], { a: 2 }));
 * ```
 */
export async function cacheKey(files: readonly string[], settings: unknown): Promise<string> {
  const h = createHash("sha256");
  h.update(`${MAGIC}${VERSION}\u0000${stableJson(settings)}`);
  for (const f of files) {
    h.update(`\u0000${f.slice(f.lastIndexOf("/") + 1)}:${await fileSha256(f)}`);
  }
  return h.digest("hex");
}

/** JSON with object keys sorted, so equal settings give equal keys. */
function stableJson(value: unknown): string {
  return JSON.stringify(
    value,
    (_k, v) =>
      v && typeof v === "object" && !Array.isArray(v)
        ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
        : v,
  );
}

/** What a cache entry holds: a dataset and, for a given split, each interaction's part. */
export interface CacheEntry {
  /** The prepared dataset. */
  dataset: Dataset;
  /** Parts of a given split (0 train, 1 valid, 2 test), aligned with `dataset.items`. */
  parts?: Uint8Array;
}

interface Header {
  name: string;
  numUsers: number;
  numItems: number;
  checksum: string;
  preparation: PreparationReport;
  userIds: readonly string[];
  itemIds: readonly string[];
  titles?: string[];
  fields?: { name: string; vocab: string[] }[];
  userFields?: { name: string; vocab: string[] }[];
  userSource?: string;
  arrays: { name: string; type: "i32" | "f64" | "f32" | "u8"; length: number }[];
}

/**
 * Writes an entry atomically (temporary file, then rename).
 *
 * @param path The entry's path (folders are created).
 * @param entry The dataset and optional parts.
 * @returns Nothing.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readCacheEntry, writeCacheEntry } from "./cache.ts";
 * import { generateSynthetic } from "./synthetic.ts";
 * const dir = await Deno.makeTempDir();
 * const dataset = generateSynthetic({ numUsers: 30, numItems: 40 });
 * await writeCacheEntry(`${dir}/x.bin`, { dataset });
 * ok((await readCacheEntry(`${dir}/x.bin`))?.dataset.checksum === dataset.checksum);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeCacheEntry(path: string, entry: CacheEntry): Promise<void> {
  const ds = entry.dataset;
  const arrays: [string, Int32Array | Float64Array | Float32Array | Uint8Array][] = [
    ["userPtr", ds.userPtr],
    ["items", ds.items],
    ["times", ds.times],
  ];
  if (ds.ratings) arrays.push(["ratings", ds.ratings]);
  const fields = ds.itemFeatures
    ? Object.keys(ds.itemFeatures.fields).sort().map((name) => {
      const f = ds.itemFeatures!.fields[name];
      arrays.push([`${name}.ptr`, f.ptr], [`${name}.codes`, f.codes]);
      return { name, vocab: f.vocab };
    })
    : undefined;
  const userFields = ds.userFeatures
    ? Object.keys(ds.userFeatures.fields).sort().map((name) => {
      const f = ds.userFeatures!.fields[name];
      arrays.push([`user:${name}.ptr`, f.ptr], [`user:${name}.codes`, f.codes]);
      return { name, vocab: f.vocab };
    })
    : undefined;
  if (entry.parts) arrays.push(["parts", entry.parts]);
  const header: Header = {
    name: ds.name,
    numUsers: ds.numUsers,
    numItems: ds.numItems,
    checksum: ds.checksum,
    preparation: ds.preparation,
    userIds: ds.userIds,
    itemIds: ds.itemIds,
    ...(ds.itemFeatures?.titles ? { titles: ds.itemFeatures.titles } : {}),
    ...(fields ? { fields } : {}),
    ...(userFields ? { userFields } : {}),
    ...(ds.userFeatures?.source !== undefined ? { userSource: ds.userFeatures.source } : {}),
    arrays: arrays.map(([name, a]) => ({ name, type: typeOf(a), length: a.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  // The prefix, json, padding to 8, then each array padded to 8.
  const start = align(PREFIX + json.length);
  let size = start;
  for (const [, a] of arrays) size = align(size + a.byteLength);
  const out = new Uint8Array(size);
  out.set(new TextEncoder().encode(MAGIC));
  const view = new DataView(out.buffer);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, json.length, true);
  view.setFloat64(16, size, true);
  out.set(json, PREFIX);
  let at = start;
  for (const [, a] of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at = align(at + a.byteLength);
  }
  out.set(createHash("sha256").update(out.subarray(PREFIX)).digest(), 24);
  const dir = path.slice(0, path.lastIndexOf("/"));
  if (dir) await Deno.mkdir(dir, { recursive: true });
  const tmp = `${path}.${Deno.pid}-${++tmpCounter}.tmp`;
  try {
    await Deno.writeFile(tmp, out);
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
}

/**
 * Reads an entry; `undefined` if there is none or it is of another version.
 * Its size and content hash are checked before anything is parsed.
 *
 * @param path The entry's path.
 * @returns The entry, or `undefined`.
 * @throws {CacheEntryDamagedError} If the file is truncated, altered or unparsable.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readCacheEntry } from "./cache.ts";
 * ok(await readCacheEntry("/no/such/entry.bin") === undefined);
 * ```
 */
export async function readCacheEntry(path: string): Promise<CacheEntry | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) {
    throw new CacheEntryDamagedError(path, `no ${MAGIC} header`);
  }
  if (view.getUint32(4, true) !== VERSION) return undefined;
  const size = bytes.length >= PREFIX ? view.getFloat64(16, true) : NaN;
  if (bytes.length !== size) {
    throw new CacheEntryDamagedError(
      path,
      Number.isNaN(size) || bytes.length < size
        ? `truncated (${bytes.length} bytes${Number.isNaN(size) ? "" : ` of ${size}`})`
        : `${bytes.length} bytes where ${size} were written`,
    );
  }
  const stored = Array.from(bytes.subarray(24, 56), (b) => b.toString(16).padStart(2, "0"))
    .join("");
  const actual = createHash("sha256").update(bytes.subarray(PREFIX)).digest("hex");
  if (stored !== actual) {
    throw new CacheEntryDamagedError(
      path,
      `content hash mismatch (stored ${stored.slice(0, 12)}..., computed ${
        actual.slice(0, 12)
      }...)`,
    );
  }
  const jsonLength = view.getUint32(8, true);
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(PREFIX, PREFIX + jsonLength)));
  } catch (error) {
    throw new CacheEntryDamagedError(path, `header: ${(error as Error).message}`);
  }
  const arrays = new Map<string, Int32Array | Float64Array | Float32Array | Uint8Array>();
  let at = align(PREFIX + jsonLength);
  for (const { name, type, length } of header.arrays) {
    const width = { i32: 4, f64: 8, f32: 4, u8: 1 }[type];
    if (at + length * width > bytes.length) {
      throw new CacheEntryDamagedError(path, `array "${name}" is cut short`);
    }
    // Copy into a fresh buffer: aligned, and independent of the file's bytes.
    const raw = bytes.slice(at, at + length * width).buffer;
    arrays.set(
      name,
      type === "i32"
        ? new Int32Array(raw)
        : type === "f64"
        ? new Float64Array(raw)
        : type === "f32"
        ? new Float32Array(raw)
        : new Uint8Array(raw),
    );
    at = align(at + length * width);
  }
  const fields: Record<string, CategoricalField> = {};
  for (const f of header.fields ?? []) {
    fields[f.name] = {
      vocab: f.vocab,
      ptr: arrays.get(`${f.name}.ptr`) as Int32Array,
      codes: arrays.get(`${f.name}.codes`) as Int32Array,
    };
  }
  const userFields: Record<string, CategoricalField> = {};
  for (const f of header.userFields ?? []) {
    userFields[f.name] = {
      vocab: f.vocab,
      ptr: arrays.get(`user:${f.name}.ptr`) as Int32Array,
      codes: arrays.get(`user:${f.name}.codes`) as Int32Array,
    };
  }
  const ratings = arrays.get("ratings") as Float32Array | undefined;
  const hasFeatures = header.titles !== undefined || header.fields !== undefined;
  const dataset: Dataset = {
    name: header.name,
    numUsers: header.numUsers,
    numItems: header.numItems,
    userPtr: arrays.get("userPtr") as Int32Array,
    items: arrays.get("items") as Int32Array,
    times: arrays.get("times") as Float64Array,
    ...(ratings ? { ratings } : {}),
    userIds: header.userIds,
    itemIds: header.itemIds,
    ...(hasFeatures
      ? { itemFeatures: { ...(header.titles ? { titles: header.titles } : {}), fields } }
      : {}),
    ...(header.userFields
      ? {
        userFeatures: {
          fields: userFields,
          ...(header.userSource !== undefined ? { source: header.userSource } : {}),
        },
      }
      : {}),
    checksum: header.checksum,
    preparation: header.preparation,
  };
  const parts = arrays.get("parts") as Uint8Array | undefined;
  return { dataset, ...(parts ? { parts } : {}) };
}

function align(n: number): number {
  return (n + 7) & ~7;
}

function typeOf(
  a: Int32Array | Float64Array | Float32Array | Uint8Array,
): Header["arrays"][0]["type"] {
  return a instanceof Int32Array
    ? "i32"
    : a instanceof Float64Array
    ? "f64"
    : a instanceof Float32Array
    ? "f32"
    : "u8";
}
