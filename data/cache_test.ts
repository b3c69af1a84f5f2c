import assert from "node:assert/strict";
import { CacheEntryDamagedError, readCacheEntry } from "./cache.ts";
import { loadDataset } from "./load.ts";
import { tempDir } from "./_testing.ts";

const formats = new URL("../fixtures/formats", import.meta.url).pathname;

async function copyDir(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyDir(`${from}/${e.name}`, `${to}/${e.name}`);
    else await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
  }
}

Deno.test("loadDataset() reads the cache on a second load, with the same dataset", async () => {
  await using dir = await tempDir();
  const cacheDir = `${dir.path}/cache`;
  const first = await loadDataset("amazon-books", { dataDir: formats, cacheDir });
  assert.equal(first.cache, "miss");
  const phases: string[] = [];
  const second = await loadDataset("amazon-books", {
    dataDir: formats,
    cacheDir,
    onPhase: (p) => phases.push(p),
  });
  assert.equal(second.cache, "hit");
  assert.deepEqual(phases, ["done"], "a hit neither reads nor prepares");
  assert.deepEqual(second.dataset, first.dataset);
});

Deno.test("loadDataset() misses the cache after a raw file or an option changes", async () => {
  await using dir = await tempDir();
  const dataDir = `${dir.path}/data`;
  await copyDir(`${formats}/gowalla`, `${dataDir}/gowalla`);
  const cacheDir = `${dir.path}/cache`;
  const original = await loadDataset("gowalla", { dataDir, cacheDir });
  assert.equal(original.cache, "miss");
  assert.equal((await loadDataset("gowalla", { dataDir, cacheDir })).cache, "hit");
  const changed = await loadDataset("gowalla", {
    dataDir,
    cacheDir,
    prepare: { dedupe: "keep-first" },
  });
  assert.equal(changed.cache, "miss");
  const path = `${dataDir}/gowalla/loc-gowalla_totalCheckins.txt`;
  const text = await Deno.readTextFile(path);
  await Deno.writeTextFile(path, text.replace(/\n[^\n]*\n$/, "\n")); // drop the last check-in
  const edited = await loadDataset("gowalla", { dataDir, cacheDir });
  assert.equal(edited.cache, "miss");
  assert.equal(
    edited.dataset.preparation.rawInteractions,
    original.dataset.preparation.rawInteractions - 1,
  );
});

Deno.test("a given split round-trips through the cache with its parts", async () => {
  await using dir = await tempDir();
  const cacheDir = `${dir.path}/cache`;
  const first = await loadDataset("lightgcn-gowalla", {
    dataDir: formats,
    cacheDir,
    split: "given",
  });
  const second = await loadDataset("lightgcn-gowalla", {
    dataDir: formats,
    cacheDir,
    split: "given",
  });
  assert.equal(second.cache, "hit");
  assert.deepEqual(second.parts, first.parts);
  assert.ok(first.parts!.includes(2));
});

Deno.test("readCacheEntry() refuses a damaged entry instead of returning half a dataset", async () => {
  await using dir = await tempDir();
  const cacheDir = `${dir.path}/cache`;
  const { cachePath } = await loadDataset("retailrocket", { dataDir: formats, cacheDir });
  const bytes = await Deno.readFile(cachePath!);
  await Deno.writeFile(cachePath!, bytes.subarray(0, bytes.length - 64));
  await assert.rejects(readCacheEntry(cachePath!), /truncated/);
});

for (
  const [what, damage, expected] of [
    ["with altered values", (b: Uint8Array) => {
      const c = b.slice();
      // Overwrite values in the last array (the end of the file), as a bad disk or a stray write would.
      for (let i = c.length - 200; i < c.length - 100; i++) c[i] ^= 0x5a;
      return c;
    }, /content hash mismatch/],
    ["truncated", (b: Uint8Array) => b.subarray(0, 1000), /truncated \(1000 bytes of \d+\)/],
    ["cut inside its prefix", (b: Uint8Array) => b.subarray(0, 20), /truncated \(20 bytes\)/],
  ] as const
) {
  Deno.test(`a cache entry ${what} is reported by name and rebuilt from the raw files`, async () => {
    await using dir = await tempDir();
    const cacheDir = `${dir.path}/cache`;
    const first = await loadDataset("amazon-books", { dataDir: formats, cacheDir });
    const path = first.cachePath!;
    await Deno.writeFile(path, damage(await Deno.readFile(path)));
    await assert.rejects(readCacheEntry(path), (e: Error) => {
      assert.ok(e instanceof CacheEntryDamagedError && e.file === path, String(e));
      assert.match(e.message, expected);
      assert.ok(e.message.includes(path));
      return true;
    });
    const warnings: string[] = [];
    const again = await loadDataset("amazon-books", {
      dataDir: formats,
      cacheDir,
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(again.cache, "miss");
    assert.equal(warnings.length, 1);
    assert.ok(warnings[0].includes(path) && warnings[0].includes("rebuilt"), warnings[0]);
    assert.equal(again.cacheRebuilt, warnings[0]);
    assert.deepEqual(again.dataset, first.dataset);
    // Rebuilt in place: the next load is a hit again.
    assert.equal((await loadDataset("amazon-books", { dataDir: formats, cacheDir })).cache, "hit");
  });
}
