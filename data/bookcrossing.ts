/**
 * BookCrossing (Ziegler et al., WWW 2005) from its original files, the
 * `BX-CSV-Dump` distribution: `BX-Book-Ratings.csv`, `BX-Books.csv` and
 * `BX-Users.csv`. Each is semicolon-separated with every field in double
 * quotes (the users' age is a bare `NULL` where unknown), latin-1 encoded,
 * with a header line. Quotes inside a field are written `\"`; a few lines
 * hold a `"` that is neither escaped nor closing (a stray quote, kept as
 * text), and a few end a field with `\"` before the separator (the backslash
 * escaping nothing): those are read as the field's end when that is the only
 * way to get the file's field count, and counted in the log's notes.
 *
 * Ratings are `0` (implicit: the user interacted with the book) or `1`-`10`
 * (explicit); every row is kept with its rating, so `--min-rating 1` keeps
 * the explicit ratings only. The files have no times: every event gets time
 * 0, so an order "by time" is file order.
 *
 * @module
 */
import { ageGroup, Demographics } from "./_demographics.ts";
import {
  checkFieldCount,
  checkHeader,
  checkToken,
  forEachRecord,
  isFile,
  join,
  type LoadOptions,
  prefixed,
  type Where,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** The three files of the distribution, by role. */
export const BOOKCROSSING_FILES = {
  ratings: "BX-Book-Ratings.csv",
  books: "BX-Books.csv",
  users: "BX-Users.csv",
} as const;

const HEADERS = {
  ratings: '"User-ID";"ISBN";"Book-Rating"',
  books:
    '"ISBN";"Book-Title";"Book-Author";"Year-Of-Publication";"Publisher";"Image-URL-S";"Image-URL-M";"Image-URL-L"',
  users: '"User-ID";"Location";"Age"',
} as const;

/** Ages outside this range (in years) are taken as unknown, and counted. */
const PLAUSIBLE_AGE = [5, 100] as const;

/** What the field splitter had to repair, for the log's notes. */
export interface BxRepairs {
  /** Quotes inside a field that were neither `\"` nor closing, kept as text. */
  strayQuotes: number;
  /** Lines where a `\"` before `;` was read as the end of a field. */
  backslashClosed: number;
}

/**
 * Splits one line of the BookCrossing dump into `expected` fields: fields
 * separated by `;`, each in double quotes (or bare, as `NULL`), `\"` an
 * escaped quote, a quote not followed by `;` or the line's end a literal
 * quote. If that does not give `expected` fields, a `\"` before `;` is read
 * as a closing quote (its backslash dropped); if neither gives `expected`
 * fields, the line is malformed.
 *
 * @param text The line.
 * @param expected The file's field count.
 * @param where The file and line, for errors.
 * @param repairs Counts of what was repaired (updated).
 * @returns The fields, unquoted and unescaped.
 * @throws {DataFormatError} On an unclosed quote, or a field count other than `expected`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { splitBxLine } from "./bookcrossing.ts";
 * const repairs = { strayQuotes: 0, backslashClosed: 0 };
 * deepStrictEqual(
 *   splitBxLine('"1";"Say \\"Hi\\"";NULL', 3, { file: "f", line: 1 }, repairs),
 *   ["1", 'Say "Hi"', "NULL"],
 * );
 * ```
 */
export function splitBxLine(
  text: string,
  expected: number,
  where: Where,
  repairs: BxRepairs,
): string[] {
  const strict = splitFields(text, true, where);
  if (strict.fields.length === expected) {
    repairs.strayQuotes += strict.stray;
    return strict.fields;
  }
  if (text.includes('\\";')) {
    const loose = splitFields(text, false, where);
    if (loose.fields.length === expected) {
      repairs.strayQuotes += loose.stray;
      repairs.backslashClosed++;
      return loose.fields;
    }
  }
  checkFieldCount(strict.fields, expected, ";", where);
  return strict.fields;
}

function splitFields(
  text: string,
  escapes: boolean,
  where: Where,
): { fields: string[]; stray: number } {
  const fields: string[] = [];
  let stray = 0, i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "", k = i + 1;
      for (;;) {
        const q = text.indexOf('"', k);
        if (q === -1) {
          throw new DataFormatError(
            `a quoted field (field ${fields.length + 1}) is never closed`,
            where,
          );
        }
        const backslashed = q > k && text[q - 1] === "\\";
        const closes = q + 1 === text.length || text[q + 1] === ";";
        if (backslashed && (escapes || !closes)) {
          value += text.slice(k, q - 1) + '"';
        } else if (closes) {
          value += text.slice(k, backslashed ? q - 1 : q);
          i = q + 1;
          break;
        } else {
          value += text.slice(k, q + 1);
          stray++;
        }
        k = q + 1;
      }
      fields.push(value);
      if (i === text.length) return { fields, stray };
      i++;
    } else {
      const semi = text.indexOf(";", i);
      fields.push(text.slice(i, semi === -1 ? text.length : semi));
      if (semi === -1) return { fields, stray };
      i = semi + 1;
    }
    if (i === text.length) {
      fields.push("");
      return { fields, stray };
    }
  }
}

