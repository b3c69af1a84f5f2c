/**
 * Dataset sources beyond MovieLens: Gowalla, RetailRocket, the Amazon 2014
 * categories, the LightGCN / NGCF published splits and any RecBole atomic
 * dataset (`recbole:<name>`). `datasets.ts` lists them under `--datasets`.
 *
 * @module
 */
import { findDataFile, isFile, join } from "./_records.ts";
import { loadAmazonRatings, loadAmazonReviews } from "./amazon.ts";
import { BOOKCROSSING_FILES, loadBookCrossing } from "./bookcrossing.ts";
import { comiRecFiles, readComiRecSplit } from "./comirec.ts";
import type { DatasetSource, ReadOptions } from "./datasets.ts";
import type { InteractionLog } from "./dataset.ts";
import { loadUserItemLists, mergeLogs } from "./given_split.ts";
import { GOWALLA_FILE, loadGowalla } from "./gowalla.ts";
import { loadRecBole } from "./recbole.ts";
import { loadRetailRocket, type RetailRocketEvent } from "./retailrocket.ts";

/**
 * The Amazon 2014 categories, as they appear in the file names
 * (`reviews_<Category>_5.json.gz`). The dataset name is `amazon-` and the
 * category in lower case with `-` for `_` (`amazon-books`, `amazon-baby`).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { AMAZON_CATEGORIES } from "./sources.ts";
 * ok(AMAZON_CATEGORIES.includes("Books"));
 * ```
 */
export const AMAZON_CATEGORIES: readonly string[] = [
  "Amazon_Instant_Video",
  "Apps_for_Android",
  "Automotive",
  "Baby",
  "Beauty",
  "Books",
  "CDs_and_Vinyl",
  "Cell_Phones_and_Accessories",
  "Clothing_Shoes_and_Jewelry",
  "Digital_Music",
  "Electronics",
  "Grocery_and_Gourmet_Food",
  "Health_and_Personal_Care",
  "Home_and_Kitchen",
  "Kindle_Store",
  "Movies_and_TV",
  "Musical_Instruments",
  "Office_Products",
  "Patio_Lawn_and_Garden",
  "Pet_Supplies",
  "Sports_and_Outdoors",
  "Tools_and_Home_Improvement",
  "Toys_and_Games",
  "Video_Games",
];

/** The papers' filter, the default of every real dataset. */
const FIVE_FILTER = { minItemCount: 5, minUserCount: 5 } as const;

function needDataDir(name: string, dataDir: string | undefined): string {
  if (dataDir === undefined) {
    throw new TypeError(
      `Dataset "${name}" is read from its original files: pass --data-dir pointing at the folder that holds them`,
    );
  }
  return dataDir;
}

function noEvents(name: string, options: ReadOptions): void {
  if (options.events !== undefined) {
    throw new RangeError(`Dataset "${name}" has no event types; --events applies to retailrocket`);
  }
}

/** A source that reads one file found under `dataDir`. */
function fileSource(
  name: string,
  description: string,
  names: readonly string[],
  load: (path: string, options: ReadOptions) => Promise<InteractionLog>,
): DatasetSource {
  const locate = (dataDir: string | undefined) =>
    findDataFile(needDataDir(name, dataDir), name, names).catch((error) => {
      throw new Deno.errors.NotFound(`Cannot find dataset "${name}": ${error.message}`);
    });
  return {
    name,
    description,
    needsDataDir: true,
    prepare: FIVE_FILTER,
    files: async (dataDir) => [await locate(dataDir)],
    read: async (dataDir, options = {}) => load(await locate(dataDir), options),
  };
}

function amazonSource(category: string): DatasetSource {
  const name = `amazon-${category.toLowerCase().replaceAll("_", "-")}`;
  const reviews = `reviews_${category}_5.json`;
  const ratings = `ratings_${category}.csv`;
  const meta = `meta_${category}.json`;
  const locate = async (dataDir: string | undefined) => {
    const dir = needDataDir(name, dataDir);
    const main = await findDataFile(dir, name, [reviews, ratings]).catch((error) => {
      throw new Deno.errors.NotFound(`Cannot find dataset "${name}": ${error.message}`);
    });
    const folder = main.slice(0, main.lastIndexOf("/"));
    let metaPath: string | undefined;
    for (const candidate of [join(folder, meta), join(folder, `${meta}.gz`)]) {
      if (!metaPath && await isFile(candidate)) metaPath = candidate;
    }
    return { main, metaPath };
  };
  return {
    name,
    description: `Amazon ${
      category.replaceAll("_", " ")
    } (2014): ${reviews} or ${ratings}, titles and categories from ${meta} if present`,
    needsDataDir: true,
    prepare: FIVE_FILTER,
    files: async (dataDir) => {
      const { main, metaPath } = await locate(dataDir);
      return metaPath ? [main, metaPath] : [main];
    },
    read: async (dataDir, options = {}) => {
      noEvents(name, options);
      const { main, metaPath } = await locate(dataDir);
      const load = /\.json(\.gz)?$/.test(main) ? loadAmazonReviews : loadAmazonRatings;
      return await load(main, {
        name,
        ...(metaPath ? { metaPath } : {}),
        ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}),
      });
    },
  };
}

