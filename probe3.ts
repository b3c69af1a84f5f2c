import { createEngine } from "./bench/engine.ts";
import { evaluateModel } from "./bench/evaluate.ts";
import { deriveRng } from "./data/rng.ts";
import { splitSequential } from "./data/split.ts";
import { generateSynthetic } from "./data/synthetic.ts";
import { MODELS } from "./models/mod.ts";
const [users, items, topics, maxI, iters] = Deno.args.map(Number);
const ds = generateSynthetic({ numUsers: users, numItems: items, numTopics: topics, maxInterests: maxI, persistence: 0.5 });
const split = splitSequential(ds, { seed: 1 });
const engine = await createEngine({ budget: { maxIterations: iters, evalEvery: iters, patience: 1 } });
const base = { batchSize: 32, dim: 16, init: "glorot" };
for (const [name, o] of [["re4", { ...base, construct: 0, reattend: 0 }], ["re4", { ...base, contrast: 0, reattend: 0 }], ["re4", { ...base, contrast: 0, construct: 0 }], ["re4", { ...base, temperature: 0.2 }], ["comirec-sa", base]] as const) {
  const spec = MODELS[name];
  const model = spec.create(spec.configure(o as Record<string, unknown>));
  const t0 = performance.now();
  await model.fit(split.train, { seed: 1, rng: (l) => deriveRng(1, `${name}:${l}`), progress: () => {}, backend: engine.backend, budget: engine.budget });
  const m = evaluateModel(model, split.test, ds.numItems).metrics;
  let cos = 0, n = 0;
  if (model.interests > 1) {
    const q = split.test.queries.slice(0, 50), { users: U } = model.embedQueries!(q), K = model.interests, d = 16;
    for (let b = 0; b < q.length; b++) for (let k = 0; k < K; k++) for (let l = k + 1; l < K; l++) {
      let s = 0, a = 0, c = 0;
      for (let j = 0; j < d; j++) { const x = U[(b*K+k)*d+j], y = U[(b*K+l)*d+j]; s += x*y; a += x*x; c += y*y; }
      cos += s / Math.sqrt(a * c + 1e-12); n++;
    }
  }
  console.log(name, JSON.stringify(o).slice(40), m["recall@50"].toFixed(4), (cos / Math.max(n,1)).toFixed(3), ((performance.now() - t0) / 1000).toFixed(1) + "s");
}
