/**
 * The record loop every line-oriented loader shares: numbered lines from
 * {@linkcode readLines}, split into fields, checked, with one policy for bad
 * lines (stop with the file and line, or skip and count), plus the field
 * checks and path helpers the loaders use.
 *
 * @module
 */
import { DEFAULT_MAX_LINE_LENGTH, readLines, type TextEncodingName } from "./_lines.ts";
import { DataFormatError } from "./errors.ts";

/**
 * What a loader does with a malformed line: `error` stops with the file and
 * line; `skip` counts the line under `bad line: <what was wrong>` in the log's
 * `skipped` (reported with the dataset) and goes on. A malformed header, an
 * unreadable file or a truncated `.gz` always stop.
 */
export type BadLinePolicy = "error" | "skip";

/**
 * The bad-line policy with its limits (`--on-bad-line`, `--max-line-length`,
 * `--max-bad-lines`); the limits apply to each file read.
 */
export interface LineRules {
  /** Stop at a malformed line, or count and skip it. @default {"error"} */
  action?: BadLinePolicy;
  /**
   * Longest line accepted, in characters; a longer one is a bad line (its
   * text is never held whole). @default {DEFAULT_MAX_LINE_LENGTH} (1 MiB)
   */
  maxLineLength?: number;
  /**
   * With `skip`: stop once more than this many lines of a file are bad, or,
   * given as `{ share }`, at the end of a file whose bad lines are more than
   * that share of its lines (header and blank lines aside). No limit when absent.
   */
  maxBadLines?: number | { share: number };
  /** Told of each bad line skipped, with where it is (to show the first few). */
  onSkip?: (reason: string, where: Where) => void;
}

/** Options every file loader accepts. */
export interface LoadOptions {
  /**
   * Malformed lines: stop (`error`) or count and skip them (`skip`), alone or
   * with limits ({@linkcode LineRules}).
   * @default {"error"}
   */
  onBadLine?: BadLinePolicy | LineRules;
}

/**
 * The rules of an `onBadLine` option, with defaults filled in.
 *
 * @param policy A policy name or rules.
 * @returns The rules.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { lineRules } from "./_records.ts";
 * ok(lineRules("skip").action === "skip" && lineRules(undefined).maxLineLength === 1 << 20);
 * ```
 */
export function lineRules(
  policy: BadLinePolicy | LineRules | undefined,
): LineRules & { action: BadLinePolicy; maxLineLength: number } {
  const rules = typeof policy === "string" ? { action: policy } : policy ?? {};
  return {
    ...rules,
    action: rules.action ?? "error",
    maxLineLength: rules.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH,
  };
}

/** Where a value was read: file and 1-based line. */
export interface Where {
  /** The file. */
  file: string;
  /** The 1-based line. */
  line: number;
}

/** Anything that counts skipped lines by reason (an `InteractionLogBuilder`). */
export interface SkipCounter {
  /** Counts one skipped line. */
  skip(reason: string): void;
}

/** Options of {@linkcode forEachRecord}. */
export interface RecordLoopOptions extends LoadOptions {
  /** Text encoding. @default {"utf-8"} */
  encoding?: TextEncodingName;
  /** Field separator, or a function splitting a line into fields. */
  separator: string | ((text: string, where: Where) => string[]);
  /**
   * Called with line 1 instead of `onFields`; its errors always stop (a wrong
   * header means the wrong file, not a bad line). Counted as `header`.
   */
  header?: (text: string | undefined, where: Where) => void;
}

/** What {@linkcode forEachRecord} read. */
export interface RecordLoopResult {
  /** Last line number read (0 for an empty file). */
  lastLine: number;
  /** Lines passed to `onFields` without error. */
  records: number;
}

