import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { splitSequential } from "../../data/split.ts";
import { generateSynthetic } from "../../data/synthetic.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import { TypeScriptBackend } from "../engine/backend.ts";
import { sampledSoftmaxLoss, Tape } from "../engine/tape.ts";
import { EmbeddingTable, Tensor } from "../engine/tensor.ts";
import { fitForTest } from "../_testing.ts";
import { MODELS } from "../mod.ts";
import {
  checkSequentialConfig,
  SAMPLER_NAMES,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "./config.ts";
import {
  checkFullSoftmax,
  createNegativeStrategy,
  dynamicChoice,
  negativeLogits,
  targetDistribution,
} from "./negatives.ts";
import { SequenceSampler } from "./sampler.ts";
import { selectColumns } from "./select_columns.ts";

/** A family model's configured settings. */
function sequential(name: string, overrides: Record<string, unknown>): SequentialConfig {
  return MODELS[name].configure(overrides) as SequentialConfig;
}

const split = splitSequential(generateSynthetic({ numUsers: 80, numItems: 60 }), { seed: 1 });
const data = split.train;

/** A batch, a random item table and read-out interests for `negativeLogits`. */
function setup(overrides: Record<string, unknown>, B = 6, d = 3) {
  const config = { ...SEQUENTIAL_DEFAULTS, batchSize: B, dim: d, negativeRatio: 2, ...overrides };
  const strategy = createNegativeStrategy(
    "test",
    checkSequentialConfig("test", config),
    data,
    new Rng(7),
  );
  const batch = new SequenceSampler(data, 5, new Rng(3)).next(B);
  const rng = new Rng(11);
  const table = new EmbeddingTable(
    Float32Array.from({ length: data.numItems * d }, () => rng.normal()),
    data.numItems,
    d,
  );
  const user = new Tensor(Float32Array.from({ length: B * d }, () => rng.normal()), [B, d]);
  return { config, strategy, batch, table, user, d, B };
}

function dot(table: EmbeddingTable, user: Tensor, b: number, item: number): number {
  let s = 0;
  for (let j = 0; j < table.dim; j++) {
    s += user.data[b * table.dim + j] * table.data[item * table.dim + j];
  }
  return s;
}

Deno.test("selectColumns() sends each picked entry's gradient back (finite differences)", () => {
  const pick = Int32Array.of(2, 0, 2, 1, 1, 3);
  checkGradient(
    "selectColumns",
    [[2, 4]],
    (tape, [x]) => selectColumns(tape, x, pick, { batch: 2, columns: 4 }),
  );
});

Deno.test("selectColumns() refuses a column outside the scores", () => {
  const x = new Tensor(new Float32Array(4), [2, 2]);
  throws(
    () =>
      selectColumns(new Tape(new TypeScriptBackend()), x, Int32Array.of(0, 2), {
        batch: 2,
        columns: 2,
      }),
    /row 1 picks column 2, outside \[0, 2\)/,
  );
});

Deno.test("an unknown sampler is refused with the allowed names", () => {
  throws(
    () => MODELS["comirec-sa"].configure({ sampler: "hard" }),
    /sampler must be one of "uniform", "mns", "dns", "srns", "full", got "hard"/,
  );
});

Deno.test("IHN is refused with the samplers that already choose their negatives, kept with uniform and full", () => {
  for (const sampler of ["mns", "dns", "srns"]) {
    throws(
      () => MODELS["remi"].configure({ sampler }),
      /cannot be combined with IHN \(beta 1 > 0\)/,
    );
  }
  for (const sampler of ["uniform", "full"]) {
    ok(sequential("remi", { sampler }).beta === 1);
  }
  ok(sequential("remi", { sampler: "dns", beta: 0 }).sampler === "dns");
});

Deno.test("every family model accepts every sampler", () => {
  for (
    const name of ["youtubednn", "gru4rec", "mind", "comirec-sa", "comirec-dr", "comirec-sa+simemb"]
  ) {
    for (const sampler of SAMPLER_NAMES) {
      ok(sequential(name, { sampler }).sampler === sampler, `${name} ${sampler}`);
    }
  }
});

Deno.test("MNS scores every row against the batch's targets plus N - B drawn items, with the mixture's log q", () => {
  const { strategy, batch, table, user, d, B } = setup({ sampler: "mns" });
  const tape = new Tape(new TypeScriptBackend());
  const columns = strategy.columns(batch);
  deepStrictEqual([...columns.subarray(0, B)], [...batch.target]);
  ok(columns.length === 2 * B);
  // log q sums to 1 over the corpus: B / N of it is the target distribution.
  const q = strategy.logQ(batch, Int32Array.from({ length: data.numItems }, (_, i) => i))!;
  const total = q.negative.reduce((s, v) => s + Math.exp(v), 0);
  ok(Math.abs(total - 1) < 1e-4, `sum ${total}`);
  const p = targetDistribution(data);
  const item = batch.target[0];
  ok(Math.abs(Math.exp(q.negative[item]) - (0.5 * p[item] + 0.5 / data.numItems)) < 1e-6);
  // Each row's own target is masked; another row's target is a negative unless it is the same item.
  const { negative, options } = negativeLogits(strategy, {
    tape,
    batch,
    user,
    positive: new Tensor(new Float32Array(B), [B]),
    dim: d,
    embed: (t, ids) => t.gather(table, ids),
  });
  ok(negative.size === B * (2 * B));
  const hits = options.accidentalHits!;
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < B; j++) {
      ok(hits[b * 2 * B + j] === (batch.target[j] === batch.target[b] ? 1 : 0));
    }
  }
});

