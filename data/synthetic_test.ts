import { deepStrictEqual, ok, strictEqual } from "node:assert/strict";
import { generateSyntheticLog, topicName } from "./synthetic.ts";

Deno.test("generateSyntheticLog() is deterministic for a seed", () => {
  const a = generateSyntheticLog({ numUsers: 50, numItems: 80 });
  const b = generateSyntheticLog({ numUsers: 50, numItems: 80 });
  deepStrictEqual(a, b);
  const c = generateSyntheticLog({ numUsers: 50, numItems: 80, seed: 7 });
  strictEqual(
    a.items.length === c.items.length && a.items.every((x, i) => x === c.items[i]),
    false,
  );
});

Deno.test("synthetic users hold one to several interests with topic persistence", () => {
  const log = generateSyntheticLog({ numUsers: 400, numItems: 500, numTopics: 20 });
  const genres = log.itemFeatures!.fields.genres;
  const primary = (i: number) => genres.get(log.itemIds[i])!;
  // Share of consecutive pairs of a user that share a topic name: far above chance (1/20).
  let same = 0, pairs = 0;
  const topicsPerUser = new Map<number, Set<string>>();
  for (let e = 1; e < log.items.length; e++) {
    if (log.users[e] !== log.users[e - 1]) continue;
    pairs++;
    const a = primary(log.items[e - 1]), b = primary(log.items[e]);
    if (a.some((g) => b.includes(g))) same++;
  }
  for (let e = 0; e < log.items.length; e++) {
    const set = topicsPerUser.get(log.users[e]) ?? new Set();
    for (const g of primary(log.items[e])) set.add(g);
    topicsPerUser.set(log.users[e], set);
  }
  ok(same / pairs > 0.6, `topic persistence ${same / pairs}`);
  const multi = [...topicsPerUser.values()].filter((s) => s.size >= 3).length;
  ok(multi > 100, `users spanning several topics: ${multi}`);
  ok(genres.get("1")!.every((g) => /^Topic\d\d$/.test(g)));
  strictEqual(topicName(3), "Topic03");
});
