import { ok, strictEqual } from "node:assert/strict";
import { runBench } from "../bench/run.ts";

Deno.test("the guide's model snippet runs, as written, from a file outside the repository", async () => {
  const guide = await Deno.readTextFile(new URL("./adding-a-model.md", import.meta.url));
  const snippet = /```ts\n([\s\S]*?)```/.exec(guide)?.[1];
  ok(snippet?.includes("export const model"), "the guide's first ts block is the model");
  const outside = await Deno.makeTempDir({ prefix: "recbench-guide-" });
  const repo = new URL("..", import.meta.url).pathname;
  ok(!outside.startsWith(repo), outside);
  await Deno.writeTextFile(`${outside}/my_model.ts`, snippet!);
  const out = await Deno.makeTempDir();
  const results = await runBench({
    models: ["mostpop", `${outside}/my_model.ts`],
    protocols: ["cf"],
    out,
    quiet: true,
  });
  const mine = results.results.find((r) => r.model === "mymodel");
  ok(mine?.state === "completed", JSON.stringify(mine));
  // Popularity times alpha ranks like MostPopular (ties by lower index in both).
  const pop = results.results.find((r) => r.model === "mostpop");
  ok(pop?.state === "completed");
  strictEqual(mine.metrics["recall@20"], pop.metrics["recall@20"]);
});
