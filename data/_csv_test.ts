import assert from "node:assert/strict";
import { type CsvRecord, readCsvRecords } from "./_csv.ts";
import { DataFormatError } from "./errors.ts";
import { tempDir, tempFile as writeTemp } from "./_testing.ts";

const tempFile = (dir: { path: string }, content: string | Uint8Array, name = "file.csv") =>
  writeTemp(dir, content, name);

async function collect(path: string, encoding?: "utf-8" | "latin1"): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const record of readCsvRecords(path, encoding ? { encoding } : {})) out.push(record);
  return out;
}

Deno.test("readCsvRecords() unquotes fields holding commas and doubled quotes", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n' +
      '12,"Say ""Anything"" (1989)",Comedy\n',
  );
  assert.deepEqual(await collect(path), [
    { fields: ["movieId", "title", "genres"], line: 1 },
    { fields: ["11", "American President, The (1995)", "Comedy|Drama|Romance"], line: 2 },
    { fields: ["12", 'Say "Anything" (1989)', "Comedy"], line: 3 },
  ]);
});

Deno.test("readCsvRecords() numbers each record by the line it starts on", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, 'a,b\n1,"two\nlines"\n2,x\n3,"three\n\nlines"\n4,y\n');
  assert.deepEqual((await collect(path)).map((r) => [r.fields[0], r.line]), [
    ["a", 1],
    ["1", 2],
    ["2", 4],
    ["3", 5],
    ["4", 8],
  ]);
});

Deno.test("readCsvRecords() handles a BOM, \\r\\n and a missing final line break", async () => {
  await using dir = await tempDir();
  const path = await tempFile(
    dir,
    '\uFEFFmovieId,title\r\n1,"Toy Story (1995)"\r\n2,Jumanji (1995)',
  );
  assert.deepEqual(await collect(path), [
    { fields: ["movieId", "title"], line: 1 },
    { fields: ["1", "Toy Story (1995)"], line: 2 },
    { fields: ["2", "Jumanji (1995)"], line: 3 },
  ]);
});

Deno.test("readCsvRecords() returns an empty line as one empty field and keeps odd records", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, "a,b\n\n1,2,3\n");
  assert.deepEqual(await collect(path), [
    { fields: ["a", "b"], line: 1 },
    { fields: [""], line: 2 },
    { fields: ["1", "2", "3"], line: 3 },
  ]);
});

Deno.test("readCsvRecords() yields nothing for an empty file", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "")), []);
});

Deno.test("readCsvRecords() decodes latin1 files", async () => {
  await using dir = await tempDir();
  const bytes = new Uint8Array([0x31, 0x2c, 0x4c, 0xe9, 0x6f, 0x6e, 0x0a]); // 1,Léon
  assert.deepEqual(await collect(await tempFile(dir, bytes), "latin1"), [
    { fields: ["1", "Léon"], line: 1 },
  ]);
});

Deno.test("readCsvRecords() streams a large file with correct line numbers", async () => {
  await using dir = await tempDir();
  let content = "userId,movieId,rating,timestamp\n";
  for (let i = 1; i <= 50_000; i++) content += `${i},${i % 97},${i % 5}.5,${964982703 + i}\n`;
  const records = await collect(await tempFile(dir, content));
  assert.equal(records.length, 50_001);
  assert.deepEqual(records[50_000], { fields: ["50000", "45", "0.5", "965032703"], line: 50_001 });
  assert.ok(records.every((r, k) => r.line === k + 1));
});

Deno.test("readCsvRecords() reports an unclosed quote at the line its record starts on", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, 'a,b\n1,2\n3,"open\n4,5\n');
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.equal(error.file, path);
    assert.equal(error.line, 3);
    assert.equal(
      error.message,
      `${path} line 3: a quoted field starting on this line is never closed`,
    );
    return true;
  });
});

Deno.test("readCsvRecords() reports a quote inside an unquoted field with its line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, 'a,b\n1,2\n3,x"y\n4,5\n');
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.equal(error.line, 3);
    assert.match(error.message, /line 3: a quote appears inside an unquoted field \(field 2\)/);
    return true;
  });
});

Deno.test("readCsvRecords() reports text after a closing quote with its line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, 'a,b\n1,"2"x\n');
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.equal(error.line, 2);
    assert.match(error.message, /file\.csv line 2: a closing quote is followed by/);
    return true;
  });
});

Deno.test("readCsvRecords() rejects invalid UTF-8 as a DataFormatError naming the file", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, new Uint8Array([0x61, 0x0a, 0x4c, 0xe9, 0x6f, 0x6e, 0x0a]));
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.equal(error.file, path);
    assert.match(error.message, /not valid UTF-8/);
    return true;
  });
});

Deno.test("readCsvRecords() rejects a missing file with NotFound naming the path", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/movies.csv`;
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.match(error.message, /movies\.csv": file not found/);
    return true;
  });
});

Deno.test("readCsvRecords() closes the file when the reader stops early", async () => {
  await using dir = await tempDir();
  let content = "";
  for (let i = 0; i < 20_000; i++) content += `${i},"title, ${i}"\n`;
  const path = await tempFile(dir, content);
  for await (const { line } of readCsvRecords(path)) if (line === 3) break;
  // The test's resource sanitizer fails the test if the file stayed open.
});
