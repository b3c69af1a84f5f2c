import { deepStrictEqual, ok } from "node:assert/strict";
import { runBench } from "./run.ts";

Deno.test("validation through the exact ranker picks the same best iteration as through score()", async () => {
  const run = async (validation: "exact" | "score") =>
    (await runBench({
      models: ["bprmf", "gru4rec"],
      seeds: [1],
      quiet: true,
      budget: { maxIterations: 30, evalEvery: 5, patience: 10 },
      validation,
      out: await Deno.makeTempDir(),
    })).results;
  const exact = await run("exact"), score = await run("score");
  ok(exact.length >= 2 && exact.every((r) => r.state === "completed"));
  for (const [i, r] of exact.entries()) {
    const s = score[i];
    if (r.state !== "completed" || s.state !== "completed") throw new Error("a cell errored");
    const label = `${r.model} on ${r.protocol}`;
    const engine = (c: typeof r) => ({ validation: String(c.config.engine?.validation) });
    ok(engine(r).validation.startsWith("exact-") && engine(s).validation === "score", label);
    const curve = r.training!.curve;
    // Several validations, not all equal: the choice of the best one is real.
    ok(curve.length >= 5 && new Set(curve.map(([, v]) => v)).size > 1, `${label}: ${curve}`);
    deepStrictEqual(curve, s.training!.curve, label);
    deepStrictEqual(r.training!.bestIteration, s.training!.bestIteration, label);
    deepStrictEqual(r.metrics, s.metrics, label);
  }
});
