import assert from "node:assert/strict";
import { datasetInfo, datasetToLog } from "./info.ts";
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
