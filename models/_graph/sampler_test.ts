import { deepStrictEqual, ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { type BprBatch, BprSampler } from "./sampler.ts";

// User 0 has ten training items, user 1 one, user 2 none: eleven pairs.
const rows = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10], []];
const data = trainingDataFromRows(rows, 14);

function userShares(sampling: "users" | "pairs", draws: number): number[] {
  const s = new BprSampler(data, new Rng(3), { sampling });
  const count = [0, 0, 0];
  for (let n = 0; n < draws;) {
    const b = s.next(64);
    b.users.forEach((u) => count[u]++);
    n += b.size;
  }
  const total = count.reduce((a, b) => a + b);
  return count.map((c) => c / total);
}

Deno.test('BprSampler "users" draws users uniformly, whatever their number of items', () => {
  // Users 0 and 1 are drawn equally often (user 2, drawn as often, yields nothing);
  // the pair sampler visits user 0 ten times as often as user 1.
  const users = userShares("users", 60_000);
  ok(Math.abs(users[0] - 0.5) < 0.01 && users[2] === 0, `users: shares ${users}`);
  const pairs = userShares("pairs", 60_000);
  ok(Math.abs(pairs[0] - 10 / 11) < 0.01, `pairs: shares ${pairs}`);
});

Deno.test('BprSampler "users" draws one of the user\'s items uniformly and an unseen negative', () => {
  const s = new BprSampler(data, new Rng(5), { sampling: "users" });
  const count = new Array(14).fill(0);
  for (let k = 0; k < 4000; k++) {
    const b = s.next(50);
    for (let j = 0; j < b.size; j++) {
      ok(rows[b.users[j]].includes(b.positives[j]), "the positive is the user's");
      ok(!rows[b.users[j]].includes(b.negatives[j]), "the negative is not");
      if (b.users[j] === 0) count[b.positives[j]]++;
    }
  }
  const zero = count.slice(0, 10).reduce((a, b) => a + b);
  ok(count.slice(0, 10).every((c) => Math.abs(c / zero - 0.1) < 0.01), `counts ${count}`);
});

Deno.test('BprSampler "users" epochs are as many draws as pairs, the last batch shorter', () => {
  // Two users with items, one without: 3 users, 6 pairs; an epoch of 6 draws
  // yields the draws that hit users 0 or 1, cut into batches of 4 at most.
  const d = trainingDataFromRows([[0, 1, 2, 3], [4, 5], []], 8);
  const s = new BprSampler(d, new Rng(11), { sampling: "users" });
  const sizes: number[] = [], epochs: number[] = [];
  for (let k = 0; k < 40; k++) {
    sizes.push(s.next(4).size);
    epochs.push(s.epochs);
  }
  ok(s.epochsDrawn === s.epochs, "every batch of an epoch drawn, no more");
  // Within an epoch the sizes are 4 then the rest (never more than 6 in all).
  for (let e = 1; e <= s.epochs; e++) {
    const mine = sizes.filter((_, k) => epochs[k] === e);
    const total = mine.reduce((a, b) => a + b, 0);
    ok(total >= 1 && total <= 6, `epoch ${e}: ${mine}`);
    ok(mine.slice(0, -1).every((x) => x === 4), `epoch ${e}: only the last batch is short`);
  }
  ok(sizes.some((x) => x < 4), "some epoch drew user 2 and ended short");
});

Deno.test("BprSampler gives the same batches for the same seed (both samplers)", () => {
  for (const sampling of ["users", "pairs"] as const) {
    const run = (seed: number) => {
      const s = new BprSampler(data, new Rng(seed), { sampling });
      const out: BprBatch[] = [];
      for (let k = 0; k < 5; k++) out.push(s.next(7));
      return out;
    };
    deepStrictEqual(run(9), run(9));
    ok(JSON.stringify(run(9)) !== JSON.stringify(run(10)), `${sampling}: the seed matters`);
  }
});