/**
 * Calls `onFields` with each non-blank line split into fields. Blank lines are
 * counted as `blank line`; a {@linkcode DataFormatError} thrown for the current
 * line either stops the loop (`onBadLine: "error"`) or is counted and skipped.
 *
 * @param path The file (`.gz` is decompressed on the fly).
 * @param options Separator, encoding, header check and bad-line policy.
 * @param counter Where skipped lines are counted.
 * @param onFields Called with the fields and where they are.
 * @returns The last line number and the number of records accepted.
 * @throws {DataFormatError} On a bad line (with `error`), a bad header, or a truncated `.gz`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { forEachRecord } from "./_records.ts";
 * import { DataFormatError } from "./errors.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "a\tb\n\nc\n");
 * const skipped: Record<string, number> = {};
 * const counter = { skip: (r: string) => void (skipped[r] = (skipped[r] ?? 0) + 1) };
 * const rows: string[][] = [];
 * await forEachRecord(path, { separator: "\t", onBadLine: "skip" }, counter, (fields, where) => {
 *   if (fields.length !== 2) throw new DataFormatError("expected 2 fields", where);
 *   rows.push(fields);
 * });
 * ok(rows.length === 1 && skipped["blank line"] === 1 && skipped["bad line: expected 2 fields"] === 1);
 * await Deno.remove(path);
 * ```
 */
export async function forEachRecord(
  path: string,
  options: RecordLoopOptions,
  counter: SkipCounter,
  onFields: (fields: string[], where: Where) => void,
): Promise<RecordLoopResult> {
  const { separator, header } = options;
  const rules = lineRules(options.onBadLine);
  const skipBad = rules.action === "skip";
  const split = typeof separator === "string" ? (text: string) => text.split(separator) : separator;
  const limit = rules.maxBadLines;
  let lastLine = 0;
  let records = 0;
  let bad = 0;
  const lines = readLines(path, {
    encoding: options.encoding ?? "utf-8",
    maxLineLength: rules.maxLineLength,
    overLong: "mark",
  });
  for await (const { text, line, tooLong } of lines) {
    lastLine = line;
    const where = { file: path, line };
    if (tooLong !== undefined && !(line === 1 && header)) {
      const error = new DataFormatError(
        `line is longer than the limit of ${rules.maxLineLength} characters ` +
          `(--max-line-length), found ${tooLong}`,
        where,
      );
      if (!skipBad) throw error;
      skipLine(error);
      continue;
    }
    if (line === 1 && header) {
      header(tooLong !== undefined ? `(a line of ${tooLong} characters)` : text, where);
      counter.skip("header");
      continue;
    }
    if (text === "") {
      counter.skip("blank line");
      continue;
    }
    if (!skipBad) {
      try {
        onFields(split(text, where), where);
      } catch (error) {
        throw error instanceof DataFormatError ? shortened(error) : error;
      }
      records++;
      continue;
    }
    try {
      onFields(split(text, where), where);
      records++;
    } catch (error) {
      if (!(error instanceof DataFormatError) || error.line !== line || error.file !== path) {
        throw error;
      }
      skipLine(error);
    }
  }
  if (lastLine === 0 && header) header(undefined, { file: path, line: 1 });
  if (typeof limit === "object" && bad > limit.share * (records + bad)) {
    throw new DataFormatError(
      `${bad} of ${records + bad} lines are malformed, more than the ${
        limit.share * 100
      }% allowed by --max-bad-lines: is this the right file and format?`,
      { file: path, line: lastLine },
    );
  }
  return { lastLine, records };

  function skipLine(error: DataFormatError): void {
    const reason = badLineReason(error);
    counter.skip(reason);
    rules.onSkip?.(reason, { file: path, line: error.line ?? lastLine });
    bad++;
    if (typeof limit === "number" && bad > limit) {
      throw new DataFormatError(
        `more than ${limit} malformed lines (--max-bad-lines ${limit}); this one: ${reason}`,
        { file: path, line: error.line ?? lastLine },
      );
    }
  }
}

/** Longest message of a bad line echoed to the console (a field of megabytes is cut). */
const MAX_MESSAGE = 400;

