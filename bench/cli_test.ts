import { ok } from "node:assert/strict";
import { USAGE } from "./cli.ts";

Deno.test("bench --help lists onnx:PATH models and says which model is the focus", () => {
  ok(USAGE.includes("onnx:PATH"), USAGE);
  ok(/last model is the focus/.test(USAGE), USAGE);
  ok(USAGE.includes("--focus"), USAGE);
});

Deno.test("docs/cli.md has a row for every flag bench --help prints", async () => {
  const doc = await Deno.readTextFile(new URL("../docs/cli.md", import.meta.url));
  const flags = [...new Set(USAGE.match(/(?<=^\s+)--[a-z][a-z-]*/gm) ?? [])];
  ok(flags.length > 20, flags.join(" "));
  const missing = flags.filter((f) => !new RegExp("^\\| `" + f + "[ `]", "m").test(doc));
  ok(missing.length === 0, `docs/cli.md lacks ${missing.join(", ")}`);
});
