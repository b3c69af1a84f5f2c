import assert from "node:assert/strict";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { findMovieLensDir, loadMovieLens, MOVIELENS_FORMATS } from "./movielens.ts";
import { type MovieLensFixtureFormat, writeMovieLensFiles } from "./movielens_fixtures.ts";
import { prepareDataset } from "./prepare.ts";
import { realDataDir } from "./_real_data.ts";
import { tempDir } from "./_testing.ts";

async function writeFiles(dir: string, files: Record<string, string | Uint8Array>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    if (typeof content === "string") await Deno.writeTextFile(`${dir}/${name}`, content);
    else await Deno.writeFile(`${dir}/${name}`, content);
  }
}

/** Encodes text as latin1, one byte a character. */
function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

/** A small log with half-star ratings unless `integerRatings`, and tricky titles. */
function smallLog(options: { integerRatings: boolean }): InteractionLog {
  const b = new InteractionLogBuilder("toy", { withRatings: true });
  const half = options.integerRatings ? 0 : 0.5;
  b.add("1", "11", 964982703, 4);
  b.add("1", "2", 964981247, 3 + half);
  b.add("7", "11", 964982224, 5);
  b.add("7", "150", 964983815, 1 + half);
  b.add("3", "2", 964982931, 2);
  b.add("1", "150", 964982400, 4);
  b.itemFeatures = {
    titles: new Map([
      ["11", "American President, The (1995)"],
      ["2", 'Say "Anything" (1989)'],
      ["150", "Misérables, Les (1995)"],
      ["99", "Never Rated (2000)"],
    ]),
    fields: {
      genres: new Map([
        ["11", ["Comedy", "Drama", "Romance"]],
        ["2", ["Comedy"]],
        ["150", []],
        ["99", ["Action", "Thriller"]],
      ]),
    },
  };
  return b.finish();
}

function assertSameLog(actual: InteractionLog, expected: InteractionLog): void {
  assert.deepEqual(actual.userIds, expected.userIds);
  assert.deepEqual(actual.itemIds, expected.itemIds);
  assert.deepEqual(actual.users, expected.users);
  assert.deepEqual(actual.items, expected.items);
  assert.deepEqual(actual.times, expected.times);
  assert.deepEqual(actual.ratings, expected.ratings);
  assert.deepEqual(actual.itemFeatures, expected.itemFeatures);
}

/** Asserts that `promise` rejects with a DataFormatError at `file` `line`, matching `detail`. */
async function assertFormatError(
  promise: Promise<unknown>,
  where: { name: string; file: string; line: number },
  detail: string,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataFormatError, `expected a DataFormatError, got ${error}`);
    assert.ok(error.file.endsWith(`/${where.file}`), `file ${error.file}`);
    assert.equal(error.line, where.line);
    assert.equal(
      error.message,
      `Cannot load dataset "${where.name}": ${error.file} line ${where.line}: ${detail}`,
    );
    return true;
  });
}

const ROUND_TRIPS: [MovieLensFixtureFormat, boolean][] = [
  ["ml-100k", true],
  ["ml-1m", true],
  ["ml-latest-small", false],
];

for (const [format, integerRatings] of ROUND_TRIPS) {
  Deno.test(`loadMovieLens() reads back what writeMovieLensFiles() wrote as ${format}`, async () => {
    await using dir = await tempDir();
    const log = smallLog({ integerRatings });
    await writeMovieLensFiles(log, dir.path, format);
    const loaded = await loadMovieLens(format, dir.path);
    assert.equal(loaded.name, format);
    assertSameLog(loaded, log);
    assert.deepEqual(loaded.skipped, format === "ml-latest-small" ? { header: 2 } : {});
  });
}

