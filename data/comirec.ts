/**
 * The split files ComiRec's and REMI's code train on, read and written:
 * a folder `<name>_data/` with `<name>_train.txt`, `<name>_valid.txt` and
 * `<name>_test.txt` (one event a line, `user,item,index,timestamp`: users
 * already split into disjoint train / valid / test users, items already
 * renumbered from 1, 0 being the padding id), plus `<name>_user_map.txt` and
 * `<name>_item_map.txt` (`raw id,number` a line).
 *
 * Reading follows the reference reader: three fields (`user,item,timestamp`)
 * are accepted too, the `index` column is checked but not used, and each
 * user's events are ordered by timestamp, ties in file order. When the map
 * files are present, raw ids are restored from them.
 *
 * @module
 */
import { checkId, forEachRecord, isFile, join, type LoadOptions, prefixed } from "./_records.ts";
import type { Dataset, InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import type { GivenLogs } from "./given_split.ts";
import { InteractionLogBuilder } from "./log_builder.ts";
import { sequentialUserParts } from "./split.ts";

/** The three parts, in file-name order. */
export const COMIREC_PARTS: readonly ["train", "valid", "test"] = ["train", "valid", "test"];

/** Options of {@linkcode writeComiRec}. */
export interface WriteComiRecOptions {
  /** Seed of the user split (the `sequential` protocol's `split` stream). */
  seed: number;
  /** Train / valid / test user ratios. @default {[0.8, 0.1, 0.1]} */
  ratios?: readonly [number, number, number];
}

/** What {@linkcode writeComiRec} wrote. */
export interface ComiRecFiles {
  /** The folder `<dir>/<name>_data`. */
  folder: string;
  /** Users per part. */
  users: { train: number; valid: number; test: number };
  /** Events per part. */
  events: { train: number; valid: number; test: number };
  /** Largest item number written (the reference's `item_count` is this + 1). */
  maxItem: number;
}

/**
 * Writes a prepared dataset's `sequential` split (the users of
 * `splitSequential` with the same seed) in ComiRec's and REMI's format, so
 * their code trains and evaluates on exactly recbench's split. Users are
 * numbered from 0, train users first, then valid, then test (each ascending by
 * dense index); item `i` is written as `i + 1`; each user's events in time
 * order with their position as `index`; timestamps are floored to integers (the
 * reference parses them as integers; flooring keeps the order).
 *
 * @param dataset The prepared dataset.
 * @param dir The output folder (`<dir>/<name>_data/` is created).
 * @param name The file stem, e.g. `ml-latest-small`.
 * @param options Split seed and ratios.
 * @returns Counts of what was written.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { writeComiRec } from "./comirec.ts";
 * const dir = await Deno.makeTempDir();
 * const files = await writeComiRec(generateSynthetic({ numUsers: 50, numItems: 40 }), dir, "toy", { seed: 1 });
 * ok(files.users.train === 40 && files.folder.endsWith("/toy_data"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeComiRec(
  dataset: Dataset,
  dir: string,
  name: string,
  options: WriteComiRecOptions,
): Promise<ComiRecFiles> {
  const parts = sequentialUserParts(dataset, {
    seed: options.seed,
    ...(options.ratios ? { ratios: options.ratios } : {}),
  });
  const folder = join(dir, `${name}_data`);
  await Deno.mkdir(folder, { recursive: true });
  const userMap: string[] = [];
  const users = { train: 0, valid: 0, test: 0 };
  const events = { train: 0, valid: 0, test: 0 };
  let next = 0;
  for (const part of COMIREC_PARTS) {
    const lines: string[] = [];
    for (const u of parts[part]) {
      const id = next++;
      userMap.push(`${dataset.userIds[u]},${id}`);
      const start = dataset.userPtr[u];
      for (let k = start; k < dataset.userPtr[u + 1]; k++) {
        lines.push(`${id},${dataset.items[k] + 1},${k - start},${Math.floor(dataset.times[k])}`);
      }
    }
    users[part] = parts[part].length;
    events[part] = lines.length;
    await Deno.writeTextFile(join(folder, `${name}_${part}.txt`), joinLines(lines));
  }
  await Deno.writeTextFile(join(folder, `${name}_user_map.txt`), joinLines(userMap));
  await Deno.writeTextFile(
    join(folder, `${name}_item_map.txt`),
    joinLines(dataset.itemIds.map((id, i) => `${id},${i + 1}`)),
  );
  return { folder, users, events, maxItem: dataset.numItems };
}

function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

/** Options of {@linkcode loadComiRecPart}. */
export interface ComiRecPartOptions extends LoadOptions {
  /** The log's name. @default {"comirec"} */
  name?: string;
  /** Raw user id by number (from the user map); the number itself where absent. */
  userIds?: ReadonlyMap<string, string>;
  /** Raw item id by number (from the item map); the number itself where absent. */
  itemIds?: ReadonlyMap<string, string>;
}

/**
 * Reads one part file (`<name>_train.txt` and so on): lines
 * `user,item,index,timestamp` or `user,item,timestamp`, all integers; item 0
 * is the padding id and may not appear.
 *
 * @param path The file.
 * @param options Bad-line policy, log name, id maps.
 * @returns The log, timed by the timestamps.
 * @throws {DataFormatError} On a malformed line, with the file and line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadComiRecPart } from "./comirec.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "0,3,0,100\n0,1,1,200\n");
 * const log = await loadComiRecPart(path);
 * ok(log.items.length === 2 && log.itemIds[1] === "1" && log.times[1] === 200);
 * await Deno.remove(path);
 * ```
 */
export async function loadComiRecPart(
  path: string,
  options: ComiRecPartOptions = {},
): Promise<InteractionLog> {
  const name = options.name ?? "comirec";
  const builder = new InteractionLogBuilder(name);
  await forEachRecord(
    path,
    { separator: ",", onBadLine: options.onBadLine },
    builder,
    (fields, where) => {
      if (fields.length !== 3 && fields.length !== 4) {
        throw new DataFormatError(
          `expected 4 fields "user,item,index,timestamp" (or 3, without index), found ${fields.length}`,
          where,
        );
      }
      const user = checkId(fields[0].trim(), "user", where);
      const item = checkId(fields[1].trim(), "item", where);
      if (Number(item) === 0) {
        throw new DataFormatError("item 0 is the padding id and cannot be an event", where);
      }
      if (fields.length === 4) checkId(fields[2].trim(), "index", where);
      const time = fields[fields.length - 1].trim();
      if (!/^-?\d+$/.test(time)) {
        throw new DataFormatError(
          `timestamp must be an integer, found ${JSON.stringify(time)}`,
          where,
        );
      }
      builder.add(
        options.userIds?.get(user) ?? user,
        options.itemIds?.get(item) ?? item,
        Number(time),
      );
    },
  );
  return builder.finish();
}

/**
 * Reads a map file (`raw id,number` a line; the raw id may itself hold
 * commas) into number -> raw id.
 */
async function loadMap(path: string, options: LoadOptions): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const counter = new InteractionLogBuilder("map");
  await forEachRecord(
    path,
    { separator: (text) => [text], onBadLine: options.onBadLine },
    counter,
    ([text], where) => {
      const comma = text.lastIndexOf(",");
      if (comma < 1) {
        throw new DataFormatError(`expected "raw id,number", found ${JSON.stringify(text)}`, where);
      }
      const number = checkId(text.slice(comma + 1).trim(), "number", where);
      const seen = map.get(number);
      if (seen !== undefined) {
        throw new DataFormatError(`number ${number} is already mapped to "${seen}"`, where);
      }
      map.set(number, text.slice(0, comma));
    },
  );
  return map;
}

