import { ok, throws } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { fitForTest, plantedSplit } from "../_graph/_planted.ts";
import { BPRMF_DEFAULTS } from "./config.ts";
import { BprMf } from "./model.ts";
import { bprMf } from "./mod.ts";

Deno.test("BPR-MF finds planted communities that MostPopular cannot", async () => {
  // Normal(0, 1) rows of width 16 start with inner products of std 4: a higher
  // rate than the default lets 300 batches undo them.
  const r = await plantedRecall(
    new BprMf({ ...BPRMF_DEFAULTS, dim: 16, batchSize: 128, lr: 0.05 }),
    300,
  );
  ok(r.model > r.popular + 0.2, `BPR-MF recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("BPR-MF with the former settings (pairs, lazy Adam, std 0.1) finds them too", async () => {
  const r = await plantedRecall(
    new BprMf({
      ...BPRMF_DEFAULTS,
      dim: 16,
      batchSize: 128,
      lr: 0.01,
      sampler: "pairs",
      optimizer: "lazy-adam",
      initStd: 0.1,
    }),
    300,
  );
  ok(r.model > r.popular + 0.2, `BPR-MF recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("BPR-MF trains as LightGCN-PyTorch's MF by default (users sampler, dense Adam, N(0, 1))", () => {
  const c = bprMf.configure();
  ok(c.sampler === "users" && c.optimizer === "adam" && c.initStd === 1);
  ok(c.dim === 64 && c.lr === 0.001 && c.batchSize === 2048 && c.l2 === 1e-4);
  throws(() => bprMf.configure({ initStd: 0 }), /"initStd" must be finite and > 0, got 0/);
  throws(() => bprMf.configure({ sampler: "items" }), /"sampler" must be one of users, pairs/);
  throws(() => bprMf.configure({ optimizer: "sgd" }), /"optimizer" must be one of adam, lazy-adam/);
});

Deno.test("BPR-MF's tables start with the configured standard deviation", async () => {
  const { train } = plantedSplit();
  for (const initStd of [1, 0.1]) {
    // One step at a negligible rate leaves the initial values (to 1e-6).
    const m = new BprMf({ ...BPRMF_DEFAULTS, lr: 1e-9, initStd });
    await fitForTest(m, train, { iterations: 1 });
    const queries = train.validation!.queries;
    const { users, items } = m.embedQueries(queries);
    for (const x of [users, items]) {
      const mean = x.reduce((a, b) => a + b, 0) / x.length;
      const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length);
      ok(Math.abs(sd / initStd - 1) < 0.05 && Math.abs(mean) < 0.05 * initStd, `std ${sd}`);
    }
  }
});