function shortened(error: DataFormatError): DataFormatError {
  if (error.message.length <= MAX_MESSAGE) return error;
  const cut = error.message.length - MAX_MESSAGE;
  const message = `${error.message.slice(0, MAX_MESSAGE)}... (${cut} more characters)`;
  if (typeof error.stack === "string") error.stack = error.stack.replace(error.message, message);
  error.message = message;
  return error;
}

/**
 * A field value as echoed in a message: quoted, and cut to 60 characters with
 * its full length when longer.
 *
 * @param value The field.
 * @returns Readable text.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { shown } from "./_records.ts";
 * ok(shown("x") === '"x"');
 * ok(shown("y".repeat(1000)) === `"${"y".repeat(60)}"... (1000 characters)`);
 * ```
 */
export function shown(value: string): string {
  return value.length <= 60
    ? JSON.stringify(value)
    : `${JSON.stringify(value.slice(0, 60))}... (${value.length} characters)`;
}

/**
 * The `skipped` key of a bad line: `bad line: ` and what was wrong, without
 * the offending value, so equal faults add up under one key.
 *
 * @param error The error raised for the line.
 * @returns The key, e.g. `bad line: timestamp must be a number`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DataFormatError } from "./errors.ts";
 * import { badLineReason } from "./_records.ts";
 * const e = new DataFormatError('rating must be a number, found "x"', { file: "f", line: 3 });
 * ok(badLineReason(e) === "bad line: rating must be a number");
 * ```
 */
export function badLineReason(error: DataFormatError): string {
  const prefix = `${error.file} line ${error.line}: `;
  let detail = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  const found = detail.indexOf(", found ");
  if (found !== -1) detail = detail.slice(0, found);
  return `bad line: ${detail.replace(/: .*$/, "")}`;
}

/**
 * Throws unless the first line is exactly `expected`.
 *
 * @param found The line read (`undefined` or `""` at the end of the file).
 * @param expected The header.
 * @param file The file, for the message.
 * @throws {DataFormatError} On line 1 of `file`.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkHeader } from "./_records.ts";
 * checkHeader("a,b", "a,b", "f.csv");
 * throws(() => checkHeader("a;b", "a,b", "f.csv"), /expected the header "a,b", found "a;b"/);
 * ```
 */
export function checkHeader(found: string | undefined, expected: string, file: string): void {
  if (found === expected) return;
  const what = found === undefined ? "the end of the file" : shown(found);
  throw new DataFormatError(`expected the header "${expected}", found ${what}`, { file, line: 1 });
}

/**
 * Throws unless `fields` has `expected` entries.
 *
 * @param fields The fields.
 * @param expected The count.
 * @param separator The separator, for the message.
 * @param where The file and line.
 * @throws {DataFormatError} With the count found.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkFieldCount } from "./_records.ts";
 * throws(() => checkFieldCount(["1", "2"], 3, "\t", { file: "f", line: 2 }),
 *   /f line 2: expected 3 fields separated by "\\t", found 2/);
 * ```
 */
export function checkFieldCount(
  fields: readonly string[],
  expected: number,
  separator: string,
  where: Where,
): void {
  if (fields.length !== expected) {
    throw new DataFormatError(
      `expected ${expected} fields separated by ${
        JSON.stringify(separator)
      }, found ${fields.length}`,
      where,
    );
  }
}

const INTEGER = /^\d+$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Returns `value` if it is a non-negative decimal integer.
 *
 * @param value The field.
 * @param what Its name, for the message.
 * @param where The file and line.
 * @returns The value.
 * @throws {DataFormatError} Otherwise.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { checkId } from "./_records.ts";
 * ok(checkId("42", "user id", { file: "f", line: 1 }) === "42");
 * ```
 */
export function checkId(value: string, what: string, where: Where): string {
  if (!INTEGER.test(value)) {
    throw new DataFormatError(`${what} must be an integer, found ${shown(value)}`, where);
  }
  return value;
}

/**
 * Returns `value` if it is not empty and has no surrounding white space.
 *
 * @param value The field.
 * @param what Its name, for the message.
 * @param where The file and line.
 * @returns The value.
 * @throws {DataFormatError} Otherwise.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { checkToken } from "./_records.ts";
 * ok(checkToken("A1EE2E3N7PW666", "user id", { file: "f", line: 1 }) === "A1EE2E3N7PW666");
 * ```
 */
