import { rejects } from "node:assert/strict";
import { runBench } from "./run.ts";

Deno.test("runBench() refuses repeated seeds", async () => {
  await rejects(
    runBench({ models: ["mostpop"], protocols: ["cf"], seeds: [1, 2, 1], quiet: true }),
    /--seeds repeats 1/,
  );
});

Deno.test("runBench() refuses --data-dir without --datasets", async () => {
  await rejects(
    runBench({ models: ["mostpop"], protocols: ["cf"], dataDir: "/tmp", quiet: true }),
    /--data-dir \/tmp is given without --datasets/,
  );
});
