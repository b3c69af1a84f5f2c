import { ok, throws } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { LIGHTGCN_DEFAULTS } from "./config.ts";
import { LightGcn } from "./model.ts";
import { lightGcn } from "./mod.ts";

Deno.test("LightGCN finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(
    new LightGcn({ ...LIGHTGCN_DEFAULTS, dim: 16, batchSize: 128, lr: 0.01 }),
    300,
  );
  ok(r.model > r.popular + 0.2, `LightGCN recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("LightGCN with the former settings (pairs, lazy Adam) finds them too", async () => {
  const r = await plantedRecall(
    new LightGcn({
      ...LIGHTGCN_DEFAULTS,
      dim: 16,
      batchSize: 128,
      lr: 0.01,
      sampler: "pairs",
      optimizer: "lazy-adam",
    }),
    300,
  );
  ok(r.model > r.popular + 0.2, `LightGCN recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("LightGCN's defaults are the paper's (d 64, 3 layers, lr 1e-3, batch 2048, L2 1e-4)", () => {
  const c = lightGcn.configure();
  ok(c.dim === 64 && c.layers === 3 && c.lr === 0.001 && c.batchSize === 2048 && c.l2 === 1e-4);
  throws(() => lightGcn.configure({ layers: 1.5 }), RangeError);
  throws(() => lightGcn.configure({ initStd: -1 }), RangeError);
});

Deno.test("LightGCN trains as LightGCN-PyTorch by default (users sampler, dense Adam, N(0, 0.1))", () => {
  const c = lightGcn.configure();
  ok(c.sampler === "users" && c.optimizer === "adam" && c.initStd === 0.1);
});
