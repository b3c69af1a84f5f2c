import { deepStrictEqual, ok } from "node:assert/strict";
import { runBench } from "../../bench/run.ts";

// A model of the family whose backward pass plants a NaN in the gradient
// reaching its interests at iteration 3: the cell must end as errored, naming
// the model, the iteration and the first non-finite tensor, and the sweep must
// go on with the next cell.
Deno.test("a planted non-finite gradient ends its cell as errored with model, iteration and tensor named", async () => {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/planted.ts`;
  const sa = new URL("../comirec_sa/mod.ts", import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { ComiRecSA, comirecSA } from "${sa}";
class Planted extends ComiRecSA {
  steps = 0;
  encode(tape, history, mask, batch) {
    const out = super.encode(tape, history, mask, batch);
    // Backward steps run in training only: count them there.
    tape.custom(out.interests, (g) => { if (++this.steps === 3) g[0] = NaN; });
    return out;
  }
}
export const model = { ...comirecSA, name: "planted-nan", create: (c) => new Planted(c) };
`,
  );
  const res = await runBench({
    models: [path, "youtubednn"],
    protocols: ["sequential"],
    budget: { maxIterations: 6, evalEvery: 3, patience: 1 },
    backend: "typescript",
    out: await Deno.makeTempDir(),
    quiet: true,
  });
  deepStrictEqual(res.results.map((r) => [r.model, r.state]), [
    ["planted-nan", "errored"],
    ["youtubednn", "completed"],
  ]);
  const failed = res.results[0];
  ok(failed.state === "errored");
  ok(failed.error.startsWith("planted-nan: NonFiniteError"), failed.error);
  // The first parameter checked whose gradient the NaN reached: ComiRec-SA's first layer.
  ok(failed.error.includes('Non-finite gradient of "w1" at iteration 3'), failed.error);
});