/**
 * BookCrossing: `BX-Book-Ratings.csv` (required), `BX-Books.csv` and
 * `BX-Users.csv` (optional) under `dataDir/bookcrossing/` or `dataDir`.
 */
function bookCrossingSource(): DatasetSource {
  const name = "bookcrossing";
  const locate = async (dataDir: string | undefined) => {
    const ratings = await findDataFile(needDataDir(name, dataDir), name, [
      BOOKCROSSING_FILES.ratings,
    ]).catch((error) => {
      throw new Deno.errors.NotFound(`Cannot find dataset "${name}": ${error.message}`);
    });
    return ratings.slice(0, ratings.lastIndexOf("/"));
  };
  return {
    name,
    description:
      "BookCrossing (BX-Book-Ratings.csv; books and users files optional): implicit 0 and explicit 1-10 ratings, --min-rating 1 for explicit only; author, publisher, year as item fields; age group and country as user fields",
    needsDataDir: true,
    prepare: FIVE_FILTER,
    files: async (dataDir) => {
      const dir = await locate(dataDir);
      const found: string[] = [];
      for (const file of Object.values(BOOKCROSSING_FILES)) {
        if (await isFile(join(dir, file))) found.push(join(dir, file));
      }
      return found;
    },
    read: async (dataDir, options = {}) => {
      noEvents(name, options);
      return await loadBookCrossing(await locate(dataDir), {
        ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}),
      });
    },
  };
}

/** A published NGCF / LightGCN split: `train.txt` and `test.txt` under `dataDir/<name>/`. */
function lightGcnSource(name: string, what: string): DatasetSource {
  const locate = async (dataDir: string | undefined) => {
    const dir = needDataDir(name, dataDir);
    const found = async (file: string) =>
      await findDataFile(dir, name, [file]).catch((error) => {
        throw new Deno.errors.NotFound(`Cannot find dataset "${name}": ${error.message}`);
      });
    return { train: await found("train.txt"), test: await found("test.txt") };
  };
  const readGiven = async (dataDir: string | undefined, options: ReadOptions = {}) => {
    noEvents(name, options);
    const { train, test } = await locate(dataDir);
    const o = { name, ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}) };
    return { train: await loadUserItemLists(train, o), test: await loadUserItemLists(test, o) };
  };
  return {
    name,
    description:
      `${what} as published with LightGCN (train.txt, test.txt); use --split given to evaluate it as given`,
    needsDataDir: true,
    prepare: { minItemCount: 1, minUserCount: 1 },
    files: async (dataDir) => Object.values(await locate(dataDir)),
    read: async (dataDir, options) => {
      const { train, test } = await readGiven(dataDir, options);
      return mergeLogs(name, [train, test]);
    },
    readGiven,
  };
}

/**
 * A RecBole atomic dataset `recbole:<name>`, read from
 * `dataDir/<name>/<name>.inter` (and `.item`, `.user`); with `--split given`,
 * from RecBole's benchmark files `<name>.train.inter`, `<name>.valid.inter`
 * (optional) and `<name>.test.inter`.
 *
 * @param name The RecBole dataset name, e.g. `ml-100k`.
 * @returns The source, named `recbole:<name>`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { recBoleSource } from "./sources.ts";
 * ok(recBoleSource("ml-100k").name === "recbole:ml-100k");
 * ```
 */
