/**
 * Streaming CSV records with line numbers. This is the one seam to the CSV
 * parser (`csv-parse` from npm, standing in for `@std/csv`, which is not
 * reachable here): swapping parsers means rewriting this file only.
 *
 * @module
 */
import { CsvError, type Options, parse } from "csv-parse";
import { DEFAULT_MAX_LINE_LENGTH, openText, type ReadTextOptions } from "./_lines.ts";
import { DataFormatError } from "./errors.ts";

/** One CSV record. */
export interface CsvRecord {
  /**
   * The fields, unquoted. An empty line is a record with one empty field, as
   * CSV defines it; the reader never skips lines.
   */
  fields: string[];
  /** 1-based line on which the record starts (a quoted field may span lines). */
  line: number;
}

/** Options for {@linkcode readCsvRecords}. */
export interface ReadCsvOptions extends ReadTextOptions {
  /**
   * Field separator.
   * @default {","}
   */
  separator?: string;
}

/**
 * Reads a CSV file record by record as a stream (RFC 4180 quoting: fields in
 * double quotes may hold separators, doubled quotes and line breaks). Records
 * may have any number of fields; checking the count is the caller's job.
 * Handles `\r\n`, a UTF-8 byte order mark and gzip (`.gz`).
 *
 * @param path The file.
 * @param options Separator and text encoding.
 * @returns The records with the line each starts on.
 * @throws {Deno.errors.NotFound} If the file does not exist.
 * @throws {DataFormatError} On a quoting error, with the file and line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readCsvRecords } from "./_csv.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, 'movieId,title\n11,"American President, The (1995)"\n');
 * const records = [];
 * for await (const record of readCsvRecords(path)) records.push(record);
 * ok(records[1].fields[1] === "American President, The (1995)");
 * ok(records[1].line === 2);
 * await Deno.remove(path);
 * ```
 */
export async function* readCsvRecords(
  path: string,
  options: ReadCsvOptions = {},
): AsyncGenerator<CsvRecord, void, undefined> {
  const source = (await openText(path, options)).getReader();
  // Records are numbered as the parser produces them, so a parse error can
  // name the line its record starts on even while earlier records wait unread.
  let producedUpTo = 0;
  const parser = parse({
    delimiter: options.separator ?? ",",
    record_delimiter: ["\r\n", "\n"],
    relax_column_count: true,
    skip_empty_lines: false,
    // A record is held whole while parsed: the same cap as a line elsewhere.
    max_record_size: options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
    // The typings only allow string[] out unless `columns` is set.
    on_record: ((fields: string[], context: { lines: number }): CsvRecord => {
      const line = producedUpTo + 1;
      producedUpTo = context.lines;
      return { fields, line };
    }) as unknown as Options["on_record"],
  });
  // Feed the parser from the file, respecting its back pressure.
  const feeding = (async () => {
    try {
      while (!parser.destroyed) {
        const { done, value } = await source.read();
        if (done) break;
        if (!parser.write(value)) await drainedOrClosed(parser);
      }
      if (!parser.destroyed) parser.end();
    } catch (error) {
      parser.destroy(error as Error);
    }
  })();
  try {
    for await (const record of parser) yield record as CsvRecord;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw csvError(error, path, producedUpTo + 1, options.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH);
  } finally {
    parser.destroy();
    await source.cancel().catch(() => {});
    await feeding;
  }
}

function drainedOrClosed(stream: ReturnType<typeof parse>): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off("drain", done);
      stream.off("close", done);
      resolve();
    };
    stream.on("drain", done);
    stream.on("close", done);
  });
}

/** Restates a parser error as a {@linkcode DataFormatError}. */
function csvError(
  error: CsvError,
  file: string,
  recordLine: number,
  maxLength: number,
): DataFormatError {
  const at = typeof error.lines === "number" && error.lines > 0 ? error.lines : recordLine;
  switch (error.code) {
    case "CSV_MAX_RECORD_SIZE":
      return new DataFormatError(
        `a record is longer than the limit of ${maxLength} characters (--max-line-length)`,
        { file, line: recordLine },
      );
    case "CSV_QUOTE_NOT_CLOSED":
      return new DataFormatError("a quoted field starting on this line is never closed", {
        file,
        line: recordLine,
      });
    case "INVALID_OPENING_QUOTE":
      return new DataFormatError(
        `a quote appears inside an unquoted field (field ${Number(error.column) + 1})`,
        { file, line: at },
      );
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return new DataFormatError(
        "a closing quote is followed by something other than a separator",
        {
          file,
          line: at,
        },
      );
    default:
      return new DataFormatError(error.message, { file, line: at });
  }
}
