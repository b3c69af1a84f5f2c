import { strictEqual, throws } from "node:assert/strict";
import { parseBenchArgs } from "./cli.ts";

Deno.test("parseBenchArgs() reads --fairness-weighting and rejects unknown weightings", () => {
  const o = parseBenchArgs(["--fairness-weighting", "item"]);
  if (o === "help") throw new Error("not help");
  strictEqual(o.fairnessWeighting, "item");
  const plain = parseBenchArgs([]);
  if (plain === "help") throw new Error("not help");
  strictEqual(plain.fairnessWeighting, undefined);
  throws(() => parseBenchArgs(["--fairness-weighting", "label"]), /genre or item, got "label"/);
});
