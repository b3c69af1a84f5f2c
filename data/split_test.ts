import { deepStrictEqual, notDeepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { InteractionLogBuilder } from "./log_builder.ts";
import { prepareDataset } from "./prepare.ts";
import { firstOccurrences, splitPerUser, splitSequential } from "./split.ts";
import { generateSynthetic } from "./synthetic.ts";

const ds = generateSynthetic({ numUsers: 300, numItems: 200 });

Deno.test("splitSequential() splits users 8:1:1 into disjoint sets", () => {
  const s = splitSequential(ds, { seed: 1 });
  const train = new Set(s.train.trainUsers);
  const valid = new Set(s.train.validation.queries.map((q) => q.user));
  const test = new Set(s.test.queries.map((q) => q.user));
  strictEqual(train.size, Math.floor(ds.numUsers * 0.8));
  for (const u of test) ok(!train.has(u) && !valid.has(u));
  for (const u of valid) ok(!train.has(u));
  strictEqual(train.size + valid.size + test.size, ds.numUsers);
});

Deno.test("splitSequential() uses the last maxlen of the first 80% as history, the rest as targets", () => {
  const s = splitSequential(ds, { seed: 1, maxlen: 20 });
  let truncated = 0;
  s.test.queries.forEach((q, k) => {
    const seq = ds.items.subarray(ds.userPtr[q.user], ds.userPtr[q.user + 1]);
    const cut = Math.floor(seq.length * 0.8);
    deepStrictEqual([...q.history], [...seq.subarray(Math.max(0, cut - 20), cut)]);
    deepStrictEqual(s.test.targets[k], new Set(seq.subarray(cut)));
    if (cut > 20) truncated++;
  });
  ok(truncated > 0, "the fixture must hold sequences longer than maxlen");
  strictEqual(s.test.exclude, undefined);
  strictEqual(s.train.maxHistory, 20);
});

Deno.test("splitSequential() with excludeHistory excludes the whole 80% prefix", () => {
  const s = splitSequential(ds, { seed: 1, maxlen: 5, excludeHistory: true });
  const q = s.test.queries[0];
  const seq = ds.items.subarray(ds.userPtr[q.user], ds.userPtr[q.user + 1]);
  const cut = Math.floor(seq.length * 0.8);
  deepStrictEqual([...s.test.exclude![0]], [...seq.subarray(0, cut)].sort((a, b) => a - b));
});

Deno.test("splitSequential() training rows hold only training users", () => {
  const s = splitSequential(ds, { seed: 2 });
  const train = new Set(s.train.trainUsers);
  for (let u = 0; u < ds.numUsers; u++) {
    const len = s.train.userPtr[u + 1] - s.train.userPtr[u];
    strictEqual(len > 0, train.has(u));
  }
});

Deno.test("a different seed gives a different split, the same seed the same", () => {
  const a = splitSequential(ds, { seed: 1 }).test.queries.map((q) => q.user);
  const b = splitSequential(ds, { seed: 1 }).test.queries.map((q) => q.user);
  const c = splitSequential(ds, { seed: 2 }).test.queries.map((q) => q.user);
  deepStrictEqual(a, b);
  notDeepStrictEqual(a, c);
  const x = splitPerUser(ds, { seed: 1 }).test.targets;
  const y = splitPerUser(ds, { seed: 2 }).test.targets;
  notDeepStrictEqual(x, y);
});

Deno.test("splitPerUser() partitions each user's items 8:1:1 and excludes training items", () => {
  const s = splitPerUser(ds, { seed: 3 });
  for (let k = 0; k < s.test.queries.length; k++) {
    const u = s.test.queries[k].user;
    const n = ds.userPtr[u + 1] - ds.userPtr[u];
    const train = s.train.items.subarray(s.train.userPtr[u], s.train.userPtr[u + 1]);
    const valid = s.train.validation.targets[k];
    const test = s.test.targets[k];
    strictEqual(valid.size, Math.max(1, Math.round(n * 0.1)));
    strictEqual(test.size, Math.max(1, Math.round(n * 0.1)));
    strictEqual(train.length + valid.size + test.size, n);
    const all = new Set([...train, ...valid, ...test]);
    strictEqual(all.size, n); // synthetic users never repeat an item
    deepStrictEqual([...s.test.exclude![k]], [...train].sort((a, b) => a - b));
  }
});

Deno.test("splitPerUser() temporal order puts the latest items in test", () => {
  const s = splitPerUser(ds, { seed: 3, order: "temporal" });
  const u = s.test.queries[0].user;
  const seq = ds.items.subarray(ds.userPtr[u], ds.userPtr[u + 1]);
  const t = s.test.targets[0].size;
  deepStrictEqual(s.test.targets[0], new Set(seq.subarray(seq.length - t)));
});

/** A prepared dataset from `[user, item, time]` events (no filter). */
function datasetOf(name: string, events: [string, string, number][]) {
  const b = new InteractionLogBuilder(name);
  for (const [u, i, t] of events) b.add(u, i, t);
  return prepareDataset(b.finish(), { minItemCount: 1, minUserCount: 1 });
}

Deno.test("splitPerUser() removes repeated events first, so every test target is reachable", () => {
  // The toy user, 20 times: one item repeated ten times among 20 distinct ones.
  const events: [string, string, number][] = [];
  for (let u = 0; u < 20; u++) {
    for (let k = 0; k < 30; k++) {
      events.push([`u${u}`, k % 3 === 0 ? "again" : `i${u}-${k}`, k]);
    }
  }
  const ds = datasetOf("repeats", events);
  for (const order of ["random", "temporal"] as const) {
    for (const seed of [1, 2, 3]) {
      const s = splitPerUser(ds, { seed, order });
      strictEqual(s.config.repeatsRemoved, 20 * 9);
      strictEqual(s.test.queries.length, 20);
      s.test.queries.forEach((q, k) => {
        const excluded = new Set(s.test.exclude![k]);
        for (const t of s.test.targets[k]) ok(!excluded.has(t), `user ${q.user}: target ${t}`);
        strictEqual(s.test.targets[k].size, 2); // round(21 * 0.1) of 21 distinct items
      });
      // Train, validation and test parts of a user are disjoint and hold 21 distinct items.
      s.train.validation.queries.forEach((q, k) => {
        const test = s.test.targets[k];
        const all = new Set([...q.history, ...s.train.validation.targets[k], ...test]);
        strictEqual(all.size, 21);
        strictEqual(q.history.length, 21 - 2 - 2);
      });
    }
  }
});

Deno.test("firstOccurrences() keeps each user's earliest event with an item", () => {
  // File order is not time order: "x" at time 5 comes first in the file, at time 1 later.
  const ds = datasetOf("order", [["a", "x", 5], ["a", "y", 3], ["a", "x", 1], ["b", "x", 2]]);
  const d = firstOccurrences(ds);
  strictEqual(d.repeats, 1);
  const kept = Array.from(d.events.subarray(d.userPtr[0], d.userPtr[1]), (e) => ds.times[e]);
  deepStrictEqual(kept, [1, 3]);
});

Deno.test("splitSequential() counts the test targets that are also in the history", () => {
  // Every user: 8 distinct items, then item "a" again and one new item. With
  // the 80% cut after 8 events the targets are {a, new}: one of the two is in the history.
  const events: [string, string, number][] = [];
  for (let u = 0; u < 20; u++) {
    "abcdefgh".split("").forEach((i, t) => events.push([`u${u}`, i, t]));
    events.push([`u${u}`, "a", 8], [`u${u}`, `new${u}`, 9]);
  }
  const s = splitSequential(datasetOf("seq", events), { seed: 1, excludeHistory: true });
  strictEqual(s.test.queries.length, 2); // 20 users: 16 train, 2 valid, 2 test
  deepStrictEqual(s.config.testTargetsInHistory, { targets: 4, alsoInHistory: 2 });
});