/**
 * The folder that holds `<name>_train.txt`: `<dir>/<name>_data/`, or `dir`
 * itself.
 */
async function comiRecFolder(dir: string, name: string): Promise<string> {
  for (const folder of [join(dir, `${name}_data`), dir]) {
    if (await isFile(join(folder, `${name}_train.txt`))) return folder;
  }
  throw new Deno.errors.NotFound(
    `Cannot find dataset "comirec:${name}": no "${name}_train.txt" in "${
      join(dir, `${name}_data`)
    }" or "${dir}"`,
  );
}

/**
 * The files a ComiRec-format split consists of (those present).
 *
 * @param dir The folder holding `<name>_data/` (or the files themselves).
 * @param name The file stem.
 * @returns Paths: the part files, then the map files.
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { comiRecFiles } from "./comirec.ts";
 * await rejects(comiRecFiles("/nonexistent", "book"), /book_train\.txt/);
 * ```
 */
export async function comiRecFiles(dir: string, name: string): Promise<string[]> {
  const folder = await comiRecFolder(dir, name);
  const out: string[] = [];
  for (const f of [...COMIREC_PARTS, "user_map", "item_map"]) {
    const path = join(folder, `${name}_${f}.txt`);
    if (await isFile(path)) out.push(path);
  }
  return out;
}

/**
 * Reads a ComiRec-format split: train and test are required, valid is
 * optional; raw ids come from the map files when present.
 *
 * @param dir The folder holding `<name>_data/` (or the files themselves).
 * @param name The file stem.
 * @param options Bad-line policy.
 * @returns The parts, for `prepareGiven`.
 * @throws {DataFormatError} On a malformed line, naming the file and line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { generateSynthetic } from "./synthetic.ts";
 * import { readComiRecSplit, writeComiRec } from "./comirec.ts";
 * const dir = await Deno.makeTempDir();
 * await writeComiRec(generateSynthetic({ numUsers: 50, numItems: 40 }), dir, "toy", { seed: 1 });
 * const logs = await readComiRecSplit(dir, "toy");
 * ok(logs.valid !== undefined && logs.test.userIds.length === 5);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readComiRecSplit(
  dir: string,
  name: string,
  options: LoadOptions = {},
): Promise<GivenLogs> {
  const id = `comirec:${name}`;
  try {
    const folder = await comiRecFolder(dir, name);
    const path = (f: string) => join(folder, `${name}_${f}.txt`);
    const maps: { userIds?: Map<string, string>; itemIds?: Map<string, string> } = {};
    if (await isFile(path("user_map"))) maps.userIds = await loadMap(path("user_map"), options);
    if (await isFile(path("item_map"))) maps.itemIds = await loadMap(path("item_map"), options);
    const read = (part: string) => loadComiRecPart(path(part), { ...options, ...maps, name: id });
    if (!(await isFile(path("test")))) {
      throw new Deno.errors.NotFound(`no "${name}_test.txt" beside "${path("train")}"`);
    }
    const valid = await isFile(path("valid"));
    return {
      train: await read("train"),
      ...(valid ? { valid: await read("valid") } : {}),
      test: await read("test"),
    };
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${id}": `);
  }
}