/**
 * Loads BookCrossing from the folder holding its files. `BX-Book-Ratings.csv`
 * is required; `BX-Books.csv` gives titles and the item fields `author`,
 * `publisher` and `year`; `BX-Users.csv` gives the user fields `age` (ml-1m's
 * age groups; ages outside 5-100 taken as unknown) and `country` (the last
 * comma-separated part of the location, lower case; empty or `n/a` taken as
 * unknown). A missing books or users file is said in the log's notes, as are
 * rated ISBNs without a book row and every repair of a quote.
 *
 * @param dir The folder.
 * @param options `onBadLine`: stop at a malformed line (default) or count and
 *   skip it; `name` of the log (default `bookcrossing`).
 * @returns The interaction log, ratings kept (0 = implicit).
 * @throws {Deno.errors.NotFound} If the ratings file is missing.
 * @throws {DataFormatError} On a malformed line or header, naming the file and line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadBookCrossing } from "./bookcrossing.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(
 *   `${dir}/BX-Book-Ratings.csv`,
 *   '"User-ID";"ISBN";"Book-Rating"\n"276725";"034545104X";"0"\n',
 * );
 * const log = await loadBookCrossing(dir);
 * ok(log.itemIds[0] === "034545104X" && log.ratings?.[0] === 0);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadBookCrossing(
  dir: string,
  options: LoadOptions & { name?: string } = {},
): Promise<InteractionLog> {
  const name = options.name ?? "bookcrossing";
  try {
    const ratingsPath = join(dir, BOOKCROSSING_FILES.ratings);
    if (!(await isFile(ratingsPath))) {
      throw new Deno.errors.NotFound(`file "${ratingsPath}" not found`);
    }
    const builder = new InteractionLogBuilder(name, { withRatings: true });
    const repairs = { strayQuotes: 0, backslashClosed: 0 };
    await readRatings(ratingsPath, builder, repairs, options);
    const booksPath = join(dir, BOOKCROSSING_FILES.books);
    if (await isFile(booksPath)) await readBooks(booksPath, builder, repairs, options);
    else builder.notes.push(`no "${booksPath}": the books have no titles or fields`);
    const usersPath = join(dir, BOOKCROSSING_FILES.users);
    if (await isFile(usersPath)) await readUsers(usersPath, builder, repairs, options);
    else builder.notes.push(`no "${usersPath}": the users have no demographics`);
    if (repairs.strayQuotes > 0 || repairs.backslashClosed > 0) {
      builder.notes.push(
        `quotes repaired: ${repairs.strayQuotes} stray quotes kept as text, ${repairs.backslashClosed} lines where \\" before ";" closed a field`,
      );
    }
    const log = builder.finish();
    let implicit = 0;
    for (const r of log.ratings!) if (r === 0) implicit++;
    const notes = [
      `${implicit} implicit (0) and ${log.ratings!.length - implicit} explicit (1-10) ratings`,
    ];
    const titles = log.itemFeatures?.titles;
    if (titles) {
      const unknown = log.itemIds.filter((id) => !titles.has(id)).length;
      if (unknown > 0) notes.push(`${unknown} rated ISBNs have no row in "${booksPath}"`);
    }
    return { ...log, notes: [...notes, ...(log.notes ?? [])] };
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}

/** The record loop over one BX file: header checked, fields split by {@linkcode splitBxLine}. */
async function forEachBxRecord(
  path: string,
  role: keyof typeof HEADERS,
  builder: InteractionLogBuilder,
  repairs: BxRepairs,
  options: LoadOptions,
  onFields: (fields: string[], where: Where) => void,
): Promise<number> {
  const expected = HEADERS[role].split(";").length;
  const { records, lastLine } = await forEachRecord(
    path,
    {
      encoding: "latin1",
      separator: (text, where) => splitBxLine(text, expected, where, repairs),
      header: (text) => checkHeader(text, HEADERS[role], path),
      ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}),
    },
    builder,
    onFields,
  );
  if (records === 0 && role === "ratings") {
    throw new DataFormatError("expected a rating, found the end of the file", {
      file: path,
      line: lastLine + 1,
    });
  }
  return records;
}