Deno.test("writeMovieLensFiles() writes the original layouts byte for byte", async () => {
  await using dir = await tempDir();
  const log = smallLog({ integerRatings: false });
  await writeMovieLensFiles(log, dir.path, "ml-latest-small");
  assert.equal(
    await Deno.readTextFile(`${dir.path}/ratings.csv`),
    "userId,movieId,rating,timestamp\n1,11,4.0,964982703\n1,2,3.5,964981247\n" +
      "7,11,5.0,964982224\n7,150,1.5,964983815\n3,2,2.0,964982931\n1,150,4.0,964982400\n",
  );
  assert.equal(
    await Deno.readTextFile(`${dir.path}/movies.csv`),
    'movieId,title,genres\n2,"Say ""Anything"" (1989)",Comedy\n' +
      '11,"American President, The (1995)",Comedy|Drama|Romance\n' +
      "99,Never Rated (2000),Action|Thriller\n" +
      '150,"Misérables, Les (1995)",(no genres listed)\n',
  );
  const integer = smallLog({ integerRatings: true });
  await writeMovieLensFiles(integer, dir.path, "ml-1m");
  assert.equal(
    (await Deno.readTextFile(`${dir.path}/ratings.dat`)).split("\n")[0],
    "1::11::4::964982703",
  );
  const movies = await Deno.readFile(`${dir.path}/movies.dat`);
  assert.equal(movies.length, new TextDecoder("latin1").decode(movies).length); // one byte a char
  await writeMovieLensFiles(integer, dir.path, "ml-100k");
  assert.equal(
    (await Deno.readTextFile(`${dir.path}/u.data`)).split("\n")[0],
    "1\t11\t4\t964982703",
  );
  assert.match(await Deno.readTextFile(`${dir.path}/u.genre`), /^unknown\|0\nAction\|1\n/);
});

Deno.test("writeMovieLensFiles() output is the same on every run", async () => {
  await using a = await tempDir();
  await using b = await tempDir();
  const log = smallLog({ integerRatings: true });
  for (const format of ["ml-100k", "ml-1m", "ml-latest-small"] as const) {
    await writeMovieLensFiles(log, a.path, format);
    await writeMovieLensFiles(log, b.path, format);
  }
  for await (const entry of Deno.readDir(a.path)) {
    assert.deepEqual(
      await Deno.readFile(`${a.path}/${entry.name}`),
      await Deno.readFile(`${b.path}/${entry.name}`),
    );
  }
});

Deno.test("writeMovieLensFiles() refuses half-star ratings in an integer-rating format", async () => {
  await using dir = await tempDir();
  await assert.rejects(
    writeMovieLensFiles(smallLog({ integerRatings: false }), dir.path, "ml-1m"),
    RangeError,
  );
});

Deno.test("loadMovieLens() reads files with a BOM, \\r\\n and no final line break", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, {
    "ratings.csv":
      "\uFEFFuserId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,4.5,964981247",
    "movies.csv": '\uFEFFmovieId,title,genres\r\n1,"Toy Story (1995)",Animation\r\n3,"Heat",' +
      "(no genres listed)",
  });
  const log = await loadMovieLens("ml-latest-small", dir.path);
  assert.deepEqual(log.itemIds, ["1", "3"]);
  assert.deepEqual(log.ratings, new Float32Array([4, 4.5]));
  assert.deepEqual(log.times, new Float64Array([964982703, 964981247]));
  assert.deepEqual(log.itemFeatures?.titles, new Map([["1", "Toy Story (1995)"], ["3", "Heat"]]));
  assert.deepEqual(log.itemFeatures?.fields.genres, new Map([["1", ["Animation"]], ["3", []]]));
});

Deno.test("loadMovieLens() reads ml-100k items as latin1 and names genres from u.genre", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, {
    "u.data": "196\t242\t3\t881250949\n186\t302\t3\t891717742\n",
    "u.genre": "first|0\nsecond|1\n\n",
    "u.item": latin1("242|Léon|01-Jan-1994||http://x|1|1\n302|Plain|||x|0|1\n"),
  });
  const log = await loadMovieLens("ml-100k", dir.path);
  assert.equal(log.itemFeatures?.titles.get("242"), "Léon");
  assert.deepEqual(log.itemFeatures?.fields.genres.get("242"), ["first", "second"]);
  assert.deepEqual(log.itemFeatures?.fields.genres.get("302"), ["second"]);
  assert.deepEqual(log.skipped, { "blank line": 1 });
});

Deno.test("loadMovieLens() uses the 19 standard ml-100k genres when u.genre is absent", async () => {
  await using dir = await tempDir();
  const flags = Array.from({ length: 19 }, (_, k) => (k === 1 || k === 18 ? "1" : "0"));
  await writeFiles(dir.path, {
    "u.data": "1\t5\t4\t881250949\n",
    "u.item": `5|Copycat (1995)|01-Jan-1995||http://x|${flags.join("|")}\n`,
  });
  const log = await loadMovieLens("ml-100k", dir.path);
  assert.deepEqual(log.itemFeatures?.fields.genres.get("5"), ["Action", "Western"]);
});

Deno.test("loadMovieLens() gives no item features when the movie file is absent", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "ratings.dat": "1::1193::5::978300760\n" });
  const log = await loadMovieLens("ml-1m", dir.path);
  assert.equal(log.itemFeatures, undefined);
  assert.equal(log.items.length, 1);
});

