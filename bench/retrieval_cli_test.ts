import { deepStrictEqual, throws } from "node:assert/strict";
import { parseBenchArgs } from "./cli.ts";

Deno.test("parseBenchArgs() reads --retrieval, the HNSW settings and --export-onnx", () => {
  const o = parseBenchArgs([
    "--retrieval",
    "ann",
    "--ann-connectivity",
    "32",
    "--export-onnx",
    "x",
  ]);
  if (o === "help") throw new Error("not help");
  deepStrictEqual([o.retrieval, o.ann, o.exportOnnx], ["ann", { connectivity: 32 }, "x"]);
  const plain = parseBenchArgs([]);
  if (plain === "help") throw new Error("not help");
  deepStrictEqual([plain.retrieval, plain.ann, plain.exportOnnx], [
    undefined,
    undefined,
    undefined,
  ]);
});

Deno.test("parseBenchArgs() refuses an unknown retrieval and HNSW settings without ANN", () => {
  throws(() => parseBenchArgs(["--retrieval", "fast"]), /score, exact or ann/);
  throws(() => parseBenchArgs(["--ann-expansion-search", "64"]), /needs --retrieval ann/);
});
