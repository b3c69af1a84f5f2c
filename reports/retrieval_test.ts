import { ok } from "node:assert/strict";
import type { CompletedResult } from "../bench/results.ts";
import { retrievalLines } from "./retrieval.ts";

function ann(model: string, seed: number, buildSeconds: number, indexReused?: boolean) {
  return {
    model,
    seed,
    retrieval: {
      method: "ann-usearch",
      seconds: 1,
      queriesPerSecond: 100,
      buildSeconds,
      ...(indexReused ? { indexReused } : {}),
      recallOfExact: 0.98,
      exact: { method: "exact-onnxruntime", seconds: 2, queriesPerSecond: 50 },
    },
  } as unknown as CompletedResult;
}

Deno.test("retrievalLines() says an ANN index was reused instead of a build time of zero", () => {
  const lines = retrievalLines([ann("m", 1, 3.25), ann("m", 2, 0, true)], ["m"], (m) => m);
  ok(
    lines.some((l) => l.startsWith("| m | 1 | ann-usearch | 100 | 3.25 | 0.9800 |")),
    lines.join("\n"),
  );
  ok(
    lines.some((l) => l.startsWith("| m | 2 | ann-usearch | 100 | reused | 0.9800 |")),
    lines.join("\n"),
  );
});