Deno.test("DNS keeps, for each row and each group of candidates, the highest-scored one that is not the row's target", () => {
  // Two rows, two groups of three: row 0's target (item 7) is the best of group 0 and is skipped.
  const columns = Int32Array.of(7, 8, 9, 10, 11, 12);
  const scores = Float32Array.of(9, 1, 2, 0, 5, 4, /* row 1 */ 9, 1, 2, 3, 3, 8);
  deepStrictEqual([...dynamicChoice(scores, columns, Int32Array.of(7, 99), 3)], [2, 4, 0, 5]);
  // Through the sampler: every chosen logit is the maximum of its group, recomputed from the table.
  const { strategy, batch, table, user, d, B, config } = setup({
    sampler: "dns",
    dnsCandidates: 4,
  });
  const tape = new Tape(new TypeScriptBackend());
  let cols = new Int32Array();
  const { negative } = negativeLogits(strategy, {
    tape,
    batch,
    user,
    positive: new Tensor(new Float32Array(B), [B]),
    dim: d,
    embed: (t, ids) => {
      const y = t.gather(table, ids);
      if (ids.length > B) cols = ids.slice();
      return y;
    },
  });
  const N = config.negativeRatio * B;
  ok(negative.size === B * N && cols.length === N * 4);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < N; j++) {
      let best = -Infinity;
      for (let m = 0; m < 4; m++) {
        const item = cols[j * 4 + m];
        if (item !== batch.target[b]) best = Math.max(best, dot(table, user, b, item));
      }
      if (best > -Infinity) ok(Math.abs(negative.data[b * N + j] - best) < 1e-5);
    }
  }
});

Deno.test("the full softmax's loss is -log softmax over every item, as the sampled loss with every item as its sample", () => {
  const { strategy, batch, table, user, d, B } = setup({ sampler: "full" });
  const tape = new Tape(new TypeScriptBackend());
  const positive = new Tensor(
    Float32Array.from(batch.target, (item, b) => dot(table, user, b, item)),
    [B],
  );
  const { negative, options } = negativeLogits(strategy, {
    tape,
    batch,
    user,
    positive,
    dim: d,
    embed: (t, ids) => t.gather(table, ids),
  });
  const n = data.numItems;
  ok(negative.size === B * n);
  const sampled = sampledSoftmaxLoss(positive.data, negative.data, B, n, options).loss;
  // Expected, in float64 from the table: mean over rows of log sum_i exp(s_i) - s_target.
  let expected = 0;
  for (let b = 0; b < B; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += Math.exp(dot(table, user, b, i));
    expected += Math.log(sum) - dot(table, user, b, batch.target[b]);
  }
  expected /= B;
  ok(Math.abs(sampled - expected) < 1e-4, `${sampled} vs ${expected}`);
});

Deno.test("the full softmax is refused above 50,000 items, naming the item count, the batch and the memory", () => {
  checkFullSoftmax("m", 50_000, 128);
  throws(
    () => checkFullSoftmax("comirec-sa", 174_605, 128),
    /comirec-sa: sampler "full" scores all 174,605 items for each of the batch's 128 rows every step: about 426 MiB/,
  );
});

Deno.test("every sampler trains ComiRec-SA and gives the same parameters twice from the same seed", async () => {
  const small = { dim: 4, batchSize: 8, negativeRatio: 2, srnsMemory: 3, srnsCandidates: 4 };
  for (const sampler of SAMPLER_NAMES) {
    const run = async () => {
      const m = await fitForTest("comirec-sa", data, {
        overrides: { ...small, sampler },
        iterations: 3,
      });
      const out = new Float32Array(data.validation.queries.length * 4 * data.numItems);
      m.score(data.validation.queries, out);
      return out;
    };
    const a = await run(), b = await run();
    ok(a.every(Number.isFinite), sampler);
    deepStrictEqual(a, b, sampler);
  }
});

Deno.test("every family model trains with MNS and SRNS (the samplers with per-batch and per-user state)", async () => {
  const small = { dim: 4, batchSize: 8, negativeRatio: 2, srnsMemory: 3, srnsCandidates: 4 };
  for (const name of ["youtubednn", "gru4rec", "mind", "comirec-dr", "comirec-sa+simemb"]) {
    for (const sampler of ["mns", "srns"]) {
      const m = await fitForTest(name, data, { overrides: { ...small, sampler }, iterations: 2 });
      const K = (MODELS[name].configure({}) as SequentialConfig).interests;
      const out = new Float32Array(data.validation.queries.length * K * data.numItems);
      m.score(data.validation.queries, out);
      ok(out.every(Number.isFinite), `${name} ${sampler}`);
    }
  }
});
