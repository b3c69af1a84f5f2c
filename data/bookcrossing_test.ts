import assert from "node:assert/strict";
import { BOOKCROSSING_FILES, loadBookCrossing, splitBxLine } from "./bookcrossing.ts";
import { datasetSource } from "./datasets.ts";
import { DataFormatError } from "./errors.ts";
import { prepareDataset } from "./prepare.ts";
import { tempDir, tempFile } from "./_testing.ts";

/** Hand-written in the original layout (CRLF, latin-1, quotes); expected values read off it. */
const fixture = new URL("../fixtures/formats/bookcrossing", import.meta.url).pathname;

Deno.test("loadBookCrossing() reads the original files: ratings, implicit zeros and latin-1", async () => {
  const log = await loadBookCrossing(fixture);
  assert.equal(log.name, "bookcrossing");
  assert.equal(log.items.length, 11);
  assert.deepEqual(log.userIds, [
    "276725",
    "276726",
    "276727",
    "276729",
    "276733",
    "276744",
    "276762",
  ]);
  assert.deepEqual([...log.ratings!], [0, 5, 0, 3, 6, 0, 7, 9, 0, 8, 10]);
  assert.ok(log.times.every((t) => t === 0), "the files have no times");
  assert.deepEqual(log.skipped, { header: 3 });
  const books = log.itemFeatures!;
  assert.equal(books.titles.get("2080674722"), "Les Particules \u00c9l\u00e9mentaires");
  assert.deepEqual(books.fields.author.get("0195153448"), ["Mark P. O. Morford"]);
  assert.deepEqual(books.fields.publisher.get("052165615X"), ["Cambridge University Press"]);
  assert.deepEqual(books.fields.year.get("0446520802"), ["1996"]);
  assert.equal(books.fields.year.has("0590567330"), false, "year 0 is unknown");
  const users = log.userFeatures!;
  assert.equal(users.source, `${fixture}/${BOOKCROSSING_FILES.users}`);
  assert.deepEqual(users.fields.country.get("276727"), ["germany"]);
  assert.deepEqual(users.fields.age.get("276726"), ["18"]);
  assert.deepEqual(users.fields.age.get("276727"), ["35"]);
  assert.deepEqual(users.fields.age.get("276729"), ["1"]);
  assert.equal(users.fields.age.has("276725"), false, "NULL age");
  assert.equal(users.fields.age.has("276744"), false, "age 244");
  assert.equal(users.fields.country.has("276762"), false, "n/a");
  assert.deepEqual(log.notes, [
    "4 implicit (0) and 7 explicit (1-10) ratings",
    `1 rated ISBNs have no row in "${fixture}/BX-Books.csv"`,
    `1 users of "${fixture}/BX-Users.csv" have an age outside 5-100 years, taken as unknown`,
    'quotes repaired: 3 stray quotes kept as text, 1 lines where \\" before ";" closed a field',
  ]);
});

Deno.test('loadBookCrossing() unescapes \\", keeps stray quotes and repairs a \\" before ;', async () => {
  const titles = (await loadBookCrossing(fixture)).itemFeatures!.titles;
  assert.equal(titles.get("0590567330"), 'A Letter from "J. Peterman" &amp; Friends');
  assert.equal(titles.get("0440234743"), 'The "Testament"');
  assert.equal(
    titles.get("0789466953"),
    "DK Readers: Creating the X-Men, How Comic Books Come to Life (Level 4: Proficient Readers)",
  );
  const repairs = { strayQuotes: 0, backslashClosed: 0 };
  const where = { file: "f", line: 1 };
  assert.deepEqual(splitBxLine('"1";"a \\"b\\"";"c"', 3, where, repairs), ["1", 'a "b"', "c"]);
  assert.deepEqual(splitBxLine('"1";"x\\";"c"', 3, where, repairs), ["1", "x", "c"]);
  assert.deepEqual(splitBxLine('"1";"";NULL', 3, where, repairs), ["1", "", "NULL"]);
  assert.deepEqual(repairs, { strayQuotes: 0, backslashClosed: 1 });
});

Deno.test("--min-rating 1 keeps BookCrossing's explicit ratings only", async () => {
  const log = await loadBookCrossing(fixture);
  const all = prepareDataset(log, { minItemCount: 1, minUserCount: 1 });
  const explicit = prepareDataset(log, { minItemCount: 1, minUserCount: 1, minRating: 1 });
  assert.equal(all.items.length, 11);
  assert.equal(explicit.items.length, 7);
  assert.equal(explicit.preparation.droppedByRating, 4);
  // 276725, 276727 and 276733 rated implicitly only; the others keep their demographics.
  assert.equal(explicit.numUsers, 4);
  assert.equal(explicit.userFeatures!.fields.age.ptr.length, 5);
});

