/**
 * MovieLens loaders for the original distributions (ml-100k, ml-1m, ml-10m,
 * ml-20m, ml-25m, ml-latest, ml-latest-small), read as streams and checked
 * line by line: a malformed line is an error naming the file and the line.
 *
 * @module
 */
import { readCsvRecords } from "./_csv.ts";
import { AGE_GROUPS, ageGroup, Demographics } from "./_demographics.ts";
import type { TextEncodingName } from "./_lines.ts";
import {
  checkFieldCount,
  checkHeader,
  checkId,
  forEachRecord,
  isFile,
  join,
  type LoadOptions,
  prefixed,
  toRating,
  toTimestamp,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** Where and how one MovieLens release stores its ratings and movies. */
export interface MovieLensFormat {
  /** Ratings file, one rating a line: user, item, rating, time. */
  readonly ratingsFile: string;
  /** Field separator of the ratings file. */
  readonly separator: "\t" | "::" | ",";
  /** The exact first line of the ratings file, if it has a header. */
  readonly ratingsHeader?: string;
  /** Movie file with titles and genres; optional on disk. */
  readonly itemsFile: string;
  /** Layout of the movie file. */
  readonly itemsLayout: "u.item" | "movies.dat" | "movies.csv";
  /** Genre names for `u.item` (`name|index`); the standard 19 when absent. */
  readonly genresFile?: string;
  /** User demographics file (ml-100k `u.user`, ml-1m `users.dat`); optional on disk. */
  readonly usersFile?: "u.user" | "users.dat";
  /** Text encoding of the movie files (ratings files are ASCII). */
  readonly encoding: TextEncodingName;
  /** Other folder names the archive unpacks to, besides the release name. */
  readonly folderAliases: readonly string[];
}

const DAT = { ratingsFile: "ratings.dat", separator: "::", itemsFile: "movies.dat" } as const;
const CSV = {
  ratingsFile: "ratings.csv",
  separator: ",",
  ratingsHeader: "userId,movieId,rating,timestamp",
  itemsFile: "movies.csv",
  itemsLayout: "movies.csv",
  encoding: "utf-8",
  folderAliases: [],
} as const;

/**
 * The MovieLens releases {@linkcode loadMovieLens} reads, by name.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MOVIELENS_FORMATS } from "./movielens.ts";
 * ok(MOVIELENS_FORMATS["ml-1m"].ratingsFile === "ratings.dat");
 * ```
 */
export const MOVIELENS_FORMATS: Readonly<Record<string, MovieLensFormat>> = {
  "ml-100k": {
    ratingsFile: "u.data",
    separator: "\t",
    itemsFile: "u.item",
    itemsLayout: "u.item",
    genresFile: "u.genre",
    usersFile: "u.user",
    encoding: "latin1",
    folderAliases: [],
  },
  "ml-1m": {
    ...DAT,
    itemsLayout: "movies.dat",
    usersFile: "users.dat",
    encoding: "latin1",
    folderAliases: [],
  },
  "ml-10m": {
    ...DAT,
    itemsLayout: "movies.dat",
    encoding: "utf-8",
    folderAliases: ["ml-10M100K"],
  },
  "ml-20m": CSV,
  "ml-25m": CSV,
  "ml-latest": CSV,
  "ml-latest-small": CSV,
};

/**
 * The genre columns of ml-100k's `u.item`, in order; used when `u.genre` is absent.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ML100K_GENRES } from "./movielens.ts";
 * ok(ML100K_GENRES.length === 19 && ML100K_GENRES[0] === "unknown");
 * ```
 */
export const ML100K_GENRES: readonly string[] = [
  "unknown",
  "Action",
  "Adventure",
  "Animation",
  "Children's",
  "Comedy",
  "Crime",
  "Documentary",
  "Drama",
  "Fantasy",
  "Film-Noir",
  "Horror",
  "Musical",
  "Mystery",
  "Romance",
  "Sci-Fi",
  "Thriller",
  "War",
  "Western",
];

/** The genre value MovieLens writes for a movie without genres. */
const NO_GENRES = "(no genres listed)";

/**
 * Finds the folder holding a release's files: `dataDir/<name>/` (or a folder
 * name the archive unpacks to, such as `ml-10M100K`), else `dataDir` itself.
 *
 * @param name A key of {@linkcode MOVIELENS_FORMATS}.
 * @param dataDir The folder to look in.
 * @returns The folder that holds the ratings file.
 * @throws {RangeError} If the name is not a known release.
 * @throws {Deno.errors.NotFound} If no candidate folder holds the ratings file
 *   (the message lists every place looked at).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { findMovieLensDir } from "./movielens.ts";
 * const dataDir = await Deno.makeTempDir();
 * await Deno.mkdir(`${dataDir}/ml-100k`);
 * await Deno.writeTextFile(`${dataDir}/ml-100k/u.data`, "1\t10\t4\t881250949\n");
 * ok(await findMovieLensDir("ml-100k", dataDir) === `${dataDir}/ml-100k`);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function findMovieLensDir(name: string, dataDir: string): Promise<string> {
  try {
    const format = formatOf(name);
    const candidates = [name, ...format.folderAliases].map((folder) => join(dataDir, folder));
    candidates.push(dataDir);
    for (const dir of candidates) {
      if (await isFile(join(dir, format.ratingsFile))) return dir;
    }
    const places = candidates.map((dir) => `"${dir}"`);
    throw new Deno.errors.NotFound(
      `no "${format.ratingsFile}" in ${places.slice(0, -1).join(", ")} or ${places.at(-1)}`,
    );
  } catch (error) {
    throw prefixed(error, `Cannot find dataset "${name}": `);
  }
}

/**
 * Loads a MovieLens release from its original files in `dir` (see
 * {@linkcode findMovieLensDir} to locate it). Keeps ratings and times; titles
 * and genres (field `genres`) become item features when the movie file is
 * present. ml-1m's `users.dat` and ml-100k's `u.user` become user features
 * (`gender`, `age` as ml-1m's age group, `occupation`, `zip` = the zip code's
 * first character) when present; when absent, the log's `notes` say so.
 * Header and blank lines are counted in `skipped`, never dropped silently;
 * any malformed line is an error.
 *
 * @param name A key of {@linkcode MOVIELENS_FORMATS}, e.g. `"ml-1m"`.
 * @param dir The folder holding the release's files.
 * @param options `onBadLine`: stop at a malformed ratings line (default) or
 *   count and skip it.
 * @returns The interaction log, named `name`.
 * @throws {RangeError} If the name is not a known release.
 * @throws {Deno.errors.NotFound} If the ratings file is missing.
 * @throws {DataFormatError} On a malformed line or an empty file, naming the
 *   file and the line. Every message starts with `Cannot load dataset "<name>": `.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadMovieLens } from "./movielens.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/ratings.dat`, "1::1193::5::978300760\n");
 * await Deno.writeTextFile(`${dir}/movies.dat`, "1193::One Flew Over the Cuckoo's Nest (1975)::Drama\n");
 * const log = await loadMovieLens("ml-1m", dir);
 * ok(log.ratings?.[0] === 5);
 * ok(log.itemFeatures?.fields.genres.get("1193")?.[0] === "Drama");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadMovieLens(
  name: string,
  dir: string,
  options: LoadOptions = {},
): Promise<InteractionLog> {
  try {
    const format = formatOf(name);
    const ratingsPath = join(dir, format.ratingsFile);
    if (!(await isFile(ratingsPath))) {
      throw new Deno.errors.NotFound(`file "${ratingsPath}" not found`);
    }
    const builder = new InteractionLogBuilder(name, { withRatings: true });
    await readRatings(ratingsPath, format, builder, options);
    const itemsPath = join(dir, format.itemsFile);
    if (await isFile(itemsPath)) {
      const movies = new Movies();
      if (format.itemsLayout === "u.item") {
        const genresPath = join(dir, format.genresFile ?? "u.genre");
        const genres = (await isFile(genresPath))
          ? await readGenreNames(genresPath, format.encoding, builder)
          : ML100K_GENRES;
        await readUItem(itemsPath, genres, format.encoding, movies, builder);
      } else if (format.itemsLayout === "movies.dat") {
        await readMoviesDat(itemsPath, format.encoding, movies, builder);
      } else {
        await readMoviesCsv(itemsPath, format.encoding, movies, builder);
      }
      builder.itemFeatures = { titles: movies.titles, fields: { genres: movies.genres } };
    }
    if (format.usersFile) await readUsers(join(dir, format.usersFile), format.usersFile, builder);
    const log = builder.finish();
    if (!(await isFile(itemsPath))) {
      // Said, not silent: without it the items have no titles or genres, so diversity
      // bins fall back to item clusters and models that need side features cannot run.
      log.notes = [
        ...log.notes ?? [],
        `no "${itemsPath}": the items have no titles or genres`,
      ];
    }
    return log;
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}

function formatOf(name: string): MovieLensFormat {
  if (!Object.hasOwn(MOVIELENS_FORMATS, name)) {
    const known = Object.keys(MOVIELENS_FORMATS).join(", ");
    throw new RangeError(`unknown MovieLens release "${name}" (known: ${known})`);
  }
  return MOVIELENS_FORMATS[name];
}

async function readRatings(
  path: string,
  format: MovieLensFormat,
  builder: InteractionLogBuilder,
  options: LoadOptions,
): Promise<void> {
  const { separator, ratingsHeader } = format;
  // Plain split, not the CSV parser: ratings files hold numbers only, and a
  // quoted number fails the checks below rather than being misread.
  const { lastLine, records } = await forEachRecord(
    path,
    {
      separator,
      onBadLine: options.onBadLine,
      ...(ratingsHeader === undefined
        ? {}
        : { header: (text) => checkHeader(text, ratingsHeader, path) }),
    },
    builder,
    (fields, where) => {
      checkFieldCount(fields, 4, separator, where);
      const [user, item, rating, time] = fields;
      builder.add(
        checkId(user, "user id", where),
        checkId(item, "movie id", where),
        toTimestamp(time, where),
        toRating(rating, where),
      );
    },
  );
  if (records === 0) {
    throw new DataFormatError("expected a rating, found the end of the file", {
      file: path,
      line: lastLine + 1,
    });
  }
}

/** Titles and genres by raw movie id, refusing duplicates. */
class Movies {
  readonly titles = new Map<string, string>();
  readonly genres = new Map<string, string[]>();
  readonly #lines = new Map<string, number>();

  add(id: string, title: string, genres: string[], where: { file: string; line: number }): void {
    const first = this.#lines.get(id);
    if (first !== undefined) {
      throw new DataFormatError(`movie id ${id} already appeared on line ${first}`, where);
    }
    this.#lines.set(id, where.line);
    this.titles.set(id, title);
    this.genres.set(id, genres);
  }

  get size(): number {
    return this.#lines.size;
  }
}

async function readGenreNames(
  path: string,
  encoding: TextEncodingName,
  builder: InteractionLogBuilder,
): Promise<string[]> {
  const names: string[] = [];
  const { lastLine } = await forEachRecord(
    path,
    { encoding, separator: "|" },
    builder,
    (fields, where) => {
      checkFieldCount(fields, 2, "|", where);
      if (fields[1] !== String(names.length)) {
        throw new DataFormatError(
          `expected genre index ${names.length}, found ${JSON.stringify(fields[1])}`,
          where,
        );
      }
      names.push(fields[0]);
    },
  );
  if (names.length === 0) {
    throw new DataFormatError("expected a genre, found the end of the file", {
      file: path,
      line: lastLine + 1,
    });
  }
  return names;
}

async function readUItem(
  path: string,
  genreNames: readonly string[],
  encoding: TextEncodingName,
  movies: Movies,
  builder: InteractionLogBuilder,
): Promise<void> {
  // id | title | release date | video release date | IMDb URL | one 0/1 flag per genre
  const { lastLine } = await forEachRecord(
    path,
    { encoding, separator: "|" },
    builder,
    (fields, where) => {
      checkFieldCount(fields, 5 + genreNames.length, "|", where);
      const genres: string[] = [];
      genreNames.forEach((genre, k) => {
        const flag = fields[5 + k];
        if (flag === "1") genres.push(genre);
        else if (flag !== "0") {
          throw new DataFormatError(
            `genre flag for "${genre}" must be 0 or 1, found ${JSON.stringify(flag)}`,
            where,
          );
        }
      });
      movies.add(checkId(fields[0], "movie id", where), fields[1], genres, where);
    },
  );
  checkNotEmpty(movies, path, lastLine);
}

async function readMoviesDat(
  path: string,
  encoding: TextEncodingName,
  movies: Movies,
  builder: InteractionLogBuilder,
): Promise<void> {
  const { lastLine } = await forEachRecord(
    path,
    { encoding, separator: "::" },
    builder,
    (fields, where) => {
      checkFieldCount(fields, 3, "::", where);
      movies.add(checkId(fields[0], "movie id", where), fields[1], splitGenres(fields[2]), where);
    },
  );
  checkNotEmpty(movies, path, lastLine);
}

const MOVIES_CSV_HEADER = "movieId,title,genres";

async function readMoviesCsv(
  path: string,
  encoding: TextEncodingName,
  movies: Movies,
  builder: InteractionLogBuilder,
): Promise<void> {
  let lastLine = 0;
  for await (const { fields, line } of readCsvRecords(path, { encoding })) {
    lastLine = line;
    if (line === 1) {
      checkHeader(fields.join(","), MOVIES_CSV_HEADER, path);
      builder.skip("header");
      continue;
    }
    if (fields.length === 1 && fields[0] === "") {
      builder.skip("blank line");
      continue;
    }
    const where = { file: path, line };
    checkFieldCount(fields, 3, ",", where);
    movies.add(checkId(fields[0], "movie id", where), fields[1], splitGenres(fields[2]), where);
  }
  if (lastLine === 0) checkHeader(undefined, MOVIES_CSV_HEADER, path);
  checkNotEmpty(movies, path, lastLine);
}

const USER_FIELDS = ["gender", "age", "occupation", "zip"] as const;
const ML1M_OCCUPATIONS = 21;

/**
 * Reads the user demographics file when present (a note in the log when not):
 * `users.dat` is `UserID::Gender::Age::Occupation::Zip-code` (age an ml-1m
 * group code, occupation a code 0-20); `u.user` is
 * `user id | age | gender | occupation | zip code` (age in years, bucketed
 * into ml-1m's groups; occupation a name).
 */
async function readUsers(
  path: string,
  layout: "u.user" | "users.dat",
  builder: InteractionLogBuilder,
): Promise<void> {
  if (!(await isFile(path))) {
    builder.notes.push(`no "${path}": the users have no demographics`);
    return;
  }
  const users = new Demographics(USER_FIELDS);
  const separator = layout === "users.dat" ? "::" : "|";
  const { lastLine } = await forEachRecord(
    path,
    { encoding: "latin1", separator },
    builder,
    (fields, where) => {
      checkFieldCount(fields, 5, separator, where);
      const [user, gender, age, occupation, zip] = layout === "users.dat"
        ? fields
        : [fields[0], fields[2], fields[1], fields[3], fields[4]];
      if (gender !== "M" && gender !== "F") {
        throw new DataFormatError(`gender must be M or F, found ${JSON.stringify(gender)}`, where);
      }
      let group: string;
      if (layout === "users.dat") {
        if (!AGE_GROUPS.map(String).includes(age)) {
          throw new DataFormatError(
            `age must be one of the age group codes ${AGE_GROUPS.join(", ")}, found ${
              JSON.stringify(age)
            }`,
            where,
          );
        }
        group = age;
        const code = Number(occupation);
        if (!/^\d+$/.test(occupation) || code >= ML1M_OCCUPATIONS) {
          throw new DataFormatError(
            `occupation must be a code from 0 to ${ML1M_OCCUPATIONS - 1}, found ${
              JSON.stringify(occupation)
            }`,
            where,
          );
        }
      } else {
        if (!/^\d+$/.test(age)) {
          throw new DataFormatError(`age must be whole years, found ${JSON.stringify(age)}`, where);
        }
        group = ageGroup(Number(age));
        if (occupation === "") throw new DataFormatError("occupation is empty", where);
      }
      users.add(checkId(user, "user id", where), {
        gender,
        age: group,
        occupation,
        zip: zip.slice(0, 1).toUpperCase(),
      }, where);
    },
  );
  if (users.size === 0) {
    throw new DataFormatError("expected a user, found the end of the file", {
      file: path,
      line: lastLine + 1,
    });
  }
  builder.userFeatures = users.finish(path);
}

function splitGenres(field: string): string[] {
  return field === "" || field === NO_GENRES ? [] : field.split("|");
}

function checkNotEmpty(movies: Movies, file: string, lastLine: number): void {
  if (movies.size === 0) {
    throw new DataFormatError("expected a movie, found the end of the file", {
      file,
      line: lastLine + 1,
    });
  }
}