export function checkToken(value: string, what: string, where: Where): string {
  if (value === "" || value.trim() !== value) {
    throw new DataFormatError(
      `${what} must be a non-empty token, found ${shown(value)}`,
      where,
    );
  }
  return value;
}

/**
 * Parses a decimal number (no `NaN`, `Infinity` or empty string).
 *
 * @param value The field.
 * @param what Its name, for the message.
 * @param where The file and line.
 * @returns The number.
 * @throws {DataFormatError} If the field is not a number.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { toNumber } from "./_records.ts";
 * ok(toNumber("4.5", "rating", { file: "f", line: 1 }) === 4.5);
 * ```
 */
export function toNumber(value: string, what: string, where: Where): number {
  if (!NUMBER.test(value)) {
    throw new DataFormatError(`${what} must be a number, found ${shown(value)}`, where);
  }
  return Number(value);
}

/**
 * Parses a timestamp. What is valid depends on the format: MovieLens, Amazon
 * and RetailRocket write Unix time as plain digits (`integer`: no sign, no
 * decimals, no exponent); RecBole's `timestamp:float` may have decimals and an
 * exponent, as Python writes floats. A negative time is refused everywhere
 * (every format counts from 1970).
 *
 * @param value The field.
 * @param where The file and line.
 * @param options `integer`: only digits. @default {{ integer: true }}
 * @returns Seconds (or milliseconds, as the format has them).
 * @throws {DataFormatError} Otherwise (a bad line, counted under `--on-bad-line skip`).
 * @example
 * ```ts
 * import { ok, throws } from "node:assert/strict";
 * import { toTimestamp } from "./_records.ts";
 * const where = { file: "f", line: 1 };
 * ok(toTimestamp("978300760", where) === 978300760);
 * throws(() => toTimestamp("-5", where), /timestamp must be a non-negative integer/);
 * ok(toTimestamp("9.783e8", where, { integer: false }) === 978300000);
 * ```
 */
export function toTimestamp(
  value: string,
  where: Where,
  options: { integer?: boolean } = {},
): number {
  const integer = options.integer ?? true;
  if (integer ? !INTEGER.test(value) : !NUMBER.test(value) || value.startsWith("-")) {
    throw new DataFormatError(
      `timestamp must be a non-negative ${integer ? "integer (digits only)" : "number"}, found ${
        shown(value)
      }`,
      where,
    );
  }
  return Number(value);
}

