import { ok, throws } from "node:assert/strict";
import { plantedRecall } from "../_graph/_beats.ts";
import { modalityRecall } from "../_graph/_planted_modal.ts";
import { VBPR_DEFAULTS } from "./config.ts";
import { Vbpr } from "./model.ts";
import { vbpr } from "./mod.ts";

const small = { ...VBPR_DEFAULTS, dim: 8, visualDim: 8, batchSize: 64, lr: 0.02 };

Deno.test("VBPR ranks cold items of the user's community by the modality that carries it", async () => {
  // Targets are items nobody trained on: only theta_u . E f_i and beta' f_i can rank them.
  const r = await modalityRecall(() => new Vbpr(small), 200);
  ok(r.signal > r.shuffled + 0.3, `recall@10 with signal ${r.signal}, shuffled ${r.shuffled}`);
});

Deno.test("VBPR finds planted communities without features (as BPR-MF with item biases)", async () => {
  const r = await plantedRecall(new Vbpr({ ...small, lr: 0.01 }), 300);
  ok(r.model > r.popular + 0.2, `VBPR recall@10 ${r.model} vs MostPopular ${r.popular}`);
});

Deno.test("vbpr's config keeps MMRec's widths and checks its ranges", () => {
  const c = vbpr.configure();
  ok(c.dim === 64 && c.visualDim === 64 && c.lr === 0.001 && c.batchSize === 2048);
  throws(() => vbpr.configure({ visualDim: 0 }), RangeError);
  throws(() => vbpr.configure({ initStd: 0 }), RangeError);
});
