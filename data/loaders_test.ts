import assert from "node:assert/strict";
import { loadAmazonRatings, loadAmazonReviews } from "./amazon.ts";
import { DataFormatError } from "./errors.ts";
import { loadUserItemLists } from "./given_split.ts";
import { loadGowalla } from "./gowalla.ts";
import { prepareDataset } from "./prepare.ts";
import { loadRecBole } from "./recbole.ts";
import { loadRetailRocket } from "./retailrocket.ts";
import { parsePythonLiteral } from "./_pyliteral.ts";
import { tempDir, tempFile } from "./_testing.ts";

const edge = new URL("../fixtures/edge", import.meta.url).pathname;

async function gzip(text: string): Promise<Uint8Array> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Asserts a DataFormatError naming `file` (a suffix) and `line`, with `detail` in the message. */
async function assertBadLine(
  promise: Promise<unknown>,
  where: { file: string; line: number },
  detail: RegExp,
): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof DataFormatError, `expected a DataFormatError, got ${error}`);
    assert.ok(error.file.endsWith(where.file), `file ${error.file}`);
    assert.equal(error.line, where.line);
    assert.ok(error.message.includes(`${error.file} line ${where.line}: `), error.message);
    assert.match(error.message, detail);
    return true;
  });
}

Deno.test("loadAmazonRatings() reads quoted commas, CRLF, a BOM and a missing final line break", async () => {
  const log = await loadAmazonRatings(`${edge}/ratings_quoted.csv`);
  assert.deepEqual(log.userIds, ["A1", 'A "2"']);
  assert.deepEqual(log.itemIds, ["B,00,1", "B002"]);
  assert.deepEqual([...log.times], [1000, 1000, 1000, 999]);
  assert.deepEqual([...log.ratings!], [5, 4, 3, 2]);
});

Deno.test("equal timestamps keep file order and keep-first drops only later repeats", async () => {
  const log = await loadGowalla(`${edge}/gowalla_repeats.txt`);
  assert.equal(log.items.length, 6);
  const all = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  const seq = (ds: typeof all, u: number) =>
    Array.from(ds.items.subarray(ds.userPtr[u], ds.userPtr[u + 1]), (i) => ds.itemIds[i]);
  // User 7, oldest first; the two 19th-October check-ins keep their file order.
  assert.deepEqual(seq(all, 0), ["22847", "316637", "316637", "22847", "420315"]);
  const once = prepareDataset(log, { minItemCount: 1, minUserCount: 1, dedupe: "keep-first" });
  assert.deepEqual(seq(once, 0), ["22847", "316637", "420315"]);
  assert.equal(once.preparation.droppedAsDuplicates, 2);
  assert.equal(once.preparation.options.dedupe, "keep-first");
});

Deno.test("loadRetailRocket() reads CRLF with a BOM and filters event types as asked", async () => {
  const path = `${edge}/events_crlf.csv`;
  const views = await loadRetailRocket(path);
  assert.equal(views.items.length, 4);
  assert.deepEqual(views.skipped, {
    header: 1,
    "event addtocart not selected": 1,
    "event transaction not selected": 1,
  });
  const bought = await loadRetailRocket(path, { events: ["transaction"] });
  assert.deepEqual(bought.itemIds, ["253185"]);
  await assert.rejects(loadRetailRocket(path, { events: ["click" as "view"] }), RangeError);
});

Deno.test("loadRecBole() reads typed headers, token_seq titles and classes, and checks .user", async () => {
  const log = await loadRecBole(edge, "edge");
  assert.deepEqual(log.userIds, ["u1", "u2"]);
  assert.deepEqual([...log.ratings!], [4, 3, 5]);
  const f = log.itemFeatures!;
  assert.equal(f.titles.get("i1"), "Toy Story");
  assert.deepEqual(f.fields.class.get("i1"), ["Animation", "Comedy"]);
  assert.deepEqual(f.fields.year.get("i2"), ["1995"]);
  assert.equal(f.titles.has("i3"), false, "an item without interactions is not kept");
});

Deno.test("loadAmazonReviews() reads meta lines written as JSON and as Python dicts", async () => {
  const log = await loadAmazonReviews(`${edge}/reviews_edge.json`, {
    metaPath: `${edge}/meta_mixed.json`,
  });
  const f = log.itemFeatures!;
  assert.equal(f.titles.get("B001"), 'Strict "JSON" Title');
  assert.equal(f.titles.get("B002"), "It's Python");
  assert.deepEqual(f.fields.categories.get("B001"), ["Books", "Kids"]);
  assert.deepEqual(f.fields.categories.get("B002"), ["Books", "Sci-Fi & Fantasy"]);
  assert.deepEqual(f.fields.categories.get("B003"), []);
  assert.equal(log.skipped["meta of an item without interactions"], 1);
});

Deno.test("parsePythonLiteral() reads escapes, nesting and tuples, and rejects code", () => {
  assert.deepEqual(
    parsePythonLiteral("{'a': ('x', -1e3), u'b': {'c': [None, False]}, 'd': 'Caf\\xe9 \\'q\\''}"),
    {
      a: ["x", -1000],
      b: { c: [null, false] },
      d: "Café 'q'",
    },
  );
  assert.throws(() => parsePythonLiteral("{'a': __import__('os')}"), SyntaxError);
  assert.throws(() => parsePythonLiteral("{'a': 1"), /position/);
});