async function readRatings(
  path: string,
  builder: InteractionLogBuilder,
  repairs: BxRepairs,
  options: LoadOptions,
): Promise<void> {
  await forEachBxRecord(path, "ratings", builder, repairs, options, (fields, where) => {
    const [user, isbn, rating] = fields;
    if (!/^\d+$/.test(user)) {
      throw new DataFormatError(`user id must be an integer, found ${JSON.stringify(user)}`, where);
    }
    if (!/^(?:\d|10)$/.test(rating)) {
      throw new DataFormatError(
        `rating must be an integer from 0 to 10, found ${JSON.stringify(rating)}`,
        where,
      );
    }
    builder.add(user, checkToken(isbn, "ISBN", where), 0, Number(rating));
  });
}

async function readBooks(
  path: string,
  builder: InteractionLogBuilder,
  repairs: BxRepairs,
  options: LoadOptions,
): Promise<void> {
  const titles = new Map<string, string>();
  const fields = {
    author: new Map<string, string[]>(),
    publisher: new Map<string, string[]>(),
    year: new Map<string, string[]>(),
  };
  const lines = new Map<string, number>();
  await forEachBxRecord(path, "books", builder, repairs, options, (f, where) => {
    const [isbn, title, author, year, publisher] = f;
    checkToken(isbn, "ISBN", where);
    const first = lines.get(isbn);
    if (first !== undefined) {
      throw new DataFormatError(`ISBN ${isbn} already appeared on line ${first}`, where);
    }
    if (!/^\d{1,4}$/.test(year)) {
      throw new DataFormatError(
        `year of publication must be a whole number, found ${JSON.stringify(year)}`,
        where,
      );
    }
    lines.set(isbn, where.line);
    titles.set(isbn, title);
    if (author.trim() !== "") fields.author.set(isbn, [author.trim()]);
    if (publisher.trim() !== "") fields.publisher.set(isbn, [publisher.trim()]);
    // 0 is the file's "unknown year".
    if (year !== "0") fields.year.set(isbn, [year]);
  });
  builder.itemFeatures = { titles, fields };
}

async function readUsers(
  path: string,
  builder: InteractionLogBuilder,
  repairs: BxRepairs,
  options: LoadOptions,
): Promise<void> {
  const users = new Demographics(["age", "country"]);
  let implausible = 0;
  await forEachBxRecord(path, "users", builder, repairs, options, (f, where) => {
    const [user, location, age] = f;
    if (!/^\d+$/.test(user)) {
      throw new DataFormatError(`user id must be an integer, found ${JSON.stringify(user)}`, where);
    }
    let group: string | undefined;
    if (age !== "NULL") {
      if (!/^\d+$/.test(age)) {
        throw new DataFormatError(
          `age must be whole years or NULL, found ${JSON.stringify(age)}`,
          where,
        );
      }
      const years = Number(age);
      if (years >= PLAUSIBLE_AGE[0] && years <= PLAUSIBLE_AGE[1]) group = ageGroup(years);
      else implausible++;
    }
    const country = location.split(",").at(-1)!.trim().toLowerCase();
    users.add(user, {
      age: group,
      country: country === "n/a" ? undefined : country,
    }, where);
  });
  if (implausible > 0) {
    builder.notes.push(
      `${implausible} users of "${path}" have an age outside ${PLAUSIBLE_AGE[0]}-${
        PLAUSIBLE_AGE[1]
      } years, taken as unknown`,
    );
  }
  builder.userFeatures = users.finish(path);
}
