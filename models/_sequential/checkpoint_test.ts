// Every negative sampler's state (SRNS's per-user memory, the shared stream)
// goes into the sequential family's checkpoints: a resumed run ends as an
// uninterrupted one whichever sampler trains.
import { createEngine } from "../../bench/engine.ts";
import { splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { assertResumesExactly } from "../_checkpoint_testing.ts";
import { MODELS } from "../mod.ts";
import { SAMPLER_NAMES } from "./config.ts";

const ds = generateSynthetic({ numUsers: 120, numItems: 80, numTopics: 4 });
const split = splitSequential(ds, { seed: 1 });
const { backend } = await createEngine({ backend: "typescript" });

for (const sampler of SAMPLER_NAMES) {
  Deno.test(`ComiRec-SA with the ${sampler} sampler resumes from checkpoints to an uninterrupted run's end`, () =>
    assertResumesExactly({
      spec: MODELS["comirec-sa"],
      config: {
        dim: 8,
        batchSize: 16,
        negativeRatio: 2,
        srnsMemory: 3,
        srnsCandidates: 4,
        sampler,
      },
      split,
      numItems: ds.numItems,
      backend,
    }));
}
