/**
 * Amazon product data (McAuley et al., 2014 release): the 5-core review files
 * `reviews_<Category>_5.json[.gz]` (one JSON object a line with `reviewerID`,
 * `asin`, `overall`, `unixReviewTime`), the ratings-only CSV
 * `ratings_<Category>.csv[.gz]` (`user,item,rating,timestamp`, no header), and
 * the meta file `meta_<Category>.json[.gz]`, whose `title` and `categories`
 * become item side features. Meta lines are JSON or Python dict literals (the
 * 2014 files use the latter); both are read.
 *
 * @module
 */
import { parsePythonLiteral } from "./_pyliteral.ts";
import {
  checkFieldCount,
  checkToken,
  forEachRecord,
  type LoadOptions,
  prefixed,
  splitCsvLine,
  toRating,
  toTimestamp,
  type Where,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** Options of the Amazon loaders. */
export interface AmazonOptions extends LoadOptions {
  /** The meta file, if item features are wanted. */
  metaPath?: string;
  /** Name of the log. @default {"amazon"} */
  name?: string;
}

/**
 * Loads an Amazon 5-core review file (JSON lines). Other fields of a review
 * (text, helpfulness) are ignored.
 *
 * @param path `reviews_<Category>_5.json` or `.json.gz`.
 * @param options Meta file, bad-line policy, name.
 * @returns The log, with ratings (`overall`) and Unix-second times.
 * @throws {DataFormatError} On a line that is not a JSON object with the four fields.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadAmazonReviews } from "./amazon.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, '{"reviewerID": "A2SUAM1J3GNN3B", "asin": "0000013714", "overall": 5.0, "unixReviewTime": 1355616000}\n');
 * const log = await loadAmazonReviews(path);
 * ok(log.userIds[0] === "A2SUAM1J3GNN3B" && log.ratings?.[0] === 5);
 * await Deno.remove(path);
 * ```
 */
export async function loadAmazonReviews(
  path: string,
  options: AmazonOptions = {},
): Promise<InteractionLog> {
  return await loadAmazonLog(path, options, wholeLine, "a review", (builder, [text], where) => {
    const review = parseJsonObject(text, where);
    builder.add(
      stringField(review, "reviewerID", where),
      stringField(review, "asin", where),
      numberField(review, "unixReviewTime", where),
      numberField(review, "overall", where),
    );
  });
}

/**
 * Loads an Amazon ratings-only CSV (`user,item,rating,timestamp`, no header;
 * quoted fields allowed).
 *
 * @param path `ratings_<Category>.csv` or `.csv.gz`.
 * @param options Meta file, bad-line policy, name.
 * @returns The log, with ratings and Unix-second times.
 * @throws {DataFormatError} On a malformed line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadAmazonRatings } from "./amazon.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "AH2L9G3DQHHAJ,0000000116,4.0,1019865600\n");
 * const log = await loadAmazonRatings(path);
 * ok(log.itemIds[0] === "0000000116" && log.times[0] === 1019865600);
 * await Deno.remove(path);
 * ```
 */
export async function loadAmazonRatings(
  path: string,
  options: AmazonOptions = {},
): Promise<InteractionLog> {
  return await loadAmazonLog(path, options, splitCsvLine, "a rating", (builder, fields, where) => {
    checkFieldCount(fields, 4, ",", where);
    const [user, item, rating, time] = fields;
    builder.add(
      checkToken(user, "user id", where),
      checkToken(item, "item id", where),
      toTimestamp(time, where),
      toRating(rating, where),
    );
  });
}

/**
 * What both Amazon loaders do around their record parser: a builder with
 * ratings, every record through `onRecord`, at least one record, the meta file
 * if given, and the dataset name in front of any error.
 */
async function loadAmazonLog(
  path: string,
  options: AmazonOptions,
  separator: (text: string, where: Where) => string[],
  what: string,
  onRecord: (builder: InteractionLogBuilder, fields: string[], where: Where) => void,
): Promise<InteractionLog> {
  const name = options.name ?? "amazon";
  try {
    const builder = new InteractionLogBuilder(name, { withRatings: true });
    const { lastLine, records } = await forEachRecord(
      path,
      { separator, onBadLine: options.onBadLine },
      builder,
      (fields, where) => onRecord(builder, fields, where),
    );
    expectRecords(records, what, path, lastLine);
    if (options.metaPath) await readAmazonMeta(options.metaPath, builder, options);
    return builder.finish();
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}

/**
 * Reads titles and categories from a meta file into `builder.itemFeatures`,
 * for items the builder has seen (other lines are counted as `meta of an item
 * without interactions`). `categories` (a list of category paths) becomes the
 * multi-valued field `categories`, each distinct name once, in file order.
 *
 * @param path `meta_<Category>.json` or `.json.gz`.
 * @param builder The builder holding the interactions.
 * @param options Bad-line policy.
 * @returns Nothing.
 * @throws {DataFormatError} On a line that is neither a JSON object nor a Python dict.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { readAmazonMeta } from "./amazon.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "{'asin': 'B1', 'title': \"Kid's Book\", 'categories': [['Books', 'Kids']]}\n");
 * const b = new InteractionLogBuilder("toy");
 * b.add("u", "B1", 0);
 * await readAmazonMeta(path, b);
 * ok(b.itemFeatures?.titles.get("B1") === "Kid's Book");
 * await Deno.remove(path);
 * ```
 */
export async function readAmazonMeta(
  path: string,
  builder: InteractionLogBuilder,
  options: LoadOptions = {},
): Promise<void> {
  const titles = new Map<string, string>();
  const categories = new Map<string, string[]>();
  await forEachRecord(
    path,
    { separator: wholeLine, onBadLine: options.onBadLine },
    builder,
    ([text], where) => {
      const meta = parseMetaLine(text, where);
      const asin = stringField(meta, "asin", where);
      if (!builder.hasItem(asin)) {
        builder.skip("meta of an item without interactions");
        return;
      }
      if (titles.has(asin) || categories.has(asin)) {
        throw new DataFormatError(`asin ${asin} appears twice in the meta file`, where);
      }
      if (meta.title !== undefined) titles.set(asin, stringField(meta, "title", where));
      if (meta.categories !== undefined) {
        const paths = meta.categories;
        if (!Array.isArray(paths) || !paths.every((p) => Array.isArray(p))) {
          throw new DataFormatError("categories must be a list of lists of names", where);
        }
        const names = new Set<string>();
        for (const p of paths as unknown[][]) {
          for (const c of p) {
            if (typeof c !== "string") {
              throw new DataFormatError("categories must be a list of lists of names", where);
            }
            names.add(c);
          }
        }
        categories.set(asin, [...names]);
      }
    },
  );
  builder.itemFeatures = { titles, fields: { categories } };
}

/** A "separator" that keeps the whole line as one field (JSON lines). */
function wholeLine(text: string): string[] {
  return [text];
}

function parseJsonObject(text: string, where: Where): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DataFormatError(`invalid JSON: ${(error as Error).message}`, where);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new DataFormatError("expected a JSON object", where);
  }
  return value as Record<string, unknown>;
}