export function recBoleSource(name: string): DatasetSource {
  const id = `recbole:${name}`;
  const folder = async (dataDir: string | undefined, suffix: string) => {
    const dir = needDataDir(id, dataDir);
    for (const candidate of [join(dir, name), dir]) {
      if (await isFile(join(candidate, `${name}.${suffix}`))) return candidate;
    }
    throw new Deno.errors.NotFound(
      `Cannot find dataset "${id}": no "${name}.${suffix}" in "${join(dir, name)}" or "${dir}"`,
    );
  };
  const listFiles = async (dir: string, suffixes: string[]) => {
    const out: string[] = [];
    for (const s of suffixes) {
      if (await isFile(join(dir, `${name}.${s}`))) out.push(join(dir, `${name}.${s}`));
    }
    return out;
  };
  return {
    name: id,
    description:
      `RecBole atomic files ${name}.inter (.item, .user) from the RecBole dataset collection`,
    needsDataDir: true,
    prepare: FIVE_FILTER,
    files: async (dataDir) => {
      const dir = await folder(dataDir, "inter").catch((error) =>
        folder(dataDir, "train.inter").catch(() => Promise.reject(error))
      );
      return await listFiles(dir, [
        "inter",
        "item",
        "user",
        "train.inter",
        "valid.inter",
        "test.inter",
      ]);
    },
    read: async (dataDir, options = {}) => {
      noEvents(id, options);
      return await loadRecBole(await folder(dataDir, "inter"), name, { ...options, logName: id });
    },
    readGiven: async (dataDir, options = {}) => {
      noEvents(id, options);
      const dir = await folder(dataDir, "train.inter");
      const part = (interSuffix: string) =>
        loadRecBole(dir, name, { ...options, interSuffix, logName: id });
      const valid = await isFile(join(dir, `${name}.valid.inter`));
      return {
        train: await part("train.inter"),
        ...(valid ? { valid: await part("valid.inter") } : {}),
        test: await part("test.inter"),
      };
    },
  };
}

/**
 * A split in ComiRec's and REMI's format, `comirec:<name>`: the files
 * `<name>_data/<name>_{train,valid,test}.txt` under `dataDir` (see
 * `comirec.ts`), evaluated as given with `--split given --protocol
 * sequential`; nothing is re-filtered or re-split.
 *
 * @param name The file stem, e.g. `book`.
 * @returns The source, named `comirec:<name>`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { comiRecSource } from "./sources.ts";
 * ok(comiRecSource("book").name === "comirec:book" && comiRecSource("book").readGiven);
 * ```
 */
export function comiRecSource(name: string): DatasetSource {
  const id = `comirec:${name}`;
  return {
    name: id,
    description:
      `A split in ComiRec's / REMI's format (${name}_data/${name}_train.txt, _valid, _test); use --split given --protocol sequential`,
    needsDataDir: true,
    prepare: { minItemCount: 1, minUserCount: 1 },
    files: async (dataDir) => await comiRecFiles(needDataDir(id, dataDir), name),
    read: () => {
      throw new RangeError(
        `Dataset "${id}" is a predefined split: use --split given --protocol sequential`,
      );
    },
    readGiven: async (dataDir, options = {}) => {
      noEvents(id, options);
      return await readComiRecSplit(needDataDir(id, dataDir), name, {
        ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}),
      });
    },
  };
}

/**
 * The sources this module adds, by name.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { MORE_DATASETS } from "./sources.ts";
 * ok(MORE_DATASETS["gowalla"].needsDataDir && MORE_DATASETS["amazon-books"] !== undefined);
 * ```
 */
export const MORE_DATASETS: Readonly<Record<string, DatasetSource>> = {
  gowalla: fileSource(
    "gowalla",
    `Gowalla check-ins from SNAP (${GOWALLA_FILE}[.gz]); locations are items`,
    [GOWALLA_FILE],
    (path, options) => {
      noEvents("gowalla", options);
      return loadGowalla(path, { ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}) });
    },
  ),
  retailrocket: fileSource(
    "retailrocket",
    "RetailRocket events.csv (views only by default, as in REMI; --events to choose)",
    ["events.csv"],
    (path, options) =>
      loadRetailRocket(path, {
        ...(options.onBadLine ? { onBadLine: options.onBadLine } : {}),
        ...(options.events ? { events: options.events as RetailRocketEvent[] } : {}),
      }),
  ),
  ...Object.fromEntries(AMAZON_CATEGORIES.map((c) => {
    const s = amazonSource(c);
    return [s.name, s];
  })),
  bookcrossing: bookCrossingSource(),
  "lightgcn-gowalla": lightGcnSource("lightgcn-gowalla", "Gowalla"),
  "lightgcn-yelp2018": lightGcnSource("lightgcn-yelp2018", "Yelp2018"),
  "lightgcn-amazon-book": lightGcnSource("lightgcn-amazon-book", "Amazon-Book"),
};
