/**
 * Writes an interaction log as the files of a MovieLens release, in the
 * original formats, so tests and fixtures can exercise the real loaders.
 *
 * @module
 */
import type { InteractionLog } from "./dataset.ts";
import { ML100K_GENRES } from "./movielens.ts";

/** The layouts {@linkcode writeMovieLensFiles} can write. */
export type MovieLensFixtureFormat = "ml-100k" | "ml-1m" | "ml-latest-small";

/**
 * Writes `log` (which must have ratings) into `dir` as the named release's
 * files: `u.data`, `u.item`, `u.genre` (ml-100k, latin1); `ratings.dat`,
 * `movies.dat` (ml-1m, latin1); `ratings.csv`, `movies.csv` with headers
 * (ml-latest-small, UTF-8, titles quoted when they hold a comma or a quote).
 * Ratings are written as the originals write them: integers for ml-100k and
 * ml-1m, one decimal (`4.0`, `3.5`) for CSV. Events keep the log's order;
 * movies are sorted by id. The movie files are written only when the log has
 * item features. Output is byte-for-byte deterministic.
 *
 * @param log The log to write; raw ids must be integers, times integer seconds.
 * @param dir The folder to write into (created if missing).
 * @param format The release layout.
 * @returns Nothing; resolves when the files are written.
 * @throws {TypeError} If the log has no ratings.
 * @throws {RangeError} If a value cannot be written in the format (a
 *   non-integer id, time or, for ml-100k and ml-1m, rating; a title with the
 *   field separator or a line break; a character outside latin1).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { writeMovieLensFiles } from "./movielens_fixtures.ts";
 * const b = new InteractionLogBuilder("toy", { withRatings: true });
 * b.add("1", "11", 964982703, 4);
 * const dir = await Deno.makeTempDir();
 * await writeMovieLensFiles(b.finish(), dir, "ml-latest-small");
 * ok((await Deno.readTextFile(`${dir}/ratings.csv`)).endsWith("1,11,4.0,964982703\n"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeMovieLensFiles(
  log: InteractionLog,
  dir: string,
  format: MovieLensFixtureFormat,
): Promise<void> {
  const ratings = log.ratings;
  if (!ratings) throw new TypeError(`Log "${log.name}" has no ratings to write`);
  const integerRatings = format !== "ml-latest-small";
  const lines: string[] = format === "ml-latest-small" ? ["userId,movieId,rating,timestamp"] : [];
  const separator = { "ml-100k": "\t", "ml-1m": "::", "ml-latest-small": "," }[format];
  for (let e = 0; e < log.items.length; e++) {
    const user = checkInteger(log.userIds[log.users[e]], "user id");
    const item = checkInteger(log.itemIds[log.items[e]], "movie id");
    const time = checkInteger(log.times[e], "timestamp");
    const rating = formatRating(ratings[e], integerRatings);
    lines.push([user, item, rating, time].join(separator));
  }
  await Deno.mkdir(dir, { recursive: true });
  const ratingsFile = {
    "ml-100k": "u.data",
    "ml-1m": "ratings.dat",
    "ml-latest-small": "ratings.csv",
  };
  await Deno.writeTextFile(`${dir}/${ratingsFile[format]}`, text(lines));
  if (!log.itemFeatures) return;
  const movies = movieRows(log);
  if (format === "ml-100k") await writeUItem(movies, dir);
  else if (format === "ml-1m") await writeMoviesDat(movies, dir);
  else await writeMoviesCsv(movies, dir);
}

interface MovieRow {
  id: string;
  title: string;
  genres: string[];
}

/** Every movie with a rating or a feature, sorted by numeric id. */
function movieRows(log: InteractionLog): MovieRow[] {
  const features = log.itemFeatures!;
  const genres = features.fields.genres ?? new Map<string, string[]>();
  const ids = new Set([...log.itemIds, ...features.titles.keys(), ...genres.keys()]);
  return [...ids]
    .map((id) => checkInteger(id, "movie id"))
    .sort((a, b) => Number(a) - Number(b) || (a < b ? -1 : a > b ? 1 : 0))
    .map((id) => ({ id, title: features.titles.get(id) ?? "", genres: genres.get(id) ?? [] }));
}

async function writeUItem(movies: MovieRow[], dir: string): Promise<void> {
  // The standard 19 columns, then any other genre in sorted order.
  const extra = new Set(movies.flatMap((m) => m.genres).filter((g) => !ML100K_GENRES.includes(g)));
  const names = [...ML100K_GENRES, ...[...extra].sort()];
  const genreLines = names.map((name, index) => `${checkText(name, "|", "genre")}|${index}`);
  const itemLines = movies.map((m) => {
    const flags = names.map((name) => (m.genres.includes(name) ? "1" : "0"));
    // Release dates and the IMDb URL are not in the log: left empty.
    return [m.id, checkText(m.title, "|", "title"), "", "", "", ...flags].join("|");
  });
  await Deno.writeFile(`${dir}/u.genre`, latin1(text(genreLines)));
  await Deno.writeFile(`${dir}/u.item`, latin1(text(itemLines)));
}

async function writeMoviesDat(movies: MovieRow[], dir: string): Promise<void> {
  const rows = movies.map((m) =>
    [m.id, checkText(m.title, "::", "title"), genreField(m.genres, "::")].join("::")
  );
  await Deno.writeFile(`${dir}/movies.dat`, latin1(text(rows)));
}

async function writeMoviesCsv(movies: MovieRow[], dir: string): Promise<void> {
  const rows = movies.map((m) => [m.id, csvField(m.title), csvField(genreField(m.genres, ","))]);
  const lines = ["movieId,title,genres", ...rows.map((r) => r.join(","))];
  await Deno.writeTextFile(`${dir}/movies.csv`, text(lines));
}

function genreField(genres: string[], separator: string): string {
  if (genres.length === 0) return "(no genres listed)";
  for (const g of genres) checkText(g, "|", "genre");
  return separator === "::" ? checkText(genres.join("|"), "::", "genre") : genres.join("|");
}

/** Quotes a CSV field when it holds a comma, a quote or a line break. */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function formatRating(rating: number, integer: boolean): string {
  if (integer) {
    if (!Number.isInteger(rating)) {
      throw new RangeError(`Rating ${rating} cannot be written: this format has integer ratings`);
    }
    return String(rating);
  }
  return Number.isInteger(rating) ? rating.toFixed(1) : String(rating);
}

function checkInteger(value: string | number, what: string): string {
  const s = String(value);
  if (!/^\d+$/.test(s)) throw new RangeError(`${what} ${JSON.stringify(s)} is not an integer`);
  return s;
}

function checkText(value: string, separator: string, what: string): string {
  if (value.includes(separator) || /[\r\n]/.test(value)) {
    throw new RangeError(
      `${what} ${JSON.stringify(value)} holds ${JSON.stringify(separator)} or a line break`,
    );
  }
  return value;
}

function text(lines: string[]): string {
  return lines.length === 0 ? "" : lines.join("\n") + "\n";
}

function latin1(value: string): Uint8Array {
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code > 0xff) {
      throw new RangeError(`Character ${JSON.stringify(value[i])} cannot be written in latin1`);
    }
    bytes[i] = code;
  }
  return bytes;
}
