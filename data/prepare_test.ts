import { deepStrictEqual, strictEqual, throws } from "node:assert/strict";
import { InteractionLogBuilder } from "./log_builder.ts";
import { prepareDataset } from "./prepare.ts";

function toyLog() {
  const b = new InteractionLogBuilder("toy", { withRatings: true });
  // user a: x y z (time 3,1,2 -> y z x); b: x y; c: x w; d: z
  b.add("a", "x", 3, 5);
  b.add("a", "y", 1, 2);
  b.add("a", "z", 2, 4);
  b.add("b", "x", 5, 3);
  b.add("b", "y", 5, 1);
  b.add("c", "x", 1, 4);
  b.add("c", "w", 2, 4);
  b.add("d", "z", 9, 5);
  return b.finish();
}

Deno.test("prepareDataset() renumbers items by popularity, ties by first appearance", () => {
  const ds = prepareDataset(toyLog(), { minItemCount: 1, minUserCount: 1 });
  // counts: x 3, y 2, z 2, w 1; y before z in the file.
  deepStrictEqual(ds.itemIds, ["x", "y", "z", "w"]);
  deepStrictEqual(ds.userIds, ["a", "b", "c", "d"]);
});

Deno.test("prepareDataset() sorts each user's events by time, ties in file order", () => {
  const ds = prepareDataset(toyLog(), { minItemCount: 1, minUserCount: 1 });
  deepStrictEqual([...ds.userPtr], [0, 3, 5, 7, 8]);
  // a: y(1) z(2) x(3); b: x(5) y(5) equal times keep file order.
  deepStrictEqual([...ds.items.subarray(0, 5)].map((i) => ds.itemIds[i]), [
    "y",
    "z",
    "x",
    "x",
    "y",
  ]);
  deepStrictEqual([...ds.times.subarray(0, 3)], [1, 2, 3]);
  deepStrictEqual([...ds.ratings!.subarray(0, 3)], [2, 4, 5]);
});

Deno.test("prepareDataset() filters items then users in one pass, not to a fixed point", () => {
  // minItem 2 drops w; then minUser 2 drops c (x only) and d (z only).
  const ds = prepareDataset(toyLog(), { minItemCount: 2, minUserCount: 2 });
  deepStrictEqual(ds.userIds, ["a", "b"]);
  // After dropping c and d, x has 2, y 2, z 1: z stays (one pass), ranked last.
  deepStrictEqual(ds.itemIds, ["x", "y", "z"]);
  strictEqual(ds.preparation.droppedByFilter, 3);
});

Deno.test("prepareDataset() applies a rating threshold and counts what it dropped", () => {
  const ds = prepareDataset(toyLog(), { minRating: 4, minItemCount: 1, minUserCount: 1 });
  strictEqual(ds.preparation.droppedByRating, 3);
  strictEqual(ds.items.length, 5);
});

Deno.test("prepareDataset() refuses a rating threshold on data without ratings", () => {
  const b = new InteractionLogBuilder("plain");
  b.add("u", "i", 0);
  throws(() => prepareDataset(b.finish(), { minRating: 3 }), TypeError);
});

Deno.test("prepareDataset() checksum changes with content and repeats without", () => {
  const a = prepareDataset(toyLog(), { minItemCount: 1, minUserCount: 1 });
  const b = prepareDataset(toyLog(), { minItemCount: 1, minUserCount: 1 });
  strictEqual(a.checksum, b.checksum);
  const log = toyLog();
  log.times[0] = 4;
  const c = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  strictEqual(a.checksum === c.checksum, false);
});

Deno.test("prepareDataset() k-core iterates the filter until every user and item qualifies", () => {
  // minItem 2, minUser 2: one pass keeps z with a single event; k-core drops it too.
  const ds = prepareDataset(toyLog(), { minItemCount: 2, minUserCount: 2, filter: "k-core" });
  deepStrictEqual(ds.itemIds, ["x", "y"]);
  deepStrictEqual(ds.userIds, ["a", "b"]);
  strictEqual(ds.preparation.options.filter, "k-core");
});

Deno.test("prepareDataset() drops users shorter than minSequenceLength after the filter", () => {
  const ds = prepareDataset(toyLog(), { minItemCount: 1, minUserCount: 1, minSequenceLength: 3 });
  deepStrictEqual(ds.userIds, ["a"]);
  strictEqual(ds.preparation.droppedByLength, 5);
});

Deno.test("prepareDataset() keeps only events inside a half-open time window", () => {
  const ds = prepareDataset(toyLog(), {
    minItemCount: 1,
    minUserCount: 1,
    timeWindow: { start: 2, end: 5 },
  });
  // Times 2 and 3 only: a(z@2, x@3), c(w@2).
  strictEqual(ds.items.length, 3);
  strictEqual(ds.preparation.droppedByTimeWindow, 5);
  strictEqual(ds.preparation.options.timeWindow, "[2, 5)");
});

Deno.test("prepareDataset() defaults record every option and change nothing", () => {
  const ds = prepareDataset(toyLog());
  deepStrictEqual(ds.preparation.options, {
    minRating: null,
    minItemCount: 5,
    minUserCount: 5,
    filter: "one-pass",
    dedupe: "keep-all",
    minSequenceLength: 0,
    timeWindow: null,
  });
});
