import { ok, throws } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { plantedRecall } from "../_graph/_beats.ts";
import { modalityRecall } from "../_graph/_planted_modal.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { FREEDOM_DEFAULTS } from "./config.ts";
import { Freedom, pruneEdges } from "./model.ts";
import { freedom } from "./mod.ts";

const small = { ...FREEDOM_DEFAULTS, dim: 8, batchSize: 64, lr: 0.02, knnK: 5 };

Deno.test("FREEDOM ranks cold items of the user's community through the frozen item graph", async () => {
  const r = await modalityRecall(() => new Freedom(small), 200);
  ok(r.signal > r.shuffled + 0.3, `recall@10 with signal ${r.signal}, shuffled ${r.shuffled}`);
});

Deno.test("FREEDOM finds planted communities without features (LightGCN on pruned graphs)", async () => {
  const r = await plantedRecall(new Freedom({ ...small, lr: 0.01, dropout: 0.5 }), 300);
  ok(r.model > r.popular + 0.2, `FREEDOM recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("degree-sensitive pruning keeps low-degree edges more often", () => {
  // User 0 and item 0 have one edge each; users 1-4 share items 1-4 (degree 4 each).
  const rows = [[0], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4], [1, 2, 3, 4]];
  const data = trainingDataFromRows(rows, 5);
  const rng = new Rng(3);
  let lonely = 0;
  const draws = 2000;
  for (let t = 0; t < draws; t++) if (pruneEdges(data, 3, rng).has(0)) lonely++;
  // Weights: 1 for the lone edge, 1/4 for each of the 16 others (total 5). The
  // first draw alone picks it with probability 1/5; over three draws without
  // replacement it is at least that, and at most 3/5.
  ok(lonely / draws > 0.35 && lonely / draws < 0.6, `kept the lone edge in ${lonely} of ${draws}`);
});

Deno.test("freedom's config keeps MMRec's defaults and checks its ranges", () => {
  const c = freedom.configure();
  ok(c.layers === 2 && c.itemLayers === 1 && c.knnK === 10 && c.imageWeight === 0.1);
  ok(c.dropout === 0.8 && c.l2 === 0 && c.dim === 64);
  throws(() => freedom.configure({ dropout: 1 }), RangeError);
  throws(() => freedom.configure({ knnK: 0 }), RangeError);
});