/** Writes the fixture's files with one line of one file replaced. */
async function withLine(
  dir: { path: string },
  file: string,
  line: number,
  text: string,
): Promise<void> {
  for (const name of Object.values(BOOKCROSSING_FILES)) {
    const bytes = await Deno.readFile(`${fixture}/${name}`);
    if (name !== file) {
      await Deno.writeFile(`${dir.path}/${name}`, bytes);
      continue;
    }
    const lines = new TextDecoder("latin1").decode(bytes).split("\r\n");
    lines[line - 1] = text;
    await Deno.writeFile(
      `${dir.path}/${name}`,
      Uint8Array.from(lines.join("\r\n"), (c) => c.charCodeAt(0)),
    );
  }
}

Deno.test("loadBookCrossing() names the file and line of a malformed line", async () => {
  const cases: [string, number, string, RegExp][] = [
    ["BX-Book-Ratings.csv", 3, '"276726";"0155061224"', /expected 3 fields separated by ";"/],
    ["BX-Book-Ratings.csv", 4, '"276727";"0446520802";"11"', /rating must be an integer from 0/],
    ["BX-Book-Ratings.csv", 5, '"x1";"052165615X";"3"', /user id must be an integer/],
    ["BX-Books.csv", 3, '"034545104X";"Flesh Tones', /a quoted field \(field 2\) is never closed/],
    ["BX-Books.csv", 2, '"0195153448";"T";"A";"19x";"P";"u";"m";"l"', /year of publication/],
    ["BX-Users.csv", 3, '"276726";"seattle, usa";"eighteen"', /age must be whole years or NULL/],
    ["BX-Users.csv", 4, '"276725";"tyler, texas, usa";NULL', /user id 276725 already appeared/],
    ["BX-Users.csv", 1, '"User-ID";"Location"', /expected the header/],
  ];
  for (const [file, line, text, detail] of cases) {
    await using dir = await tempDir();
    await withLine(dir, file, line, text);
    const error = await loadBookCrossing(dir.path).catch((e) => e);
    assert.ok(error instanceof DataFormatError, `${file}:${line}: ${error}`);
    assert.equal(error.line, line);
    assert.ok(error.file.endsWith(file));
    assert.match(error.message, new RegExp(`^Cannot load dataset "bookcrossing": .*${file} line`));
    assert.match(error.message, detail);
  }
  // With onBadLine "skip" the bad line is counted, not dropped silently.
  await using dir = await tempDir();
  await withLine(dir, "BX-Book-Ratings.csv", 4, '"276727";"0446520802";"11"');
  const log = await loadBookCrossing(dir.path, { onBadLine: "skip" });
  assert.equal(log.items.length, 10);
  assert.equal(Object.values(log.skipped).reduce((a, b) => a + b, 0), 4);
});

Deno.test("loadBookCrossing() goes on without the books and users files, and says so", async () => {
  await using dir = await tempDir();
  await tempFile(dir, '"User-ID";"ISBN";"Book-Rating"\n"1";"X";"0"\n', BOOKCROSSING_FILES.ratings);
  const log = await loadBookCrossing(dir.path);
  assert.equal(log.itemFeatures, undefined);
  assert.equal(log.userFeatures, undefined);
  assert.deepEqual(log.notes, [
    "1 implicit (0) and 0 explicit (1-10) ratings",
    `no "${dir.path}/BX-Books.csv": the books have no titles or fields`,
    `no "${dir.path}/BX-Users.csv": the users have no demographics`,
  ]);
  await assert.rejects(loadBookCrossing(`${dir.path}/none`), Deno.errors.NotFound);
});

Deno.test('the dataset "bookcrossing" reads the files under --data-dir', async () => {
  const source = datasetSource("bookcrossing");
  assert.equal(source.needsDataDir, true);
  assert.deepEqual(await source.files!(fixture), [
    `${fixture}/BX-Book-Ratings.csv`,
    `${fixture}/BX-Books.csv`,
    `${fixture}/BX-Users.csv`,
  ]);
  assert.equal((await source.read(fixture)).items.length, 11);
  await assert.rejects(source.read(undefined), TypeError);
});
