import { deepStrictEqual, ok, rejects, strictEqual, throws } from "node:assert/strict";
import { runBench } from "../bench/run.ts";
import { loadComiRecPart, readComiRecSplit, writeComiRec } from "./comirec.ts";
import { prepareGiven, splitGivenSequential } from "./given_split.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { prepareDataset } from "./prepare.ts";
import { type Split, splitSequential } from "./split.ts";
import { generateSynthetic } from "./synthetic.ts";
import { tempDir, tempFile } from "./_testing.ts";
import type { Dataset } from "./dataset.ts";

/** A split's evaluation sets in raw ids, so two numberings can be compared. */
function rawView(ds: Dataset, split: Split) {
  const view = (set: Split["test"]) =>
    set.queries.map((q, k) => ({
      user: ds.userIds[q.user],
      history: Array.from(q.history, (i) => ds.itemIds[i]),
      targets: [...set.targets[k]].map((i) => ds.itemIds[i]).sort(),
      events: set.targetEvents?.[k],
    })).sort((a, b) => (a.user < b.user ? -1 : 1));
  const train = Array.from(split.train.trainUsers, (u) => ({
    user: ds.userIds[u],
    items: Array.from(
      split.train.items.subarray(split.train.userPtr[u], split.train.userPtr[u + 1]),
      (i) => ds.itemIds[i],
    ),
  })).sort((a, b) => (a.user < b.user ? -1 : 1));
  return { train, valid: view(split.train.validation), test: view(split.test) };
}

Deno.test("writeComiRec() then --split given reproduces splitSequential() of the same seed", async () => {
  await using dir = await tempDir();
  const ds = generateSynthetic({ numUsers: 120, numItems: 80 });
  for (const seed of [1, 7]) {
    await writeComiRec(ds, dir.path, "toy", { seed });
    const given = prepareGiven("toy", await readComiRecSplit(dir.path, "toy"));
    const back = splitGivenSequential(given, { maxlen: 20 });
    deepStrictEqual(
      rawView(given.dataset, back),
      rawView(ds, splitSequential(ds, { seed, maxlen: 20 })),
    );
    strictEqual(back.config.split, "given");
  }
});

Deno.test("writeComiRec() writes users from 0 by part, items from 1, positions and floored times", async () => {
  await using dir = await tempDir();
  const b = new InteractionLogBuilder("hand");
  // u1: x at 10.7, y at 20; u2: y at 5; u3: x at 1, y at 2, x at 3 (a repeat).
  b.add("u1", "x", 10.7);
  b.add("u1", "y", 20);
  b.add("u2", "y", 5);
  b.add("u3", "x", 1);
  b.add("u3", "y", 2);
  b.add("u3", "x", 3);
  const ds = prepareDataset(b.finish(), { minItemCount: 1, minUserCount: 1 });
  // x and y are both seen 3 times: x first by first appearance, so x = 1, y = 2.
  deepStrictEqual(ds.itemIds, ["x", "y"]);
  const third = 1 / 3;
  const files = await writeComiRec(ds, dir.path, "h", { seed: 3, ratios: [third, third, third] });
  deepStrictEqual(files.users, { train: 1, valid: 1, test: 1 });
  const lines = async (f: string) =>
    (await Deno.readTextFile(`${dir.path}/h_data/h_${f}.txt`)).split("\n").filter((l) => l);
  const userMap = await lines("user_map");
  const byUser: Record<string, string[]> = {
    u1: ["%,1,0,10", "%,2,1,20"],
    u2: ["%,2,0,5"],
    u3: ["%,1,0,1", "%,2,1,2", "%,1,2,3"],
  };
  for (const [id, part] of ["train", "valid", "test"].entries()) {
    const [raw, number] = userMap[id].split(",");
    strictEqual(number, String(id));
    deepStrictEqual(await lines(part), byUser[raw].map((l) => l.replace("%", String(id))));
  }
  deepStrictEqual(await lines("item_map"), ["x,1", "y,2"]);
  strictEqual(files.maxItem, 2);
});

