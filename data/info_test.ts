import assert from "node:assert/strict";
import { datasetInfo, datasetToLog, formatInfo } from "./info.ts";
import { writeMovieLensFiles } from "./movielens_fixtures.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { loadDataset } from "./load.ts";
import { prepareDataset } from "./prepare.ts";
import { loadRecBole, writeRecBole } from "./recbole.ts";
import { tempDir } from "./_testing.ts";

const formats = new URL("../fixtures/formats", import.meta.url).pathname;

Deno.test("datasetInfo() gives hand-computed distributions and a Gini of 0 for even popularity", () => {
  const b = new InteractionLogBuilder("toy");
  // u1: a b; u2: a b c d  -> lengths 2, 4; popularity a 2, b 2, c 1, d 1
  for (
    const [u, i] of [["u1", "a"], ["u1", "b"], ["u2", "a"], ["u2", "b"], ["u2", "c"], ["u2", "d"]]
  ) {
    b.add(u, i, 0);
  }
  const info = datasetInfo(prepareDataset(b.finish(), { minItemCount: 1, minUserCount: 1 }));
  assert.equal(info.interactions, 6);
  assert.equal(info.density, 6 / 8);
  assert.deepEqual([info.sequenceLength.min, info.sequenceLength.max], [2, 4]);
  assert.equal(info.sequenceLength.mean, 3);
  assert.equal(info.itemPopularity.mean, 1.5);
  // Gini of [1, 1, 2, 2]: sum_i sum_j |x_i - x_j| / (2 n^2 mean) = 8 / 48.
  assert.ok(Math.abs(info.popularityGini - 8 / 48) < 1e-12);
  const even = new InteractionLogBuilder("even");
  even.add("u", "a", 0);
  even.add("u", "b", 0);
  assert.equal(
    datasetInfo(prepareDataset(even.finish(), { minItemCount: 1, minUserCount: 1 })).popularityGini,
    0,
  );
});

Deno.test("converting prepared data to RecBole atomic files and reading them back gives the same dataset", async () => {
  await using dir = await tempDir();
  const { dataset } = await loadDataset("amazon-books", { dataDir: formats });
  await writeRecBole(datasetToLog(dataset), dir.path, "books");
  const back = prepareDataset(await loadRecBole(dir.path, "books", { logName: dataset.name }), {
    minItemCount: 1,
    minUserCount: 1,
  });
  assert.equal(back.numUsers, dataset.numUsers);
  assert.equal(back.numItems, dataset.numItems);
  assert.deepEqual(back.items, dataset.items);
  assert.deepEqual(back.times, dataset.times);
  assert.deepEqual(back.itemFeatures!.titles, dataset.itemFeatures!.titles);
});

Deno.test("formatInfo() of a given split prints each part's users and interactions", async () => {
  await using dir = await tempDir();
  // train: u1 a b, u2 a c, u3 b c; valid: u1 c; test: u1 d, u2 b.
  const parts: Record<string, [string, string][]> = {
    train: [["1", "10"], ["1", "11"], ["2", "10"], ["2", "12"], ["3", "11"], ["3", "12"]],
    valid: [["1", "12"]],
    test: [["1", "13"], ["2", "11"]],
  };
  for (const [part, events] of Object.entries(parts)) {
    const b = new InteractionLogBuilder(part, { withRatings: true });
    events.forEach(([u, i], t) => b.add(u, i, 1000 + t, 4));
    await writeMovieLensFiles(b.finish(), `${dir.path}/${part}`, "ml-latest-small");
  }
  const loaded = await loadDataset("given:ml-latest-small", { dataDir: dir.path, split: "given" });
  const text = formatInfo(datasetInfo(loaded.dataset), loaded);
  assert.ok(text.includes("interactions   9\n"), text);
  assert.ok(text.includes("given split    train 3 users, 6 interactions\n"), text);
  assert.ok(text.includes("               valid 1 users, 1 interactions\n"), text);
  assert.ok(text.includes("               test  2 users, 2 interactions\n"), text);
});