Deno.test("loadMovieLens() counts blank lines in skipped instead of dropping them silently", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "ratings.dat": "1::1::5::978300760\n\n2::1::3::978300761\n\n" });
  const log = await loadMovieLens("ml-10m", dir.path);
  assert.equal(log.items.length, 2);
  assert.deepEqual(log.skipped, { "blank line": 2 });
});

Deno.test("loadMovieLens() rejects a line with the wrong number of fields", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, {
    "ratings.dat": "1::1::5::978300760\n1::2::5::978300761\n1::3::5\n",
  });
  await assertFormatError(
    loadMovieLens("ml-1m", dir.path),
    { name: "ml-1m", file: "ratings.dat", line: 3 },
    'expected 4 fields separated by "::", found 3',
  );
});

Deno.test("loadMovieLens() rejects a non-integer user or movie id", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "u.data": "1\t2\t3\t881250949\nabc\t2\t3\t881250949\n" });
  await assertFormatError(
    loadMovieLens("ml-100k", dir.path),
    { name: "ml-100k", file: "u.data", line: 2 },
    'user id must be an integer, found "abc"',
  );
  await writeFiles(dir.path, { "u.data": "1\t2.5\t3\t881250949\n" });
  await assertFormatError(
    loadMovieLens("ml-100k", dir.path),
    { name: "ml-100k", file: "u.data", line: 1 },
    'movie id must be an integer, found "2.5"',
  );
});

Deno.test("loadMovieLens() rejects a non-numeric rating or timestamp", async () => {
  await using dir = await tempDir();
  const header = "userId,movieId,rating,timestamp\n";
  await writeFiles(dir.path, { "ratings.csv": `${header}1,1,4.0,964982703\n1,2,four,964982703\n` });
  await assertFormatError(
    loadMovieLens("ml-latest-small", dir.path),
    { name: "ml-latest-small", file: "ratings.csv", line: 3 },
    'rating must be a non-negative number, found "four"',
  );
  await writeFiles(dir.path, { "ratings.csv": `${header}1,1,4.0,\n` });
  await assertFormatError(
    loadMovieLens("ml-latest-small", dir.path),
    { name: "ml-latest-small", file: "ratings.csv", line: 2 },
    'timestamp must be a non-negative integer (digits only), found ""',
  );
});

Deno.test("loadMovieLens() rejects a ratings file without ratings", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "ratings.dat": "" });
  await assertFormatError(
    loadMovieLens("ml-1m", dir.path),
    { name: "ml-1m", file: "ratings.dat", line: 1 },
    "expected a rating, found the end of the file",
  );
  await writeFiles(dir.path, { "ratings.csv": "userId,movieId,rating,timestamp\n" });
  await assertFormatError(
    loadMovieLens("ml-25m", dir.path),
    { name: "ml-25m", file: "ratings.csv", line: 2 },
    "expected a rating, found the end of the file",
  );
});

Deno.test("loadMovieLens() rejects a present but empty movie file", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "ratings.dat": "1::1::5::978300760\n", "movies.dat": "\n" });
  await assertFormatError(
    loadMovieLens("ml-1m", dir.path),
    { name: "ml-1m", file: "movies.dat", line: 2 },
    "expected a movie, found the end of the file",
  );
});

Deno.test("loadMovieLens() rejects a missing ratings file with NotFound naming it", async () => {
  await using dir = await tempDir();
  await assert.rejects(loadMovieLens("ml-20m", dir.path), (error: unknown) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(
      error.message,
      `Cannot load dataset "ml-20m": file "${dir.path}/ratings.csv" not found`,
    );
    return true;
  });
});

Deno.test("loadMovieLens() requires the exact CSV headers", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, { "ratings.csv": "user,movie,rating,time\n1,1,4.0,964982703\n" });
  await assertFormatError(
    loadMovieLens("ml-latest", dir.path),
    { name: "ml-latest", file: "ratings.csv", line: 1 },
    'expected the header "userId,movieId,rating,timestamp", found "user,movie,rating,time"',
  );
  await writeFiles(dir.path, {
    "ratings.csv": "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n",
    "movies.csv": "1,Toy Story (1995),Animation\n",
  });
  await assertFormatError(
    loadMovieLens("ml-latest", dir.path),
    { name: "ml-latest", file: "movies.csv", line: 1 },
    'expected the header "movieId,title,genres", found "1,Toy Story (1995),Animation"',
  );
});