Deno.test("a given ComiRec split scores test users on the first 80%, repeats counted in targetEvents", async () => {
  await using dir = await tempDir();
  // Train user 0; test user 1 with 6 events, out of file order by time:
  // by time a(1) b(2) c(3) d(4) | a(5) e(5): cut = floor(6 * 0.8) = 4.
  await tempFile(dir, "0,1,0,10\n0,2,1,11\n0,3,2,12\n0,4,3,13\n0,5,4,14\n", "t_train.txt");
  await tempFile(dir, "1,4,3,4\n1,1,0,1\n1,2,1,2\n1,3,2,3\n1,1,4,5\n1,5,5,5\n", "t_test.txt");
  const given = prepareGiven("t", await readComiRecSplit(dir.path, "t"));
  const split = splitGivenSequential(given, { maxlen: 3 });
  const ids = given.dataset.itemIds;
  strictEqual(split.test.queries.length, 1);
  deepStrictEqual(Array.from(split.test.queries[0].history, (i) => ids[i]), ["2", "3", "4"]);
  deepStrictEqual([...split.test.targets[0]].map((i) => ids[i]).sort(), ["1", "5"]);
  deepStrictEqual(split.test.targetEvents, [2]);
  strictEqual(split.train.validation.queries.length, 0);
  deepStrictEqual(Array.from(split.train.trainUsers, (u) => given.dataset.userIds[u]), ["0"]);
});

Deno.test("loadComiRecPart() names the file and line of a malformed line", async () => {
  await using dir = await tempDir();
  const cases: [string, RegExp][] = [
    ["0,1,0,5\n0,2,1\n0,3\n", /x\.txt line 3: expected 4 fields "user,item,index,timestamp"/],
    ["0,1,0,5\n0,b,1,6\n", /x\.txt line 2: item must be an integer, found "b"/],
    ["0,0,0,5\n", /x\.txt line 1: item 0 is the padding id/],
    ["0,1,0,5.5\n", /x\.txt line 1: timestamp must be an integer, found "5.5"/],
    ["0,1,-1,5\n", /x\.txt line 1: index must be an integer/],
  ];
  for (const [text, message] of cases) {
    const path = await tempFile(dir, text, "x.txt");
    await rejects(loadComiRecPart(path), message);
  }
  const path = await tempFile(dir, "0,1,0,5\n0,0,1,6\n0,2,2,7\n", "x.txt");
  const log = await loadComiRecPart(path, { onBadLine: "skip" });
  strictEqual(log.items.length, 2);
  deepStrictEqual(log.skipped, { "bad line: item 0 is the padding id and cannot be an event": 1 });
});

Deno.test("splitGivenSequential() refuses a user in two parts", async () => {
  await using dir = await tempDir();
  await tempFile(dir, "0,1,0,1\n0,2,1,2\n", "p_train.txt");
  await tempFile(dir, "0,3,0,3\n0,4,1,4\n", "p_test.txt");
  const given = prepareGiven("p", await readComiRecSplit(dir.path, "p"));
  throws(() => splitGivenSequential(given), /user "0" has events in two parts/);
  await rejects(readComiRecSplit(dir.path, "q"), /Cannot load dataset "comirec:q".*q_train\.txt/);
});

Deno.test("runBench() evaluates comirec:<name> under --split given --protocol sequential, variants apart", async () => {
  await using dir = await tempDir();
  const ds = generateSynthetic({ numUsers: 120, numItems: 80 });
  await writeComiRec(ds, dir.path, "toy", { seed: 1 });
  const res = await runBench({
    datasets: ["comirec:toy"],
    dataDir: dir.path,
    split: "given",
    protocols: ["sequential"],
    models: ["mostpop"],
    out: `${dir.path}/out`,
    quiet: true,
  });
  const r = res.results[0];
  ok(r.state === "completed", JSON.stringify(r));
  strictEqual(r.config.protocol.split, "given");
  strictEqual(r.evaluatedUsers, 12);
  ok(Object.keys(r.metrics).every((k) => !k.includes("repeats") && !k.includes("comirec")));
  const v = r.referenceVariants!;
  ok(v["recall_repeats@50"] > 0 && v["recall_repeats@50"] <= r.metrics["recall@50"]);
});