function parseMetaLine(text: string, where: Where): Record<string, unknown> {
  if (text.startsWith("{'") || text.startsWith("{u'")) {
    let value: unknown;
    try {
      value = parsePythonLiteral(text);
    } catch (error) {
      throw new DataFormatError(`invalid Python dict: ${(error as Error).message}`, where);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new DataFormatError("expected a Python dict", where);
    }
    return value as Record<string, unknown>;
  }
  return parseJsonObject(text, where);
}

function stringField(o: Record<string, unknown>, key: string, where: Where): string {
  const v = o[key];
  if (typeof v !== "string" || v === "") {
    throw new DataFormatError(
      `field "${key}" must be a non-empty string, found ${
        v === undefined ? "none" : JSON.stringify(v)
      }`,
      where,
    );
  }
  return v;
}

function numberField(o: Record<string, unknown>, key: string, where: Where): number {
  const v = o[key];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new DataFormatError(
      `field "${key}" must be a number, found ${v === undefined ? "none" : JSON.stringify(v)}`,
      where,
    );
  }
  return v;
}

function expectRecords(records: number, what: string, file: string, lastLine: number): void {
  if (records === 0) {
    throw new DataFormatError(`expected ${what}, found the end of the file`, {
      file,
      line: lastLine + 1,
    });
  }
}
