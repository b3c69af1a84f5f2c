import { ok, throws } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { modalityRecall, plantedModalitySplit } from "../_graph/_planted_modal.ts";
import { fitForTest } from "../_graph/_planted.ts";
import { LATTICE_DEFAULTS } from "./config.ts";
import { Lattice } from "./model.ts";
import { lattice } from "./mod.ts";

const small = { ...LATTICE_DEFAULTS, dim: 8, featureDim: 8, batchSize: 64, lr: 0.02, knnK: 5 };

Deno.test("LATTICE ranks cold items of the user's community through the modality graphs", async () => {
  const r = await modalityRecall(() => new Lattice(small), 200);
  ok(r.signal > r.shuffled + 0.3, `recall@10 with signal ${r.signal}, shuffled ${r.shuffled}`);
});

Deno.test("LATTICE learns to weight the modality that carries the signal above the noise", async () => {
  // Only the learned graph sees the features (lambda 0): its weights must move to "signal".
  const model = new Lattice({ ...small, lambda: 0 });
  await fitForTest(model, plantedModalitySplit().train, { iterations: 200 });
  const w = model.modalityWeights();
  ok(w[0] > w[1], `weights signal ${w[0]}, noise ${w[1]}`);
});

Deno.test("LATTICE finds planted communities without features (its LightGCN backbone)", async () => {
  const r = await plantedRecall(new Lattice({ ...small, lr: 0.01 }), 300);
  ok(r.model > r.popular + 0.2, `LATTICE recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("lattice's config keeps MMRec's defaults and checks its ranges", () => {
  const c = lattice.configure();
  ok(c.layers === 2 && c.itemLayers === 1 && c.knnK === 10 && c.lambda === 0.9);
  ok(c.featureDim === 64 && c.dim === 64 && c.lr === 0.001);
  throws(() => lattice.configure({ lambda: -0.1 }), RangeError);
  throws(() => lattice.configure({ knnK: 0 }), RangeError);
});
