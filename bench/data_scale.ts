/**
 * `deno task data:scale`: the data path at full size. Writes an Amazon
 * Books-sized ratings-only CSV (8,898,041 interactions, 603,668 users,
 * 367,982 items, as in ComiRec's Books) into a temporary folder, then times
 * parse + one-pass 5-filter + sequential split (with the cache written), reads
 * the peak resident memory from `/proc/self/status`, and times the cached
 * second load. Prints both figures; deletes the folder. A benchmark, not a test.
 *
 * @module
 */
import { loadDataset } from "../data/load.ts";
import { deriveRng } from "../data/rng.ts";
import { splitSequential } from "../data/split.ts";
import { kernelPeakRssMiB } from "./memory.ts";

/** Sizes of the generated file. */
export const BOOKS = { users: 603_668, items: 367_982, interactions: 8_898_041 } as const;

/**
 * Writes a ratings-only CSV with exactly `sizes.interactions` lines, every
 * user present with at least 5 events and item popularity skewed (a power law
 * over item ranks), deterministic for the seed.
 *
 * @param path The file to write.
 * @param sizes Users, items and interactions.
 * @returns Nothing.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { writeScaleFile } from "./data_scale.ts";
 * const path = await Deno.makeTempFile();
 * await writeScaleFile(path, { users: 10, items: 20, interactions: 60 });
 * ok((await Deno.readTextFile(path)).split("\n").length === 61);
 * await Deno.remove(path);
 * ```
 */
export async function writeScaleFile(
  path: string,
  sizes: { users: number; items: number; interactions: number },
): Promise<void> {
  const rng = deriveRng(1, "scale-bench");
  // Lengths: 5 each, the rest spread at random.
  const lengths = new Int32Array(sizes.users).fill(5);
  for (let k = 5 * sizes.users; k < sizes.interactions; k++) lengths[rng.int(sizes.users)]++;
  const asin = (i: number) => `B${String(i).padStart(9, "0")}`;
  using file = await Deno.open(path, { write: true, create: true, truncate: true });
  const enc = new TextEncoder();
  let chunk = "";
  let time = 1_000_000_000;
  for (let u = 0; u < sizes.users; u++) {
    const user = `A${(u * 2654435761 % 4294967296).toString(36).toUpperCase()}${u.toString(36)}`;
    for (let k = 0; k < lengths[u]; k++) {
      // Ranks skewed toward popular items; every item gets at least some mass.
      const item = Math.floor(sizes.items * rng.float() ** 1.6);
      time += rng.int(5000);
      chunk += `${user},${asin(item)},${1 + rng.int(5)}.0,${time}\n`;
    }
    if (chunk.length > 1 << 20) {
      await writeAll(file, enc.encode(chunk));
      chunk = "";
    }
  }
  await writeAll(file, enc.encode(chunk));
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  for (let at = 0; at < bytes.length;) at += await file.write(bytes.subarray(at));
}

if (import.meta.main) {
  const dir = await Deno.makeTempDir({ prefix: "recbench-scale-" });
  try {
    const folder = `${dir}/amazon-books`;
    await Deno.mkdir(folder);
    const csv = `${folder}/ratings_Books.csv`;
    let t = performance.now();
    await writeScaleFile(csv, BOOKS);
    const mib = (await Deno.stat(csv)).size / 2 ** 20;
    console.log(
      `generated ${csv}: ${mib.toFixed(0)} MiB in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const cacheDir = `${dir}/cache`;

    t = performance.now();
    const marks: Record<string, number> = {};
    const first = await loadDataset("amazon-books", {
      dataDir: dir,
      cacheDir,
      onPhase: (p) => (marks[p] = performance.now()),
    });
    const tSplit = performance.now();
    const split = splitSequential(first.dataset, { seed: 1, maxlen: 20 });
    const end = performance.now();
    const ds = first.dataset;
    const s = (a: number, b: number) => ((b - a) / 1000).toFixed(1);
    console.log(
      `first load: ${ds.preparation.rawInteractions} interactions read -> ${ds.numUsers} users, ` +
        `${ds.numItems} items, ${ds.items.length} interactions after the 5-filter; ` +
        `${split.config.users ? JSON.stringify(split.config.users) : ""} users split`,
    );
    console.log(
      `  parse ${s(marks.read, marks.prepare)} s, filter+renumber+sort+checksum+cache write ${
        s(marks.prepare, marks.done)
      } s, split ${s(tSplit, end)} s; total (with hashing the file) ${s(t, end)} s; ` +
        `peak RSS ${(await kernelPeakRssMiB()).toFixed(0)} MiB`,
    );
    t = performance.now();
    const second = await loadDataset("amazon-books", { dataDir: dir, cacheDir });
    const tLoaded = performance.now();
    splitSequential(second.dataset, { seed: 1, maxlen: 20 });
    console.log(
      `cached second load: ${
        s(t, tLoaded)
      } s (cache ${second.cache}; hashing the raw file included), ` +
        `${s(tLoaded, performance.now())} s more to split; same checksum: ${
          second.dataset.checksum === ds.checksum
        }`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
