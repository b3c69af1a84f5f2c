import assert from "node:assert/strict";
import { dataOptionsFrom } from "./cli_options.ts";
import { DataFormatError } from "./errors.ts";
import { loadDataset } from "./load.ts";
import { loadMovieLens } from "./movielens.ts";
import { loadRetailRocket } from "./retailrocket.ts";
import { forEachRecord } from "./_records.ts";
import { readCsvRecords } from "./_csv.ts";
import { readLines } from "./_lines.ts";
import { tempDir, tempFile } from "./_testing.ts";

const HEADER = "userId,movieId,rating,timestamp\n";
const counter = () => {
  const skipped: Record<string, number> = {};
  return { skipped, skip: (r: string) => void (skipped[r] = (skipped[r] ?? 0) + 1) };
};

Deno.test("a line longer than the cap stops the load with its file and line, or is skipped", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, `a,b\n${"x".repeat(3000)}\nc,d\n`, "f.csv");
  await assert.rejects(
    forEachRecord(
      path,
      { separator: ",", onBadLine: { maxLineLength: 1000 } },
      counter(),
      () => {},
    ),
    (e: Error) =>
      e instanceof DataFormatError && e.line === 2 &&
      e.message.includes(
        "longer than the limit of 1000 characters (--max-line-length), found 3000",
      ),
  );
  const c = counter();
  const rows: string[][] = [];
  await forEachRecord(
    path,
    { separator: ",", onBadLine: { action: "skip", maxLineLength: 1000 } },
    c,
    (fields) => void rows.push(fields),
  );
  assert.deepEqual(rows, [["a", "b"], ["c", "d"]]);
  assert.deepEqual(c.skipped, {
    "bad line: line is longer than the limit of 1000 characters (--max-line-length)": 1,
  });
});

Deno.test("the default cap is 1 MiB: a 2 MiB line is refused without being kept", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, `${HEADER}1,1,4,${"9".repeat(2 << 20)}\n`, "ratings.csv");
  await assert.rejects(
    loadMovieLens("ml-latest-small", dir.path),
    /ratings\.csv line 2: line is longer than the limit of 1048576 characters/,
  );
  assert.ok(path);
});

Deno.test("a huge bad field is echoed cut to a readable length", async () => {
  await using dir = await tempDir();
  await tempFile(dir, `${HEADER}1,1,${"7".repeat(20_000)}x,964982703\n`, "ratings.csv");
  await assert.rejects(loadMovieLens("ml-latest-small", dir.path), (e: Error) => {
    assert.ok(e.message.length < 400, `${e.message.length} characters`);
    assert.match(
      e.message,
      /rating must be a non-negative number, found "7{60}"\.\.\. \(20001 characters\)/,
    );
    return true;
  });
});

Deno.test("negative and exponent timestamps and negative ratings are bad lines in MovieLens and RetailRocket", async () => {
  await using dir = await tempDir();
  await tempFile(
    dir,
    `${HEADER}1,1,4,964982703\n1,2,4,-964982703\n1,3,4,9.6e8\n1,4,-1,964982703\n1,5,2.5e0,964982703\n`,
    "ratings.csv",
  );
  const log = await loadMovieLens("ml-latest-small", dir.path, { onBadLine: "skip" });
  assert.equal(log.items.length, 1);
  assert.deepEqual(log.skipped, {
    header: 1,
    "bad line: timestamp must be a non-negative integer (digits only)": 2,
    "bad line: rating must be a non-negative number": 2,
  });
  const rr = await tempFile(
    dir,
    "timestamp,visitorid,event,itemid,transactionid\n1,1,view,2,\n-1,1,view,3,\n1e3,1,view,3,\n",
    "events.csv",
  );
  const events = await loadRetailRocket(rr, { onBadLine: "skip" });
  assert.equal(
    events.skipped["bad line: timestamp must be a non-negative integer (digits only)"],
    2,
  );
});

