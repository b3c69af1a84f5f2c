/**
 * RecBole atomic files: `<name>.inter`, `<name>.item`, `<name>.user`, each
 * tab-separated with a typed header (`user_id:token item_id:token
 * rating:float timestamp:float`). Types are `token`, `token_seq` (values
 * separated by spaces), `float` and `float_seq`. Any of RecBole's converted
 * datasets can be read this way; {@linkcode writeRecBole} writes a prepared
 * log back so a run can be cross-checked in RecBole.
 *
 * @module
 */
import {
  checkFieldCount,
  forEachRecord,
  isFile,
  join,
  type LoadOptions,
  prefixed,
  toNumber,
  toTimestamp,
  type Where,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** The column types of RecBole's atomic files. */
export type RecBoleType = "token" | "token_seq" | "float" | "float_seq";

const TYPES: readonly RecBoleType[] = ["token", "token_seq", "float", "float_seq"];

/** One column of an atomic file's header. */
export interface RecBoleColumn {
  /** Field name, e.g. `user_id`. */
  name: string;
  /** Its type. */
  type: RecBoleType;
}

/** Field names RecBole's config maps (`USER_ID_FIELD` and so on). */
export interface RecBoleFields {
  /** @default {"user_id"} */
  user?: string;
  /** @default {"item_id"} */
  item?: string;
  /** @default {"rating"} */
  rating?: string;
  /** @default {"timestamp"} */
  time?: string;
}

/** Options of {@linkcode loadRecBole}. */
export interface RecBoleOptions extends LoadOptions {
  /** Field names, when the dataset's config renames them. */
  fields?: RecBoleFields;
  /**
   * Read `<name>.<suffix>` instead of `<name>.inter` (RecBole's benchmark
   * files are `<name>.train.inter` and so on).
   * @default {"inter"}
   */
  interSuffix?: string;
  /** Log name. @default the dataset name */
  logName?: string;
}

/**
 * Parses an atomic file header.
 *
 * @param text The first line.
 * @param where The file and line 1.
 * @returns The columns.
 * @throws {DataFormatError} On a column without a type, an unknown type or a repeated name.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { parseRecBoleHeader } from "./recbole.ts";
 * const cols = parseRecBoleHeader("user_id:token\titem_id:token", { file: "x.inter", line: 1 });
 * ok(cols[1].name === "item_id" && cols[1].type === "token");
 * ```
 */
export function parseRecBoleHeader(text: string | undefined, where: Where): RecBoleColumn[] {
  if (text === undefined || text === "") {
    throw new DataFormatError(
      "expected a typed header such as user_id:token, found " +
        (text === undefined ? "the end of the file" : "an empty line"),
      where,
    );
  }
  const seen = new Set<string>();
  return text.split("\t").map((column) => {
    const colon = column.lastIndexOf(":");
    const name = colon === -1 ? column : column.slice(0, colon);
    const type = colon === -1 ? "" : column.slice(colon + 1);
    if (colon <= 0) {
      throw new DataFormatError(
        `header column ${JSON.stringify(column)} has no type (expected name:type)`,
        where,
      );
    }
    if (!TYPES.includes(type as RecBoleType)) {
      throw new DataFormatError(
        `header column ${JSON.stringify(column)} has unknown type "${type}" (known: ${
          TYPES.join(", ")
        })`,
        where,
      );
    }
    if (seen.has(name)) throw new DataFormatError(`header repeats the field "${name}"`, where);
    seen.add(name);
    return { name, type: type as RecBoleType };
  });
}

/**
 * Loads a RecBole dataset from `dir/<name>.inter` (required), `.item` (titles:
 * any `token_seq` or `token` field whose name contains `title`; other `token`
 * and `token_seq` fields become categorical features) and `.user` (checked,
 * not kept: the data model has no user features). Without a time field,
 * events are timed by their line, so file order is kept. Float values and
 * tokens are checked; `float_seq` fields are ignored.
 *
 * @param dir The folder.
 * @param name The dataset name (file stem).
 * @param options Field names, bad-line policy, benchmark-file suffix.
 * @returns The log, with ratings if the rating field is present.
 * @throws {Deno.errors.NotFound} If the `.inter` file is missing.
 * @throws {DataFormatError} On an unknown header type, a missing user or item
 *   field, or a malformed line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadRecBole } from "./recbole.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/toy.inter`, "user_id:token\titem_id:token\trating:float\ttimestamp:float\n1\t10\t4\t100\n");
 * const log = await loadRecBole(dir, "toy");
 * ok(log.itemIds[0] === "10" && log.ratings?.[0] === 4);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadRecBole(
  dir: string,
  name: string,
  options: RecBoleOptions = {},
): Promise<InteractionLog> {
  const logName = options.logName ?? name;
  try {
    const f = {
      user: options.fields?.user ?? "user_id",
      item: options.fields?.item ?? "item_id",
      rating: options.fields?.rating ?? "rating",
      time: options.fields?.time ?? "timestamp",
    };
    const interPath = join(dir, `${name}.${options.interSuffix ?? "inter"}`);
    if (!(await isFile(interPath))) {
      throw new Deno.errors.NotFound(`file "${interPath}" not found`);
    }
    const header = await readHeader(interPath);
    const col = (field: string) => header.findIndex((c) => c.name === field);
    const u = col(f.user), i = col(f.item), r = col(f.rating), t = col(f.time);
    for (const [k, what] of [[u, f.user], [i, f.item]] as const) {
      if (k === -1) {
        throw new DataFormatError(`header has no "${what}" field`, { file: interPath, line: 1 });
      }
      if (header[k].type !== "token") {
        throw new DataFormatError(`field "${what}" must be a token`, { file: interPath, line: 1 });
      }
    }
    for (const k of [r, t]) {
      if (k !== -1 && header[k].type !== "float") {
        throw new DataFormatError(`field "${header[k].name}" must be a float`, {
          file: interPath,
          line: 1,
        });
      }
    }
    const builder = new InteractionLogBuilder(logName, { withRatings: r !== -1 });
    const { lastLine, records } = await forEachRecord(
      interPath,
      {
        separator: "\t",
        onBadLine: options.onBadLine,
        header: () => {},
      },
      builder,
      (fields, where) => {
        checkFieldCount(fields, header.length, "\t", where);
        checkValues(header, fields, where);
        const time = t === -1 ? where.line : toTimestamp(fields[t], where, { integer: false });
        builder.add(fields[u], fields[i], time, r === -1 ? 1 : Number(fields[r]));
      },
    );
    if (records === 0) {
      throw new DataFormatError("expected an interaction, found the end of the file", {
        file: interPath,
        line: lastLine + 1,
      });
    }
    const itemPath = join(dir, `${name}.item`);
    if (await isFile(itemPath)) await readItems(itemPath, f.item, builder, options);
    const userPath = join(dir, `${name}.user`);
    if (await isFile(userPath)) await checkAtomicFile(userPath, f.user, builder, options);
    return builder.finish();
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${logName}": `);
  }
}

async function readHeader(path: string): Promise<RecBoleColumn[]> {
  let header: RecBoleColumn[] | undefined;
  const stop = new Error("header read");
  try {
    await forEachRecord(
      path,
      {
        separator: "\t",
        header: (text, where) => {
          header = parseRecBoleHeader(text, where);
          throw stop;
        },
      },
      { skip() {} },
      () => {},
    );
  } catch (error) {
    if (error !== stop) throw error;
  }
  return header!;
}

function checkValues(header: RecBoleColumn[], fields: string[], where: Where): void {
  for (let k = 0; k < header.length; k++) {
    const { name, type } = header[k];
    const v = fields[k];
    if (type === "float") toNumber(v, name, where);
    else if (type === "token" && v === "") {
      throw new DataFormatError(`token field "${name}" is empty`, where);
    } else if (type === "float_seq" && v !== "") {
      for (const x of v.split(" ")) toNumber(x, name, where);
    }
  }
}

async function checkAtomicFile(
  path: string,
  idField: string,
  builder: InteractionLogBuilder,
  options: LoadOptions,
): Promise<RecBoleColumn[]> {
  const header = await readHeader(path);
  if (!header.some((c) => c.name === idField)) {
    throw new DataFormatError(`header has no "${idField}" field`, { file: path, line: 1 });
  }
  await forEachRecord(path, { separator: "\t", onBadLine: options.onBadLine, header: () => {} }, {
    skip: (reason) => builder.skip(`${path.endsWith(".user") ? ".user" : ".item"} ${reason}`),
  }, (fields, where) => {
    checkFieldCount(fields, header.length, "\t", where);
    checkValues(header, fields, where);
  });
  return header;
}

async function readItems(
  path: string,
  idField: string,
  builder: InteractionLogBuilder,
  options: LoadOptions,
): Promise<void> {
  const header = await readHeader(path);
  const id = header.findIndex((c) => c.name === idField);
  if (id === -1) {
    throw new DataFormatError(`header has no "${idField}" field`, { file: path, line: 1 });
  }
  const titleCol = header.findIndex((c, k) =>
    k !== id && c.name.includes("title") && (c.type === "token" || c.type === "token_seq")
  );
  const featureCols = header
    .map((c, k) => ({ ...c, k }))
    .filter((c) =>
      c.k !== id && c.k !== titleCol && (c.type === "token" || c.type === "token_seq")
    );
  const titles = new Map<string, string>();
  const fields: Record<string, Map<string, string[]>> = {};
  for (const c of featureCols) fields[c.name] = new Map();
  const lines = new Map<string, number>();
  await forEachRecord(path, { separator: "\t", onBadLine: options.onBadLine, header: () => {} }, {
    skip: (reason) => builder.skip(`.item ${reason}`),
  }, (values, where) => {
    checkFieldCount(values, header.length, "\t", where);
    checkValues(header, values, where);
    const item = values[id];
    const first = lines.get(item);
    if (first !== undefined) {
      throw new DataFormatError(`item ${item} already appeared on line ${first}`, where);
    }
    lines.set(item, where.line);
    if (!builder.hasItem(item)) return;
    if (titleCol !== -1) titles.set(item, values[titleCol]);
    for (const c of featureCols) {
      const v = values[c.k];
      fields[c.name].set(item, v === "" ? [] : c.type === "token" ? [v] : v.split(" "));
    }
  });
  builder.itemFeatures = { titles, fields };
}

/** Options of {@linkcode writeRecBole}. */
export interface WriteRecBoleOptions {
  /** Write `<name>.<suffix>` instead of `<name>.inter`. @default {"inter"} */
  interSuffix?: string;
  /** Write the `.item` file when the log has features. @default {true} */
  items?: boolean;
}

/**
 * Writes a log as RecBole atomic files into `dir`: `<name>.inter` (user,
 * item, rating if any, timestamp; in log order) and, with features,
 * `<name>.item` (item id, `title:token_seq`, one `token_seq` per field). Ids,
 * titles and feature values must not hold tabs or line breaks; feature values
 * must not hold spaces (RecBole splits `token_seq` on spaces), so spaces in
 * them are written as `_`.
 *
 * @param log The log.
 * @param dir The folder (created if missing).
 * @param name The file stem.
 * @param options Suffix and whether to write items.
 * @returns Nothing.
 * @throws {RangeError} If an id or title holds a tab or a line break.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { writeRecBole } from "./recbole.ts";
 * const b = new InteractionLogBuilder("toy", { withRatings: true });
 * b.add("u1", "i1", 10, 4);
 * const dir = await Deno.makeTempDir();
 * await writeRecBole(b.finish(), dir, "toy");
 * ok((await Deno.readTextFile(`${dir}/toy.inter`)).startsWith("user_id:token\titem_id:token\trating:float"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeRecBole(
  log: InteractionLog,
  dir: string,
  name: string,
  options: WriteRecBoleOptions = {},
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const columns = ["user_id:token", "item_id:token"];
  if (log.ratings) columns.push("rating:float");
  columns.push("timestamp:float");
  const file = await Deno.open(join(dir, `${name}.${options.interSuffix ?? "inter"}`), {
    write: true,
    create: true,
    truncate: true,
  });
  const writer = file.writable.getWriter();
  const enc = new TextEncoder();
  try {
    let chunk = columns.join("\t") + "\n";
    for (let e = 0; e < log.items.length; e++) {
      const row = [cell(log.userIds[log.users[e]]), cell(log.itemIds[log.items[e]])];
      if (log.ratings) row.push(String(log.ratings[e]));
      row.push(String(log.times[e]));
      chunk += row.join("\t") + "\n";
      if (chunk.length > 1 << 16) {
        await writer.write(enc.encode(chunk));
        chunk = "";
      }
    }
    await writer.write(enc.encode(chunk));
  } finally {
    await writer.close();
  }
  const features = log.itemFeatures;
  if (!features || options.items === false) return;
  const names = Object.keys(features.fields).sort();
  const lines = [
    ["item_id:token", "title:token_seq", ...names.map((n) => `${n}:token_seq`)].join("\t"),
  ];
  const ids = [...new Set(log.itemIds)];
  for (const id of ids) {
    const row = [cell(id), cell(features.titles.get(id) ?? "")];
    for (const n of names) {
      row.push(
        (features.fields[n].get(id) ?? []).map((v) => cell(v).replaceAll(" ", "_")).join(" "),
      );
    }
    lines.push(row.join("\t"));
  }
  await Deno.writeTextFile(join(dir, `${name}.item`), lines.join("\n") + "\n");
}

function cell(value: string): string {
  if (/[\t\r\n]/.test(value)) {
    throw new RangeError(`${JSON.stringify(value)} holds a tab or a line break`);
  }
  return value;
}
