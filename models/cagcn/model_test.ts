import { ok, throws } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { CAGCN_DEFAULTS, CAGCN_STAR_DEFAULTS } from "./config.ts";
import { Cagcn } from "./model.ts";
import { cagcn, cagcnStar } from "./mod.ts";

for (
  const [name, defaults] of [["CAGCN", CAGCN_DEFAULTS], ["CAGCN*", CAGCN_STAR_DEFAULTS]] as const
) {
  Deno.test(`${name} finds planted communities that MostPopular cannot`, async () => {
    const r = await plantedRecall(
      new Cagcn({ ...defaults, dim: 16, batchSize: 128, lr: 0.01 }),
      300,
    );
    ok(r.model > r.popular + 0.2, `${name} recall@10 ${r.model} vs MostPopular ${r.popular}`);
  });
}

Deno.test("CAGCN's defaults are the authors' run scripts' (jc; CAGCN coeff 1, L2 1e-4; CAGCN* L2 1e-3)", () => {
  const a = cagcn.configure(), b = cagcnStar.configure();
  ok(a.cir === "jc" && a.coeff === 1 && a.l2 === 1e-4 && !a.fusion && a.layers === 3);
  ok(b.fusion && b.l2 === 1e-3 && b.sampler === "pairs" && b.optimizer === "adam");
  throws(() => cagcn.configure({ coeff: 0 }), RangeError);
  throws(() => cagcnStar.configure({ cir: "cos" }), RangeError);
});
