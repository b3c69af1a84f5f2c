/**
 * Streaming text input for data files: opens a file (gunzipping `.gz` on the
 * fly), decodes it and splits it into numbered lines without ever holding the
 * whole file as one string.
 *
 * @module
 */
import { DataFormatError } from "./errors.ts";

/**
 * Text encodings the readers understand. `latin1` is ISO-8859-1 proper (each
 * byte is the code point of the same value), not the WHATWG `latin1` label,
 * which means windows-1252.
 */
export type TextEncodingName = "utf-8" | "latin1";

/** The default cap on a line's length: 1 MiB of characters (a real record is far shorter). */
export const DEFAULT_MAX_LINE_LENGTH = 1 << 20;

/** Options for {@linkcode openText} and {@linkcode readLines}. */
export interface ReadTextOptions {
  /**
   * Text encoding of the file.
   * @default {"utf-8"}
   */
  encoding?: TextEncodingName;
  /**
   * Longest line kept, in characters; a longer line is never held in memory.
   * @default {DEFAULT_MAX_LINE_LENGTH}
   */
  maxLineLength?: number;
  /**
   * {@linkcode readLines} on a line over `maxLineLength`: `error` throws a
   * {@linkcode DataFormatError} with its file and line; `mark` yields it as
   * `{ text: "", tooLong: <its length> }` for the caller's bad-line policy.
   * @default {"error"}
   */
  overLong?: "error" | "mark";
}

/** One line of a file, without its line break. */
export interface Line {
  /** The text, with `\r\n` or `\n` removed (empty for a line over the cap). */
  text: string;
  /** 1-based line number. */
  line: number;
  /** Set for a line longer than `maxLineLength`: its length in characters. */
  tooLong?: number;
}

/**
 * Opens a file as a stream of decoded text chunks. A UTF-8 byte order mark is
 * removed; a path ending in `.gz` is decompressed as gzip. Invalid UTF-8 is an
 * error, not replaced silently.
 *
 * @param path The file.
 * @param options The text encoding.
 * @returns The text, in chunks of arbitrary size.
 * @throws {Deno.errors.NotFound} If the file does not exist (the message names the path).
 * @throws {DataFormatError} While reading, if the bytes are not valid UTF-8.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { openText } from "./_lines.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "\uFEFFhello");
 * let text = "";
 * for await (const chunk of await openText(path)) text += chunk;
 * ok(text === "hello");
 * await Deno.remove(path);
 * ```
 */
export async function openText(
  path: string,
  options: ReadTextOptions = {},
): Promise<ReadableStream<string>> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Deno.errors.NotFound(`Cannot read "${path}": file not found`, { cause: error });
    }
    throw error;
  }
  const bytes: ReadableStream<Uint8Array> = path.endsWith(".gz")
    ? gunzip(file.readable, path)
    : file.readable;
  return bytes.pipeThrough(
    (options.encoding ?? "utf-8") === "latin1" ? latin1Decoder() : utf8Decoder(path),
  );
}

/**
 * Reads a text file line by line as a stream. Handles `\n` and `\r\n` line
 * breaks, a missing final line break, a UTF-8 byte order mark and gzip
 * (`.gz`). A final line break does not start another (empty) line. A line
 * longer than `maxLineLength` is dropped as it streams in and reported (see
 * `overLong`), so a file without line breaks cannot exhaust memory.
 *
 * @param path The file.
 * @param options The text encoding.
 * @returns The lines with their 1-based numbers.
 * @throws {Deno.errors.NotFound} If the file does not exist (the message names the path).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readLines } from "./_lines.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a\r\nb\n\nc");
 * const lines = [];
 * for await (const { text, line } of readLines(path)) lines.push(`${line}:${text}`);
 * ok(lines.join(" ") === "1:a 2:b 3: 4:c");
 * await Deno.remove(path);
 * ```
 */
