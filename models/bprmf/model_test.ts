import { ok } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { BPRMF_DEFAULTS } from "./config.ts";
import { BprMf } from "./model.ts";

Deno.test("BPR-MF finds planted communities that MostPopular cannot", async () => {
  const r = await plantedRecall(
    new BprMf({ ...BPRMF_DEFAULTS, dim: 16, batchSize: 128, lr: 0.01 }),
    300,
  );
  ok(r.model > r.popular + 0.2, `BPR-MF recall@10 ${r.model} vs MostPopular ${r.popular}`);
});