Deno.test("loadMovieLens() rejects malformed movie files with their line", async () => {
  await using dir = await tempDir();
  const ratings = "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n";
  await writeFiles(dir.path, {
    "ratings.csv": ratings,
    "movies.csv": 'movieId,title,genres\n1,"Toy Story (1995),Animation\n2,Jumanji,Comedy\n',
  });
  await assertFormatError(
    loadMovieLens("ml-latest-small", dir.path),
    { name: "ml-latest-small", file: "movies.csv", line: 2 },
    "a quoted field starting on this line is never closed",
  );
  await writeFiles(dir.path, {
    "movies.csv": "movieId,title,genres\n1,Toy Story (1995),Animation\n2,Jumanji (1995)\n",
  });
  await assertFormatError(
    loadMovieLens("ml-latest-small", dir.path),
    { name: "ml-latest-small", file: "movies.csv", line: 3 },
    'expected 3 fields separated by ",", found 2',
  );
  await writeFiles(dir.path, {
    "movies.csv": "movieId,title,genres\n1,Toy Story,Animation\n1,Toy Story again,Comedy\n",
  });
  await assertFormatError(
    loadMovieLens("ml-latest-small", dir.path),
    { name: "ml-latest-small", file: "movies.csv", line: 3 },
    "movie id 1 already appeared on line 2",
  );
});

Deno.test("loadMovieLens() rejects a u.item genre flag other than 0 or 1", async () => {
  await using dir = await tempDir();
  await writeFiles(dir.path, {
    "u.data": "1\t1\t4\t881250949\n",
    "u.genre": "a|0\nb|1\n",
    "u.item": "1|Toy Story (1995)|||x|0|1\n2|GoldenEye (1995)|||x|0|yes\n",
  });
  await assertFormatError(
    loadMovieLens("ml-100k", dir.path),
    { name: "ml-100k", file: "u.item", line: 2 },
    'genre flag for "b" must be 0 or 1, found "yes"',
  );
});

Deno.test("loadMovieLens() rejects an unknown release with a RangeError listing the known ones", async () => {
  await assert.rejects(loadMovieLens("ml-2m", "."), (error: unknown) => {
    assert.ok(error instanceof RangeError);
    assert.equal(
      error.message,
      `Cannot load dataset "ml-2m": unknown MovieLens release "ml-2m" (known: ${
        Object.keys(MOVIELENS_FORMATS).join(", ")
      })`,
    );
    return true;
  });
});

Deno.test("findMovieLensDir() prefers dataDir/<name>/, then folder aliases, then dataDir", async () => {
  await using dir = await tempDir();
  await Deno.mkdir(`${dir.path}/ml-10M100K`);
  await writeFiles(dir.path, { "ratings.dat": "", "ml-10M100K/ratings.dat": "" });
  assert.equal(await findMovieLensDir("ml-1m", dir.path), dir.path);
  assert.equal(await findMovieLensDir("ml-10m", dir.path), `${dir.path}/ml-10M100K`);
  await Deno.mkdir(`${dir.path}/ml-1m`);
  await writeFiles(dir.path, { "ml-1m/ratings.dat": "" });
  assert.equal(await findMovieLensDir("ml-1m", dir.path), `${dir.path}/ml-1m`);
});

Deno.test("findMovieLensDir() lists every place it looked when none holds the ratings", async () => {
  await using dir = await tempDir();
  await assert.rejects(findMovieLensDir("ml-latest-small", dir.path), (error: unknown) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(
      error.message,
      `Cannot find dataset "ml-latest-small": no "ratings.csv" in "${dir.path}/ml-latest-small" ` +
        `or "${dir.path}"`,
    );
    return true;
  });
});

const REAL_DATA = realDataDir("ml-latest-small") ?? "";
const hasRealData = REAL_DATA !== "";

Deno.test({
  name: "loadMovieLens() reads the real ml-latest-small with all ratings, users and movies",
  ignore: !hasRealData,
  fn: async () => {
    const log = await loadMovieLens(
      "ml-latest-small",
      await findMovieLensDir("ml-latest-small", REAL_DATA),
    );
    assert.equal(log.items.length, 100_836);
    assert.equal(log.userIds.length, 610);
    assert.equal(log.itemIds.length, 9_724);
    assert.deepEqual(log.skipped, { header: 2 });
    assert.equal(log.itemFeatures?.titles.get("1"), "Toy Story (1995)");
    assert.deepEqual(log.itemFeatures?.fields.genres.get("1"), [
      "Adventure",
      "Animation",
      "Children",
      "Comedy",
      "Fantasy",
    ]);
    const dataset = prepareDataset(log);
    assert.equal(dataset.preparation.rawInteractions, 100_836);
  },
});