export async function* readLines(
  path: string,
  options: ReadTextOptions = {},
): AsyncGenerator<Line, void, undefined> {
  const max = options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const over = (line: number, length: number): Line => {
    if (options.overLong === "mark") return { text: "", line, tooLong: length };
    throw new DataFormatError(
      `line is longer than the limit of ${max} characters (--max-line-length), found ${length}`,
      { file: path, line },
    );
  };
  let rest = "";
  let line = 0;
  // Characters of an over-long line dropped so far (0: not in one).
  let dropped = 0;
  for await (const chunk of await openText(path, options)) {
    const text = rest + chunk;
    let start = 0;
    let nl: number;
    while ((nl = text.indexOf("\n", start)) !== -1) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (dropped > 0 || end - start > max) {
        yield over(++line, dropped + end - start);
        dropped = 0;
      } else {
        yield { text: text.slice(start, end), line: ++line };
      }
      start = nl + 1;
    }
    rest = text.slice(start);
    if (dropped > 0 || rest.length > max) {
      dropped += rest.length;
      rest = "";
    }
  }
  if (dropped > 0) yield over(++line, dropped);
  else if (rest !== "") {
    yield { text: rest.endsWith("\r") ? rest.slice(0, -1) : rest, line: ++line };
  }
}

/**
 * Gunzips a byte stream. A truncated or corrupt archive is a
 * {@linkcode DataFormatError} naming the file and the line being read when the
 * data ran out (the decompressor's own error names neither).
 */
function gunzip(
  compressed: ReadableStream<Uint8Array<ArrayBuffer>>,
  path: string,
): ReadableStream<Uint8Array> {
  let lines = 0;
  let bytes = 0;
  const reader = compressed.pipeThrough(new DecompressionStream("gzip")).getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let result: ReadableStreamReadResult<Uint8Array>;
      try {
        result = await reader.read();
      } catch (error) {
        throw new DataFormatError(
          `gzip data is truncated or corrupt after ${bytes} uncompressed bytes (${
            (error as Error).message
          })`,
          { file: path, line: lines + 1 },
        );
      }
      if (result.done) return controller.close();
      const chunk = result.value;
      bytes += chunk.length;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
      controller.enqueue(chunk);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

/** Fatal, streaming UTF-8 decoding; the BOM is dropped (the decoder's default). */
function utf8Decoder(path: string): TransformStream<Uint8Array, string> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0;
  const decode = (bytes: Uint8Array | undefined): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      // The bad bytes are in the current chunk: on this line or a later one.
      throw new DataFormatError("text is not valid UTF-8 (here or on a later line)", {
        file: path,
        line: lines + 1,
      });
    }
  };
  return new TransformStream({
    transform(bytes, controller) {
      const text = decode(bytes);
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
      if (text !== "") controller.enqueue(text);
    },
    flush(controller) {
      const text = decode(undefined);
      if (text !== "") controller.enqueue(text);
    },
  });
}

/** ISO-8859-1 decoding; a leading UTF-8 BOM (EF BB BF) is dropped. */
function latin1Decoder(): TransformStream<Uint8Array, string> {
  let head: Uint8Array | undefined = new Uint8Array(0);
  const emit = (bytes: Uint8Array, controller: TransformStreamDefaultController<string>) => {
    let text = "";
    for (let i = 0; i < bytes.length; i += 8192) {
      text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    }
    if (text !== "") controller.enqueue(text);
  };
  const start = (bytes: Uint8Array, controller: TransformStreamDefaultController<string>) => {
    head = undefined;
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
    emit(bom ? bytes.subarray(3) : bytes, controller);
  };
  return new TransformStream({
    transform(bytes, controller) {
      if (head === undefined) return emit(bytes, controller);
      // Wait for three bytes to decide on the BOM.
      const joined = new Uint8Array(head.length + bytes.length);
      joined.set(head);
      joined.set(bytes, head.length);
      if (joined.length < 3) head = joined;
      else start(joined, controller);
    },
    flush(controller) {
      if (head !== undefined) start(head, controller);
    },
  });
}
