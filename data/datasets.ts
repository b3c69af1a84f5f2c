/**
 * Named datasets: the embedded synthetic default and the MovieLens family read
 * from their original files under `--data-dir`.
 *
 * @module
 */
import type { InteractionLog } from "./dataset.ts";
import { findMovieLensDir, loadMovieLens, MOVIELENS_FORMATS } from "./movielens.ts";
import type { PrepareOptions } from "./prepare.ts";
import { generateSyntheticLog } from "./synthetic.ts";

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
   * @returns The raw log.
   */
  read(dataDir: string | undefined): Promise<InteractionLog>;
}

/** The embedded default dataset's name. */
export const DEFAULT_DATASET = "synthetic";

function movieLensSource(name: string): DatasetSource {
  return {
    name,
    description: `MovieLens ${
      name.slice(3)
    } from its original files (titles and genres as item features)`,
    needsDataDir: true,
    prepare: { minItemCount: 5, minUserCount: 5 },
    read: async (dataDir) => {
      if (dataDir === undefined) {
        throw new TypeError(
          `Dataset "${name}" is read from its original files: pass --data-dir pointing at the folder that holds them`,
        );
      }
      return await loadMovieLens(name, await findMovieLensDir(name, dataDir));
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
};

/**
 * Looks up a dataset by name.
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
  const source = DATASETS[name];
  if (!source) {
    throw new RangeError(`Unknown dataset "${name}" (known: ${Object.keys(DATASETS).join(", ")})`);
  }
  return source;
}