Deno.test("--on-bad-line skip prints the count by reason and the first line numbers at the end of loading", async () => {
  await using dir = await tempDir();
  const good = Array.from({ length: 30 }, (_, k) => `${k % 5},${k % 6},4,${1000 + k}`);
  const lines = [...good.slice(0, 10), "1,x,4,5", "2,y,4,6", ...good.slice(10), "3,3,-4,7"];
  await tempFile(dir, HEADER + lines.join("\n") + "\n", "ratings.csv");
  const warnings: string[] = [];
  await loadDataset("ml-latest-small", {
    dataDir: dir.path,
    read: { onBadLine: "skip" },
    prepare: { minItemCount: 1, minUserCount: 1 },
    onWarning: (w) => warnings.push(w),
  });
  // (The folder has no movies.csv, which is said too.)
  assert.deepEqual(warnings.filter((w) => w.includes("malformed")), [
    "ml-latest-small: skipped 3 malformed lines (--on-bad-line skip): " +
    "2 bad line: movie id must be an integer (ratings.csv lines 12, 13); " +
    "1 bad line: rating must be a non-negative number (ratings.csv line 34)",
  ]);
});

Deno.test("--max-bad-lines stops a file that is mostly bad, as a count or as a share", async () => {
  await using dir = await tempDir();
  const body = Array.from({ length: 20 }, (_, k) => k % 4 === 0 ? `1,${k},4,5` : `1,${k},x,5`);
  await tempFile(dir, HEADER + body.join("\n") + "\n", "ratings.csv");
  await assert.rejects(
    loadMovieLens("ml-latest-small", dir.path, {
      onBadLine: { action: "skip", maxBadLines: 3 },
    }),
    /ratings\.csv line 7: more than 3 malformed lines \(--max-bad-lines 3\)/,
  );
  await assert.rejects(
    loadMovieLens("ml-latest-small", dir.path, {
      onBadLine: { action: "skip", maxBadLines: { share: 0.5 } },
    }),
    /15 of 20 lines are malformed, more than the 50% allowed by --max-bad-lines/,
  );
  const log = await loadMovieLens("ml-latest-small", dir.path, {
    onBadLine: { action: "skip", maxBadLines: { share: 0.8 } },
  });
  assert.equal(log.items.length, 5);
});

Deno.test("the data flags read --max-line-length and --max-bad-lines N or P%", () => {
  assert.deepEqual(
    dataOptionsFrom({ "on-bad-line": "skip", "max-bad-lines": "5%", "max-line-length": "4096" })
      .read,
    { onBadLine: { action: "skip", maxLineLength: 4096, maxBadLines: { share: 0.05 } } },
  );
  assert.deepEqual(dataOptionsFrom({ "on-bad-line": "skip", "max-bad-lines": "10" }).read, {
    onBadLine: { action: "skip", maxBadLines: 10 },
  });
  assert.throws(() => dataOptionsFrom({ "max-bad-lines": "10" }), /needs --on-bad-line skip/);
  assert.throws(
    () => dataOptionsFrom({ "on-bad-line": "skip", "max-bad-lines": "ten" }),
    RangeError,
  );
});

Deno.test("the line cap holds for CSV records (movies.csv) and plain line readers too", async () => {
  await using dir = await tempDir();
  const movies = await tempFile(
    dir,
    `movieId,title,genres\n1,"${"t".repeat(5000)}",Drama\n`,
    "movies.csv",
  );
  const records = async () => {
    for await (const _ of readCsvRecords(movies, { maxLineLength: 1000 })) { /* read all */ }
  };
  await assert.rejects(records(), /movies\.csv line 2: a record is longer than the limit of 1000/);
  const ids = await tempFile(dir, `a\n${"b".repeat(5000)}\n`, "ids.txt");
  const lines = async () => {
    for await (const _ of readLines(ids, { maxLineLength: 1000 })) { /* read all */ }
  };
  await assert.rejects(
    lines(),
    /ids\.txt line 2: line is longer than the limit of 1000 characters/,
  );
});

Deno.test("loadDataset() says a missing movies.csv on every load, from the cache too", async () => {
  await using dir = await tempDir();
  const rows = Array.from({ length: 30 }, (_, k) => `${k % 5},${k % 6},4,${1000 + k}`);
  await tempFile(dir, HEADER + rows.join("\n") + "\n", "ratings.csv");
  for (const expected of ["miss", "hit"]) {
    const warnings: string[] = [];
    const loaded = await loadDataset("ml-latest-small", {
      dataDir: dir.path,
      cacheDir: `${dir.path}/cache`,
      prepare: { minItemCount: 1, minUserCount: 1 },
      onWarning: (w) => warnings.push(w),
    });
    assert.equal(loaded.cache, expected);
    assert.deepEqual(warnings, [
      `ml-latest-small: no "${dir.path}/movies.csv": the items have no titles or genres`,
    ]);
  }
});
