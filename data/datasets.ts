/**
 * Named datasets: the embedded synthetic default and the MovieLens family read
 * from their original files under `--data-dir`.
 *
 * @module
 */
import type { LoadOptions } from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import type { GivenLogs } from "./given_split.ts";
import { findMovieLensDir, loadMovieLens, MOVIELENS_FORMATS } from "./movielens.ts";
import { isFile } from "./_records.ts";
import type { PrepareOptions } from "./prepare.ts";
import { comiRecSource, MORE_DATASETS, recBoleSource } from "./sources.ts";
import { generateSyntheticLog } from "./synthetic.ts";

/** Options for reading a dataset's raw files. */
export interface ReadOptions extends LoadOptions {
  /** Event types to keep, for sources that have them (RetailRocket). */
  events?: readonly string[];
}

/** How to read one named dataset. */
export interface DatasetSource {
  /** Name used by `--datasets`. */
  readonly name: string;
  /** One line on what it is. */
  readonly description: string;
  /** Whether it needs `--data-dir`. */
  readonly needsDataDir: boolean;
  /** Preparation defaults for this dataset. */
  readonly prepare: PrepareOptions;
  /**
   * Reads the raw log.
   *
   * @param dataDir The folder given by `--data-dir` (unused by embedded data).
   * @param options Bad-line policy and event filter.
   * @returns The raw log.
   */
  read(dataDir: string | undefined, options?: ReadOptions): Promise<InteractionLog>;
  /**
   * The raw files `read` would read (their checksums key the prepared-data
   * cache); absent for embedded data, which is never cached.
   *
   * @param dataDir The folder given by `--data-dir`.
   * @returns Paths.
   */
  files?(dataDir: string | undefined): Promise<string[]>;
  /**
   * Reads a predefined split (`--split given`), for sources that ship one.
   *
   * @param dataDir The folder given by `--data-dir`.
   * @param options Bad-line policy.
   * @returns The parts.
   */
  readGiven?(dataDir: string | undefined, options?: ReadOptions): Promise<GivenLogs>;
}

/** The embedded default dataset's name. */
export const DEFAULT_DATASET = "synthetic";

function movieLensSource(name: string): DatasetSource {
  return {
    name,
    description: `MovieLens ${
      name.slice(3)
    } from its original files (titles and genres as item features${
      MOVIELENS_FORMATS[name].usersFile
        ? `; ${MOVIELENS_FORMATS[name].usersFile} demographics as user features`
        : ""
    })`,
    needsDataDir: true,
    prepare: { minItemCount: 5, minUserCount: 5 },
    files: async (dataDir) => {
      if (dataDir === undefined) return [];
      const dir = await findMovieLensDir(name, dataDir);
      const f = MOVIELENS_FORMATS[name];
      const names = [
        f.ratingsFile,
        f.itemsFile,
        ...(f.genresFile ? [f.genresFile] : []),
        ...(f.usersFile ? [f.usersFile] : []),
      ];
      const found: string[] = [];
      for (const n of names) if (await isFile(`${dir}/${n}`)) found.push(`${dir}/${n}`);
      return found;
    },
    read: async (dataDir, options = {}) => {
      if (options.events !== undefined) {
        throw new RangeError(
          `Dataset "${name}" has no event types; --events applies to retailrocket`,
        );
      }
      if (dataDir === undefined) {
        throw new TypeError(
          `Dataset "${name}" is read from its original files: pass --data-dir pointing at the folder that holds them`,
        );
      }
      return await loadMovieLens(name, await findMovieLensDir(name, dataDir), options);
    },
  };
}

/** Every dataset `--datasets` accepts, by name. */
export const DATASETS: Readonly<Record<string, DatasetSource>> = {
  synthetic: {
    name: "synthetic",
    description:
      "Embedded synthetic data with planted multi-interest topics (2,000 users, 1,500 items, ~60k events)",
    needsDataDir: false,
    prepare: { minItemCount: 5, minUserCount: 5 },
    read: () => Promise.resolve(generateSyntheticLog()),
  },
  ...Object.fromEntries(Object.keys(MOVIELENS_FORMATS).map((n) => [n, movieLensSource(n)])),
  ...MORE_DATASETS,
};

/**
 * Looks up a dataset by name. `recbole:<name>` names any RecBole atomic
 * dataset.
 *
 * @param name A key of {@linkcode DATASETS}.
 * @returns The source.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { datasetSource } from "./datasets.ts";
 * ok(datasetSource("synthetic").needsDataDir === false);
 * ```
 */
export function datasetSource(name: string): DatasetSource {
  if (name.startsWith("recbole:") && name.length > "recbole:".length) {
    return recBoleSource(name.slice("recbole:".length));
  }
  if (name.startsWith("comirec:") && name.length > "comirec:".length) {
    return comiRecSource(name.slice("comirec:".length));
  }
  if (name.startsWith("given:") && name.length > "given:".length) {
    return givenFoldersSource(name, datasetSource(name.slice("given:".length)));
  }
  const source = Object.hasOwn(DATASETS, name) ? DATASETS[name] : undefined;
  if (!source) {
    throw new RangeError(
      `Unknown dataset "${name}" (known: ${
        Object.keys(DATASETS).join(", ")
      }, recbole:<name>, comirec:<name>, given:<format>)`,
    );
  }
  return source;
}

/**
 * `given:<format>`: a predefined split as two or three folders under
 * `--data-dir`, `train/`, optional `valid/` and `test/`, each holding the
 * files of `<format>` (any other dataset name, e.g. `given:ml-latest-small`
 * reads `train/ratings.csv`, `test/ratings.csv` and so on). Used with
 * `--split given`; nothing is re-filtered or re-split.
 *
 * @param name The full name (`given:<format>`).
 * @param inner The format's source.
 * @returns The source.
 */
function givenFoldersSource(name: string, inner: DatasetSource): DatasetSource {
  const parts = async (dataDir: string | undefined) => {
    if (dataDir === undefined) {
      throw new TypeError(
        `Dataset "${name}" needs --data-dir pointing at a folder with train/, test/ and optionally valid/`,
      );
    }
    const found: Record<string, string> = {};
    for (const part of ["train", "valid", "test"]) {
      try {
        if ((await Deno.stat(`${dataDir}/${part}`)).isDirectory) found[part] = `${dataDir}/${part}`;
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    }
    if (!found.train || !found.test) {
      throw new Deno.errors.NotFound(
        `Cannot find dataset "${name}": "${dataDir}" needs train/ and test/ folders (valid/ is optional), each with the files of "${inner.name}"`,
      );
    }
    return found;
  };
  return {
    name,
    description: `A predefined split in ${inner.name}'s format: train/, valid/ (optional), test/`,
    needsDataDir: true,
    prepare: { minItemCount: 1, minUserCount: 1 },
    read: () => {
      throw new RangeError(`Dataset "${name}" is a predefined split: use --split given`);
    },
    files: async (dataDir) => {
      const found = await parts(dataDir);
      const out: string[] = [];
      for (const dir of Object.values(found)) out.push(...(await inner.files?.(dir) ?? []));
      return out;
    },
    readGiven: async (dataDir, options) => {
      const found = await parts(dataDir);
      const read = (dir: string) => inner.read(dir, options);
      return {
        train: await read(found.train),
        ...(found.valid ? { valid: await read(found.valid) } : {}),
        test: await read(found.test),
      };
    },
  };
}
