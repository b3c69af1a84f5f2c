import assert from "node:assert/strict";
import { openText, readLines } from "./_lines.ts";
import { DataFormatError } from "./errors.ts";
import { tempDir, tempFile as writeTemp } from "./_testing.ts";

const tempFile = (dir: { path: string }, content: string | Uint8Array, name = "file.txt") =>
  writeTemp(dir, content, name);

async function collect(path: string, encoding?: "utf-8" | "latin1"): Promise<string[]> {
  const out: string[] = [];
  for await (const { text, line } of readLines(path, encoding ? { encoding } : {})) {
    out.push(`${line}:${text}`);
  }
  return out;
}

Deno.test("readLines() numbers lines from 1 and removes the line breaks", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "a\nbb\nccc\n")), ["1:a", "2:bb", "3:ccc"]);
});

Deno.test("readLines() removes \\r\\n line breaks but keeps a lone \\r inside a line", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "a\r\nb\rc\r\nd")), ["1:a", "2:b\rc", "3:d"]);
});

Deno.test("readLines() yields a last line that has no line break", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "a\nlast")), ["1:a", "2:last"]);
  assert.deepEqual(await collect(await tempFile(dir, "a\r\nlast\r")), ["1:a", "2:last"]);
});

Deno.test("readLines() yields blank lines but no extra line after the final break", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "a\n\nb\n\n")), ["1:a", "2:", "3:b", "4:"]);
  assert.deepEqual(await collect(await tempFile(dir, "")), []);
});

Deno.test("readLines() strips a UTF-8 byte order mark in either encoding", async () => {
  await using dir = await tempDir();
  assert.deepEqual(await collect(await tempFile(dir, "\uFEFFuserId\n")), ["1:userId"]);
  const bytes = new Uint8Array([0xef, 0xbb, 0xbf, 0x61, 0x0a]);
  assert.deepEqual(await collect(await tempFile(dir, bytes), "latin1"), ["1:a"]);
  // A file shorter than a BOM is read as it is.
  assert.deepEqual(await collect(await tempFile(dir, new Uint8Array([0xef])), "latin1"), [
    "1:\u00ef",
  ]);
});

Deno.test("readLines() decodes latin1 as ISO-8859-1, one code point per byte", async () => {
  await using dir = await tempDir();
  // 0xE9 is é; 0x80 stays U+0080 (windows-1252 would give €).
  const bytes = new Uint8Array([0x4d, 0x69, 0x73, 0xe9, 0x72, 0x61, 0x62, 0x6c, 0x65, 0x0a, 0x80]);
  assert.deepEqual(await collect(await tempFile(dir, bytes), "latin1"), [
    "1:Misérable",
    "2:\u0080",
  ]);
});

Deno.test("readLines() decodes UTF-8 characters split across chunks", async () => {
  await using dir = await tempDir();
  const line = "é".repeat(50_000); // 100,000 bytes: more than one read chunk
  const lines = await collect(await tempFile(dir, `${line}\n${line}\n`));
  assert.deepEqual(lines, [`1:${line}`, `2:${line}`]);
});

Deno.test("readLines() reads a file of many chunks with lines and \\r\\n split between them", async () => {
  await using dir = await tempDir();
  const expected: string[] = [];
  let content = "";
  for (let i = 1; i <= 30_000; i++) {
    const text = `${i},${"x".repeat(i % 17)}`;
    expected.push(`${i}:${text}`);
    content += `${text}\r\n`;
  }
  assert.deepEqual(await collect(await tempFile(dir, content)), expected);
});

Deno.test("readLines() decompresses a .gz file on the fly", async () => {
  await using dir = await tempDir();
  const gz = new Blob(["one\ntwo\n"]).stream().pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(gz).arrayBuffer());
  assert.deepEqual(await collect(await tempFile(dir, bytes, "lines.txt.gz")), ["1:one", "2:two"]);
});

Deno.test("readLines() rejects a missing file with NotFound naming the path", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/ratings.csv`;
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(error.message, `Cannot read "${path}": file not found`);
    return true;
  });
});

Deno.test("readLines() rejects invalid UTF-8 with the file and a line", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, new Uint8Array([0x61, 0x0a, 0x62, 0xe9, 0x0a]));
  await assert.rejects(collect(path), (error: unknown) => {
    assert.ok(error instanceof DataFormatError);
    assert.equal(error.file, path);
    assert.equal(error.line, 1);
    assert.match(error.message, /not valid UTF-8/);
    return true;
  });
});

Deno.test("readLines() closes the file when the reader stops early", async () => {
  await using dir = await tempDir();
  const path = await tempFile(dir, "a\nb\nc\n");
  for await (const { line } of readLines(path)) if (line === 2) break;
  // The test's resource sanitizer fails the test if the file stayed open.
});

Deno.test("openText() yields the decoded text without the BOM", async () => {
  await using dir = await tempDir();
  let text = "";
  for await (const chunk of await openText(await tempFile(dir, "\uFEFFa,b\n"))) text += chunk;
  assert.equal(text, "a,b\n");
});

Deno.test("readLines() rejects a truncated .gz file with the file and the line it stopped in", async () => {
  await using dir = await tempDir();
  const text = Array.from({ length: 50_000 }, (_, i) => `${i * 7919},${i}`).join("\n") + "\n";
  const gz = new Blob([text]).stream().pipeThrough(new CompressionStream("gzip"));
  const bytes = new Uint8Array(await new Response(gz).arrayBuffer());
  const path = await tempFile(dir, bytes.subarray(0, bytes.length >> 1), "ratings.csv.gz");
  let lastLine = 0;
  await assert.rejects(
    (async () => {
      for await (const { line } of readLines(path)) lastLine = line;
    })(),
    (error: unknown) => {
      assert.ok(error instanceof DataFormatError, `expected a DataFormatError, got ${error}`);
      assert.equal(error.file, path);
      assert.ok(error.line > 1000 && error.line <= lastLine + 1, `line ${error.line}`);
      assert.match(error.message, /ratings\.csv\.gz line \d+: gzip data is truncated or corrupt/);
      return true;
    },
  );
});
