import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { trainingDataFromRows } from "../_testing.ts";
import type { ScoredBatch } from "./negatives.ts";
import { NegativeSampler, type SequenceBatch } from "./sampler.ts";
import { gumbelTopK, SrnsSampler } from "./srns.ts";

// Two users over 40 items; the batch holds one row of user 1 with target 39.
const data = trainingDataFromRows([[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 39]], 40);
const batch: SequenceBatch = {
  size: 1,
  maxlen: 1,
  history: Int32Array.of(6),
  mask: Uint8Array.of(1),
  target: Int32Array.of(39),
  user: Int32Array.of(1),
  times: Float64Array.of(0),
};

function sampler(options: { alpha?: number; warmup?: number; temperature?: number } = {}) {
  return new SrnsSampler(new NegativeSampler(40, "uniform", new Rng(5)), data, {
    shared: 2,
    memory: 3,
    fresh: 4,
    alpha: options.alpha ?? 5,
    warmup: options.warmup ?? 1,
    temperature: options.temperature ?? 10,
  });
}

/**
 * One visit: the memory's scores are given per item by `score`, fresh
 * candidates score `freshScore` (user vector [1], item vectors [freshScore]),
 * the positive scores 0. Returns the chosen item.
 */
function visit(
  s: SrnsSampler,
  score: (item: number) => number,
  freshScore = -100,
): number {
  const columns = s.columns(batch);
  const scores = Float32Array.from(columns, (item, c) => c < 2 ? 0 : score(item));
  const scored: ScoredBatch = {
    batch,
    columns,
    scores,
    positive: Float32Array.of(0),
    user: Float32Array.of(1),
    dim: 1,
    vectors: (ids) => new Float32Array(ids.length).fill(freshScore),
  };
  const pick = s.choose(scored);
  deepStrictEqual([...pick.subarray(0, 2)], [0, 1]);
  return columns[pick[2]];
}

Deno.test("SRNS picks the memory item of highest likelihood before its deviation counts (alpha_t = 0 at the first visit)", () => {
  const s = sampler();
  const memory = [...s.columns(batch).subarray(2)];
  const planted = memory[1];
  ok(visit(s, (item) => item === planted ? 2 : -1) === planted);
});

Deno.test("SRNS prefers a memory item whose score varies over one scoring steadily a little higher (sampling rule)", () => {
  // Fresh candidates score -100: with tau 10 they are still drawn now and then,
  // so use a tiny temperature to keep the memory fixed.
  const s = sampler({ temperature: 0.01 });
  const memory = [...s.columns(batch).subarray(2)];
  const [steady, varying, low] = memory;
  let t = 0;
  const score = (item: number) =>
    item === steady ? 0.5 : item === varying ? (t % 2 === 0 ? 3 : -3) : item === low ? -5 : -5;
  // Five visits record the histories (alternating 0.95 / 0.05 likelihoods for `varying`).
  for (; t < 5; t++) visit(s, score);
  deepStrictEqual([...s.memoryOf(1)].sort(), [...memory].sort());
  // Now `varying` scores 0.2 (likelihood 0.55) below `steady` (0.62), but its
  // deviation (about 0.45, times alpha 5) wins.
  const chosen = visit(s, (item) => item === varying ? 0.2 : score(item));
  ok(chosen === varying, `chose ${chosen}`);
  // Without the deviation term (alpha 0) the steady item wins.
  const plain = sampler({ alpha: 0, temperature: 0.01 });
  plain.columns(batch);
  for (t = 0; t < 5; t++) visit(plain, score);
  ok(visit(plain, (item) => item === varying ? 0.2 : score(item)) === steady);
});

Deno.test("SRNS's memory update keeps high-scoring fresh items and drops low-scoring ones (score-based update)", () => {
  const s = sampler({ temperature: 0.01 });
  const before = [...s.columns(batch).subarray(2)];
  // Memory items score -50, fresh ones +50: all three slots are replaced by fresh items.
  visit(s, () => -50, 50);
  const after = [...s.memoryOf(1)];
  ok(after.every((item) => !before.includes(item)), `${before} -> ${after}`);
  ok(new Set(after).size === 3);
  // Memory items at +50, fresh at -50: the memory stays.
  const kept = [...s.memoryOf(1)];
  visit(s, () => 50, -50);
  deepStrictEqual([...s.memoryOf(1)].sort(), kept.sort());
});

Deno.test("SRNS never picks the row's target while another memory item is there", () => {
  const s = sampler();
  for (let v = 0; v < 20; v++) {
    const columns = s.columns(batch);
    // Put the target in the memory's first slot and score it highest.
    const scores = Float32Array.from(columns, (_, c) => c === 2 ? 10 : 0);
    const cols = columns.slice();
    cols[2] = 39;
    const pick = s.choose({
      batch,
      columns: cols,
      scores,
      positive: Float32Array.of(0),
      user: Float32Array.of(1),
      dim: 1,
      vectors: (ids) => new Float32Array(ids.length),
    });
    ok(pick[2] !== 2);
  }
});

Deno.test("SRNS state is plain data and restoring it reproduces the next choices", () => {
  const a = sampler(), b = sampler();
  const score = (item: number) => Math.sin(item);
  for (let v = 0; v < 4; v++) visit(a, score, 0.3);
  const state = a.state();
  for (const v of Object.values(state)) ok(v instanceof Int32Array || v instanceof Float32Array);
  // b restores a's state; both samplers then draw from streams in the same position.
  b.restore(state);
  const ra = new SrnsSampler(new NegativeSampler(40, "uniform", new Rng(9)), data, a.options);
  const rb = new SrnsSampler(new NegativeSampler(40, "uniform", new Rng(9)), data, a.options);
  ra.restore(a.state());
  rb.restore(b.state());
  for (let v = 0; v < 4; v++) ok(visit(ra, score, 0.3) === visit(rb, score, 0.3));
  deepStrictEqual(ra.state(), rb.state());
  throws(
    () => b.restore({ ...state, memory: new Int32Array(1) }),
    /SRNS state "memory" must be a Int32Array of 6 values/,
  );
});

Deno.test("gumbelTopK() draws distinct indices, never a -Infinity weight, the first in proportion to the weights", () => {
  const rng = new Rng(1);
  const uniform = () => rng.float();
  for (let t = 0; t < 50; t++) {
    const out = gumbelTopK(
      Float64Array.of(0, -Infinity, Math.log(2), -Infinity, Math.log(3)),
      3,
      uniform,
    );
    deepStrictEqual([...out].sort(), [0, 2, 4]);
  }
  // First draws of weights 1 : 2 : 3 land in shares 1/6, 2/6, 3/6 (6,000 draws: sd < 0.007).
  const first = [0, 0, 0];
  for (let t = 0; t < 6000; t++) {
    first[gumbelTopK(Float64Array.of(0, Math.log(2), Math.log(3)), 1, uniform)[0]]++;
  }
  first.forEach((n, k) => ok(Math.abs(n / 6000 - (k + 1) / 6) < 0.03, `${first}`));
  throws(() => gumbelTopK(Float64Array.of(0, -Infinity), 2, uniform), /only 1 finite weights/);
});