const PLAIN_DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Parses a rating. MovieLens and Amazon ratings are stars: a non-negative
 * plain decimal (`4`, `4.5`; no sign, no exponent). RecBole `rating:float`
 * fields may be any number (Jester's run from -10 to 10): `signed`.
 *
 * @param value The field.
 * @param where The file and line.
 * @param options `signed`: any number. @default {{ signed: false }}
 * @returns The rating.
 * @throws {DataFormatError} Otherwise (a bad line, counted under `--on-bad-line skip`).
 * @example
 * ```ts
 * import { ok, throws } from "node:assert/strict";
 * import { toRating } from "./_records.ts";
 * const where = { file: "f", line: 1 };
 * ok(toRating("4.5", where) === 4.5);
 * throws(() => toRating("-1", where), /rating must be a non-negative number/);
 * ok(toRating("-9.5", where, { signed: true }) === -9.5);
 * ```
 */
export function toRating(value: string, where: Where, options: { signed?: boolean } = {}): number {
  if (options.signed ? !NUMBER.test(value) : !PLAIN_DECIMAL.test(value)) {
    throw new DataFormatError(
      `rating must be a ${options.signed ? "" : "non-negative "}number, found ${shown(value)}`,
      where,
    );
  }
  return Number(value);
}

/**
 * Splits one CSV line (RFC 4180 quoting within the line: quoted fields may
 * hold commas and doubled quotes, not line breaks). A line without quotes
 * takes a plain `split`.
 *
 * @param text The line.
 * @param where The file and line, for errors.
 * @returns The fields, unquoted.
 * @throws {DataFormatError} On an unclosed quote or text after a closing quote.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { splitCsvLine } from "./_records.ts";
 * deepStrictEqual(splitCsvLine('a,"b, ""c""",d', { file: "f", line: 1 }), ["a", 'b, "c"', "d"]);
 * ```
 */
export function splitCsvLine(text: string, where: Where): string[] {
  if (!text.includes('"')) return text.split(",");
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      let k = i + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q === -1) {
          throw new DataFormatError(
            `a quoted field (field ${fields.length + 1}) is never closed`,
            where,
          );
        }
        value += text.slice(k, q);
        if (text[q + 1] === '"') {
          value += '"';
          k = q + 2;
          continue;
        }
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i === text.length) return fields;
      if (text[i] !== ",") {
        throw new DataFormatError(
          `a closing quote is followed by something other than a separator (field ${fields.length})`,
          where,
        );
      }
      i++;
    } else {
      const comma = text.indexOf(",", i);
      const end = comma === -1 ? text.length : comma;
      const value = text.slice(i, end);
      if (value.includes('"')) {
        throw new DataFormatError(
          `a quote appears inside an unquoted field (field ${fields.length + 1})`,
          where,
        );
      }
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    }
  }
}

/**
 * Joins a folder and a name with one `/`.
 *
 * @param dir The folder.
 * @param name The name.
 * @returns The path.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { join } from "./_records.ts";
 * ok(join("a/", "b") === "a/b" && join("a", "b") === "a/b");
 * ```
 */
export function join(dir: string, name: string): string {
  return dir.endsWith("/") ? dir + name : `${dir}/${name}`;
}

/**
 * Whether `path` is an existing regular file.
 *
 * @param path The path.
 * @returns `true` for a file, `false` if nothing is there.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { isFile } from "./_records.ts";
 * ok(!(await isFile("/no/such/file")));
 * ```
 */
export async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Finds the first of `names` (each also tried with `.gz` appended) in
 * `dataDir/<folder>/`, then in `dataDir` itself.
 *
 * @param dataDir The folder given by `--data-dir`.
 * @param folder The dataset's own subfolder name.
 * @param names File names to try, in order of preference.
 * @returns The path found.
 * @throws {Deno.errors.NotFound} Listing every place looked at.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { findDataFile } from "./_records.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/events.csv.gz`, "");
 * ok((await findDataFile(dir, "retailrocket", ["events.csv"])).endsWith("/events.csv.gz"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function findDataFile(
  dataDir: string,
  folder: string,
  names: readonly string[],
): Promise<string> {
  const dirs = [join(dataDir, folder), dataDir];
  for (const dir of dirs) {
    for (const name of names) {
      for (const candidate of [join(dir, name), join(dir, `${name}.gz`)]) {
        if (await isFile(candidate)) return candidate;
      }
    }
  }
  const list = names.map((n) => `"${n}[.gz]"`).join(" or ");
  throw new Deno.errors.NotFound(`no ${list} in "${dirs[0]}" or "${dirs[1]}"`);
}

/**
 * Puts `prefix` in front of an error's message (and its stack), keeping its
 * class and properties such as a {@linkcode DataFormatError}'s file and line.
 *
 * @param error The error.
 * @param prefix Text to put in front, e.g. `Cannot load dataset "x": `.
 * @returns The same error object.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { prefixed } from "./_records.ts";
 * ok((prefixed(new RangeError("bad"), "x: ") as Error).message === "x: bad");
 * ```
 */
export function prefixed(error: unknown, prefix: string): unknown {
  if (!(error instanceof Error) || error.message.startsWith(prefix)) return error;
  const message = error.message;
  error.message = prefix + message;
  if (typeof error.stack === "string" && message !== "") {
    error.stack = error.stack.replace(message, error.message);
  }
  return error;
}
