import assert from "node:assert/strict";
import { readCacheEntry, writeCacheEntry } from "./cache.ts";
import { DataFormatError } from "./errors.ts";
import { loadMovieLens } from "./movielens.ts";
import { prepareDataset } from "./prepare.ts";
import { tempDir, tempFile } from "./_testing.ts";

const ML1M_RATINGS = "1::10::5::978300760\n2::10::3::978300761\n2::20::4::978300762\n";
const ML1M_MOVIES = "10::GoldenEye (1995)::Action\n20::Angela (1995)::Drama\n";

/** Writes ml-1m's ratings and movies (so the only note can be about users). */
async function writeMl1m(dir: { path: string }): Promise<void> {
  await tempFile(dir, ML1M_RATINGS, "ratings.dat");
  await tempFile(dir, ML1M_MOVIES, "movies.dat");
}

Deno.test("loadMovieLens() reads ml-1m users.dat demographics as user features", async () => {
  await using dir = await tempDir();
  await writeMl1m(dir);
  // Users 1 and 2 rate; user 3 only has a demographics row.
  await tempFile(
    dir,
    "1::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::55117\n",
    "users.dat",
  );
  const log = await loadMovieLens("ml-1m", dir.path);
  const f = log.userFeatures!;
  assert.equal(f.source, `${dir.path}/users.dat`);
  assert.deepEqual(f.fields.gender.get("1"), ["F"]);
  assert.deepEqual(f.fields.age.get("2"), ["56"]);
  assert.deepEqual(f.fields.occupation.get("1"), ["10"]);
  assert.deepEqual(f.fields.zip.get("2"), ["7"]);
  assert.equal(log.notes, undefined);
  // Preparation keeps the rated users' rows, with vocabularies sorted by value.
  const dataset = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  const gender = dataset.userFeatures!.fields.gender;
  assert.deepEqual(gender.vocab, ["F", "M"]);
  const of = (raw: string) => gender.codes[gender.ptr[dataset.userIds.indexOf(raw)]];
  assert.deepEqual([of("1"), of("2")], [0, 1]);
  assert.match(dataset.preparation.notes![0], /gender \(2 values\).*2 of 2 users/);
});

Deno.test("loadMovieLens() buckets ml-100k u.user ages into ml-1m's age groups", async () => {
  await using dir = await tempDir();
  await tempFile(dir, "1\t10\t5\t881250949\n2\t10\t3\t881250950\n", "u.data");
  await tempFile(dir, "1|24|M|technician|85711\n2|53|F|other|T8H1N\n", "u.user");
  const log = await loadMovieLens("ml-100k", dir.path);
  const f = log.userFeatures!.fields;
  assert.deepEqual([f.age.get("1"), f.age.get("2")], [["18"], ["50"]]);
  assert.deepEqual([f.gender.get("1"), f.occupation.get("2"), f.zip.get("2")], [
    ["M"],
    ["other"],
    ["T"],
  ]);
});

Deno.test("loadMovieLens() says when the demographics file is missing, and goes on", async () => {
  await using dir = await tempDir();
  await writeMl1m(dir);
  const log = await loadMovieLens("ml-1m", dir.path);
  assert.equal(log.userFeatures, undefined);
  assert.deepEqual(log.notes, [`no "${dir.path}/users.dat": the users have no demographics`]);
  const dataset = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  assert.deepEqual(dataset.preparation.notes, log.notes);
});

Deno.test("loadMovieLens() names the file and line of a malformed demographics line", async () => {
  const cases: [string, string, RegExp][] = [
    ["1::F::1::10::48067\n2::M::56::16\n", "users.dat", /users\.dat line 2: expected 5 fields/],
    ["1::X::1::10::48067\n", "users.dat", /users\.dat line 1: gender must be M or F, found "X"/],
    ["1::F::30::10::48067\n", "users.dat", /line 1: age must be one of the age group codes/],
    ["1::F::1::21::48067\n", "users.dat", /line 1: occupation must be a code from 0 to 20/],
    ["1::F::1::1::1\n1::F::1::1::1\n", "users.dat", /line 2: user id 1 already appeared on line 1/],
  ];
  for (const [text, file, message] of cases) {
    await using dir = await tempDir();
    await writeMl1m(dir);
    await tempFile(dir, text, file);
    const error = await loadMovieLens("ml-1m", dir.path).catch((e) => e);
    assert.ok(error instanceof DataFormatError, String(error));
    assert.match(error.message, /^Cannot load dataset "ml-1m": /);
    assert.match(error.message, message);
  }
  await using dir = await tempDir();
  await tempFile(dir, "1\t10\t5\t881250949\n", "u.data");
  await tempFile(dir, "1|old|M|writer|85711\n", "u.user");
  const error = await loadMovieLens("ml-100k", dir.path).catch((e) => e);
  assert.match(error.message, /u\.user line 1: age must be whole years, found "old"/);
});

Deno.test("user features survive the prepared-data cache", async () => {
  await using dir = await tempDir();
  await writeMl1m(dir);
  await tempFile(dir, "1::F::1::10::48067\n2::M::56::16::70072\n", "users.dat");
  const dataset = prepareDataset(await loadMovieLens("ml-1m", dir.path), {
    minItemCount: 1,
    minUserCount: 1,
  });
  await writeCacheEntry(`${dir.path}/entry.bin`, { dataset });
  const back = (await readCacheEntry(`${dir.path}/entry.bin`))!.dataset;
  assert.deepEqual(back.userFeatures, dataset.userFeatures);
  assert.equal(back.checksum, dataset.checksum);
});
