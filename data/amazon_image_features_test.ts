import { deepStrictEqual, ok, rejects } from "node:assert/strict";
import { createHash } from "node:crypto";
import { writeAmazonImageFeatures } from "./_amazon_image_fixture.ts";
import { readAmazonImageFeatures } from "./amazon_image_features.ts";
import { DataFormatError } from "./errors.ts";
import { readItemFeatureFile } from "./item_features.ts";

async function withFile(fn: (path: string) => Promise<void>) {
  const path = await Deno.makeTempFile({ suffix: ".b" });
  try {
    await fn(path);
  } finally {
    await Deno.remove(path);
  }
}

Deno.test("readAmazonImageFeatures() reads each 10-byte ASIN and its 4,096 float32 values", async () => {
  await withFile(async (path) => {
    const ramp = Float32Array.from({ length: 4096 }, (_, k) => k / 8 - 100);
    await writeAmazonImageFeatures(path, [
      { asin: "B000000001", values: ramp },
      { asin: "0439064872", fill: -1.5 },
    ]);
    const f = await readAmazonImageFeatures(path);
    deepStrictEqual(f.itemIds, ["B000000001", "0439064872"]);
    ok(f.values.length === 2 * 4096 && f.names[4095] === "f4095" && f.format === "amazon-image");
    deepStrictEqual([...f.values.subarray(0, 4096)], [...ramp]);
    ok(f.values.subarray(4096).every((v) => v === -1.5));
    const sha = createHash("sha256").update(await Deno.readFile(path)).digest("hex");
    ok(f.sha256 === sha);
  });
});

Deno.test("--item-features visual=PATH.b reads the Amazon layout as the visual modality", async () => {
  await withFile(async (path) => {
    await writeAmazonImageFeatures(path, [{ asin: "B000000001", fill: 2 }]);
    const f = await readItemFeatureFile(`visual=${path}`);
    ok(f.modality === "visual" && f.itemIds[0] === "B000000001" && f.values[7] === 2);
  });
});

Deno.test("readAmazonImageFeatures() names the truncated record of a cut file", async () => {
  await withFile(async (path) => {
    await writeAmazonImageFeatures(path, [{ asin: "B000000001" }, { asin: "B000000002" }], {
      truncateBy: 5,
    });
    await rejects(
      () => readAmazonImageFeatures(path),
      (e: unknown) =>
        e instanceof DataFormatError && e.line === 2 &&
        /truncated: 32783 bytes is 1 whole records/.test(e.message) &&
        e.message.startsWith(`${path} line 2:`),
    );
  });
});

Deno.test("readAmazonImageFeatures() refuses an empty file, a bad ASIN byte, a repeated ASIN and NaN", async () => {
  await withFile(async (path) => {
    await Deno.writeFile(path, new Uint8Array(0));
    await rejects(() => readAmazonImageFeatures(path), /empty file/);
    await writeAmazonImageFeatures(path, [{ asin: "B00000000\n" }]);
    await rejects(() => readAmazonImageFeatures(path), /byte 10 of the ASIN is 0x0a/);
    await writeAmazonImageFeatures(path, [{ asin: "B000000001" }, { asin: "B000000001" }]);
    await rejects(
      () => readAmazonImageFeatures(path),
      /line 2: ASIN "B000000001" repeats record 1/,
    );
    await writeAmazonImageFeatures(path, [{ asin: "B000000001", fill: NaN }]);
    await rejects(() => readAmazonImageFeatures(path), /value 1 of ASIN "B000000001" is NaN/);
  });
});