Deno.test("a wrong field count names the file and line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    "0\t2010-10-19T23:55:27Z\t30.2\t-97.7\t22847\n0\t2010-10-18T23:55:27Z\t30.2\t22847\n",
    "loc-gowalla_totalCheckins.txt",
  );
  await assertBadLine(
    loadGowalla(path),
    { file: "/loc-gowalla_totalCheckins.txt", line: 2 },
    /expected 5 fields separated by "\\t", found 4/,
  );
});

Deno.test("a non-numeric timestamp names the file and line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    "timestamp,visitorid,event,itemid,transactionid\n1433221332117,1,view,2,\nsoon,1,view,3,\n",
    "events.csv",
  );
  await assertBadLine(
    loadRetailRocket(path),
    { file: "/events.csv", line: 3 },
    /timestamp must be a non-negative integer \(digits only\), found "soon"/,
  );
  const gowalla = await tempFile(dir, "0\t19/10/2010\t30.2\t-97.7\t22847\n", "g.txt");
  await assertBadLine(loadGowalla(gowalla), { file: "/g.txt", line: 1 }, /ISO time/);
});

Deno.test("a truncated .gz names the file and the line it broke off in", async () => {
  await using dir = await tempDir();
  const lines = Array.from(
    { length: 40_000 },
    (_, i) => `U${i % 977},I${(i * 7919) % 5003},4.0,${i}`,
  );
  const bytes = await gzip(lines.join("\n") + "\n");
  const path = await tempFile(dir, bytes.subarray(0, bytes.length - 4000), "ratings_Books.csv.gz");
  await assert.rejects(loadAmazonRatings(path, { onBadLine: "skip" }), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.ok(error.line > 1, `line ${error.line}`);
    assert.match(
      error.message,
      /^Cannot load dataset "amazon": .*ratings_Books\.csv\.gz line \d+: gzip data is truncated/,
    );
    return true;
  });
  // The whole file reads.
  const whole = await tempFile(dir, bytes, "whole.csv.gz");
  assert.equal((await loadAmazonRatings(whole)).items.length, 40_000);
});

Deno.test("an invalid JSON line names the file and line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    '{"reviewerID": "R", "asin": "A", "overall": 5, "unixReviewTime": 1}\n{"reviewerID": "R", "asin": \n',
    "reviews_Books_5.json",
  );
  await assertBadLine(
    loadAmazonReviews(path),
    { file: "/reviews_Books_5.json", line: 2 },
    /invalid JSON/,
  );
  const missing = await tempFile(dir, '{"reviewerID": "R", "asin": "A", "overall": 5}\n', "r.json");
  await assertBadLine(
    loadAmazonReviews(missing),
    { file: "/r.json", line: 1 },
    /"unixReviewTime" must be a number, found none/,
  );
});

Deno.test("an unknown header type names the file and line 1", async () => {
  await using dir = await tempDir();
  await tempFile(dir, "user_id:token\titem_id:tokne\n1\t2\n", "x.inter");
  await assertBadLine(
    loadRecBole(dir.path, "x"),
    { file: "/x.inter", line: 1 },
    /unknown type "tokne"/,
  );
  await tempFile(dir, "user_id:token\tsku:token\n1\t2\n", "y.inter");
  await assertBadLine(
    loadRecBole(dir.path, "y"),
    { file: "/y.inter", line: 1 },
    /no "item_id" field/,
  );
});

Deno.test("onBadLine skip counts every skipped line by what was wrong", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    "timestamp,visitorid,event,itemid,transactionid\n" +
      "1,1,view,2,\nx,1,view,3,\n2,1,view\n3,1,click,4,\ny,2,view,5,\n4,2,view,6,\n",
    "events.csv",
  );
  const log = await loadRetailRocket(path, { onBadLine: "skip" });
  assert.equal(log.items.length, 2);
  assert.deepEqual(log.skipped, {
    header: 1,
    "bad line: timestamp must be a non-negative integer (digits only)": 2,
    'bad line: expected 5 fields separated by ","': 1,
    "bad line: event must be view, addtocart or transaction": 1,
  });
  // The counts reach the prepared dataset's report.
  const ds = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  assert.equal(
    ds.preparation.skipped["bad line: timestamp must be a non-negative integer (digits only)"],
    2,
  );
  // A bad header still stops, skip or not.
  const header = await tempFile(dir, "ts,visitor,event,item,tx\n1,1,view,2,\n", "h.csv");
  await assertBadLine(
    loadRetailRocket(header, { onBadLine: "skip" }),
    { file: "/h.csv", line: 1 },
    /expected the header/,
  );
});

Deno.test("loadUserItemLists() refuses a user listed twice and a non-integer item", async () => {
  await using dir = await tempDir();
  const twice = await tempFile(dir, "0 1 2\n1 2\n0 3\n", "train.txt");
  await assertBadLine(
    loadUserItemLists(twice),
    { file: "/train.txt", line: 3 },
    /user 0 already listed on line 1/,
  );
  const word = await tempFile(dir, "0 1 x2\n", "test.txt");
  await assertBadLine(
    loadUserItemLists(word),
    { file: "/test.txt", line: 1 },
    /item id must be an integer/,
  );
});
