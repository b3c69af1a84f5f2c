/**
 * A small, safe zip reader (stored and deflated entries, streamed to disk,
 * CRC-32 and sizes checked) and a writer for test archives. Entry names that
 * are absolute, hold `..`, a backslash or a drive letter are refused before
 * anything is written, and the total unpacked size is capped.
 *
 * @module
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Updates a CRC-32 (as zip and gzip use it) with `bytes`.
 *
 * @param crc The CRC so far (0 to start).
 * @param bytes More bytes.
 * @returns The new CRC.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { crc32 } from "./_zip.ts";
 * ok(crc32(0, new TextEncoder().encode("123456789")) === 0xcbf43926);
 * ```
 */
export function crc32(crc: number, bytes: Uint8Array): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}

/**
 * Throws unless `name` is a safe relative path inside the destination.
 *
 * @param name An archive entry name.
 * @returns The name.
 * @throws {RangeError} For an absolute name, a drive letter, a backslash, NUL or a `..` segment.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkEntryName } from "./_zip.ts";
 * checkEntryName("ml-1m/ratings.dat");
 * throws(() => checkEntryName("../x"), /outside/);
 * throws(() => checkEntryName("/etc/passwd"), /absolute/);
 * ```
 */
export function checkEntryName(name: string): string {
  if (name === "" || name.includes("\u0000")) {
    throw new RangeError(`Archive entry name ${JSON.stringify(name)} is empty or holds NUL`);
  }
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name) || name.includes("\\")) {
    throw new RangeError(
      `Archive entry "${name}" is an absolute path (or has a backslash or drive letter)`,
    );
  }
  if (name.split("/").some((part) => part === "..")) {
    throw new RangeError(`Archive entry "${name}" points outside the destination ("..")`);
  }
  return name;
}

