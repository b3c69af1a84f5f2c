import { ok } from "node:assert/strict";
import { USAGE } from "./cli.ts";

Deno.test("bench --help lists onnx:PATH models and says which model is the focus", () => {
  ok(USAGE.includes("onnx:PATH"), USAGE);
  ok(/last model is the focus/.test(USAGE), USAGE);
  ok(USAGE.includes("--focus"), USAGE);
});