interface Entry {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** Options of {@linkcode extractZip}. */
export interface ExtractOptions {
  /** Cap on the total unpacked bytes. @default {2 ** 34} (16 GiB) */
  maxBytes?: number;
}

/**
 * Unpacks a zip archive into `dest` (created if missing). Every entry name is
 * checked before anything is written; data is streamed and each entry's
 * CRC-32 and size verified.
 *
 * @param archive The zip file.
 * @param dest The folder to unpack into.
 * @param options Size cap.
 * @returns The unpacked file names, in archive order.
 * @throws {RangeError} On an unsafe entry name or when over the size cap.
 * @throws {SyntaxError} On a damaged archive, an encrypted or zip64 entry, or an unknown method.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { extractZip, writeZip } from "./_zip.ts";
 * const dir = await Deno.makeTempDir();
 * await writeZip(`${dir}/a.zip`, [{ name: "d/x.txt", data: new TextEncoder().encode("hi") }]);
 * await extractZip(`${dir}/a.zip`, `${dir}/out`);
 * ok(await Deno.readTextFile(`${dir}/out/d/x.txt`) === "hi");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function extractZip(
  archive: string,
  dest: string,
  options: ExtractOptions = {},
): Promise<string[]> {
  const maxBytes = options.maxBytes ?? 2 ** 34;
  using file = await Deno.open(archive);
  const size = (await file.stat()).size;
  const entries = await readDirectory(file, size, archive);
  let total = 0;
  for (const e of entries) {
    checkEntryName(e.name);
    if (e.method !== 0 && e.method !== 8) {
      throw new SyntaxError(
        `Archive entry "${e.name}" uses compression method ${e.method}; only stored and deflate are read`,
      );
    }
    total += e.size;
  }
  if (total > maxBytes) {
    throw new RangeError(
      `Archive "${archive}" unpacks to ${total} bytes, over the limit of ${maxBytes}`,
    );
  }
  await Deno.mkdir(dest, { recursive: true });
  const written: string[] = [];
  for (const e of entries) {
    const path = `${dest}/${e.name}`;
    if (e.name.endsWith("/")) {
      await Deno.mkdir(path, { recursive: true });
      continue;
    }
    const parent = path.slice(0, path.lastIndexOf("/"));
    await Deno.mkdir(parent, { recursive: true });
    const local = await readAt(file, e.localOffset, 30);
    const lv = new DataView(local.buffer);
    if (lv.getUint32(0, true) !== 0x04034b50) {
      throw new SyntaxError(`Archive "${archive}" is damaged: no local header for "${e.name}"`);
    }
    const dataStart = e.localOffset + 30 + lv.getUint16(26, true) + lv.getUint16(28, true);
    if (dataStart + e.compressedSize > size) {
      throw new SyntaxError(`Archive "${archive}" is damaged: "${e.name}" is cut short`);
    }
    await file.seek(dataStart, Deno.SeekMode.Start);
    let left = e.compressedSize;
    const raw = new ReadableStream<Uint8Array<ArrayBuffer>>({
      async pull(controller) {
        if (left === 0) return controller.close();
        const buf = new Uint8Array(Math.min(left, 1 << 16));
        const n = await file.read(buf);
        if (n === null || n === 0) {
          return controller.error(new SyntaxError(`"${e.name}" is cut short`));
        }
        left -= n;
        controller.enqueue(buf.subarray(0, n));
      },
    });
    const data = e.method === 8 ? raw.pipeThrough(new DecompressionStream("deflate-raw")) : raw;
    let crc = 0, count = 0;
    await using out = await Deno.open(path, { write: true, create: true, truncate: true });
    try {
      for await (const chunk of data) {
        count += chunk.length;
        if (count > e.size) {
          throw new SyntaxError(`"${e.name}" unpacks to more than its recorded ${e.size} bytes`);
        }
        crc = crc32(crc, chunk);
        for (let at = 0; at < chunk.length;) at += await out.write(chunk.subarray(at));
      }
    } catch (error) {
      throw new SyntaxError(`Archive "${archive}" is damaged: ${(error as Error).message}`, {
        cause: error,
      });
    }
    if (count !== e.size || crc !== e.crc) {
      throw new SyntaxError(
        `Archive "${archive}" is damaged: "${e.name}" fails its CRC-32 or size check`,
      );
    }
    written.push(e.name);
  }
  return written;
}

async function readAt(
  file: Deno.FsFile,
  offset: number,
  length: number,
): Promise<Uint8Array<ArrayBuffer>> {
  await file.seek(offset, Deno.SeekMode.Start);
  const buf = new Uint8Array(length);
  let at = 0;
  while (at < length) {
    const n = await file.read(buf.subarray(at));
    if (n === null) throw new SyntaxError("unexpected end of archive");
    at += n;
  }
  return buf;
}

async function readDirectory(file: Deno.FsFile, size: number, archive: string): Promise<Entry[]> {
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await readAt(file, size - tailLength, tailLength);
  const tv = new DataView(tail.buffer);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tv.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) {
    throw new SyntaxError(`"${archive}" is not a zip archive (no end of central directory)`);
  }
  const count = tv.getUint16(eocd + 10, true);
  const cdSize = tv.getUint32(eocd + 12, true);
  const cdOffset = tv.getUint32(eocd + 16, true);
  if (count === 0xffff || cdOffset === 0xffffffff) {
    throw new SyntaxError(`"${archive}" is a zip64 archive, which is not read`);
  }
  if (cdOffset + cdSize > size) {
    throw new SyntaxError(`"${archive}" is damaged: central directory out of range`);
  }
  const cd = await readAt(file, cdOffset, cdSize);
  const v = new DataView(cd.buffer);
  const entries: Entry[] = [];
  let at = 0;
  for (let k = 0; k < count; k++) {
    if (at + 46 > cd.length || v.getUint32(at, true) !== 0x02014b50) {
      throw new SyntaxError(`"${archive}" is damaged: bad central directory entry ${k + 1}`);
    }
    const flags = v.getUint16(at + 8, true);
    const nameLength = v.getUint16(at + 28, true);
    const name = new TextDecoder().decode(cd.subarray(at + 46, at + 46 + nameLength));
    if (flags & 1) throw new SyntaxError(`Archive entry "${name}" is encrypted`);
    entries.push({
      name,
      method: v.getUint16(at + 10, true),
      crc: v.getUint32(at + 16, true),
      compressedSize: v.getUint32(at + 20, true),
      size: v.getUint32(at + 24, true),
      localOffset: v.getUint32(at + 42, true),
    });
    at += 46 + nameLength + v.getUint16(at + 30, true) + v.getUint16(at + 32, true);
  }
  return entries;
}

/**
 * Writes a zip archive of deflated entries (names are written as given, so
 * tests can build hostile archives). Deterministic: fixed timestamps.
 *
 * @param path The archive to write.
 * @param entries Names and contents.
 * @returns Nothing.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { writeZip } from "./_zip.ts";
 * const path = await Deno.makeTempFile();
 * await writeZip(path, [{ name: "a.txt", data: new Uint8Array([1, 2, 3]) }]);
 * ok((await Deno.readFile(path))[0] === 0x50); // "PK"
 * await Deno.remove(path);
 * ```
 */
export async function writeZip(
  path: string,
  entries: readonly { name: string; data: Uint8Array }[],
): Promise<void> {
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  let offset = 0;
  for (const { name, data } of entries) {
    const nameBytes = new TextEncoder().encode(name);
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream()
      .pipeThrough(new CompressionStream("deflate-raw"));
    const compressed = new Uint8Array(await new Response(stream).arrayBuffer());
    const crc = crc32(0, data);
    const local = new Uint8Array(30 + nameBytes.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(8, 8, true);
    lv.setUint16(12, 0x21, true); // 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, compressed.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    const cd = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(10, 8, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, compressed.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    cd.set(nameBytes, 46);
    parts.push(local, compressed);
    central.push(cd);
    offset += local.length + compressed.length;
  }
  const cdSize = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, entries.length, true);
  ev.setUint16(10, entries.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, offset, true);
  await Deno.writeFile(
    path,
    new Uint8Array(
      await new Blob([...parts, ...central, end] as Uint8Array<ArrayBuffer>[]).arrayBuffer(),
    ),
  );
}
