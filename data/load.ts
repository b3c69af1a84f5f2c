/**
 * One entry point from a dataset name to a prepared dataset: read the raw
 * files with the loader options, prepare with the source's defaults and the
 * caller's overrides, optionally as a given split, through the binary cache.
 *
 * @module
 */
import {
  type CacheEntry,
  CacheEntryDamagedError,
  cacheKey,
  readCacheEntry,
  writeCacheEntry,
} from "./cache.ts";
import type { Dataset } from "./dataset.ts";
import { datasetSource, type ReadOptions } from "./datasets.ts";
import { prepareGiven } from "./given_split.ts";
import { prepareDataset, type PrepareOptions } from "./prepare.ts";
import { lineRules, type Where } from "./_records.ts";

/** How the data is split: by the protocol (default), or as the files give it. */
export type SplitSource = "protocol" | "given";

/** Options of {@linkcode loadDataset}. */
export interface LoadDatasetOptions {
  /** Folder of original files (`--data-dir`). */
  dataDir?: string;
  /** Loader options: bad-line policy, event types. */
  read?: ReadOptions;
  /** Preparation options over the source's defaults. */
  prepare?: PrepareOptions;
  /** `given` reads the source's predefined split. @default {"protocol"} */
  split?: SplitSource;
  /** Folder of the prepared-data cache; no caching when absent. */
  cacheDir?: string;
  /** Told when reading starts, preparing starts, and when it is all done (for timing). */
  onPhase?: (phase: "read" | "prepare" | "done") => void;
  /**
   * Told what the caller should know: a damaged cache entry (rebuilt from the
   * raw files), bad lines skipped, a missing optional file. @default {console.error}
   */
  onWarning?: (message: string) => void;
}

/** A prepared dataset, and where it came from. */
export interface LoadedDataset {
  /** The dataset. */
  dataset: Dataset;
  /** For `split: "given"`: each interaction's part (0 train, 1 valid, 2 test). */
  parts?: Uint8Array;
  /** `hit` when read from the cache, `miss` when parsed and stored, `off` without a cache. */
  cache: "hit" | "miss" | "off";
  /** The cache entry's path, when caching. */
  cachePath?: string;
  /** Why a damaged cache entry was rebuilt (its file and what was wrong). */
  cacheRebuilt?: string;
}

/**
 * Loads and prepares a named dataset. With `cacheDir`, the result is stored
 * under a key of the raw files' SHA-256 and every option, and a later call
 * with the same files and options reads it back without parsing.
 *
 * @param name A dataset name (see `DATASETS`, or `recbole:<name>`).
 * @param options Data folder, loader and preparation options, split, cache.
 * @returns The dataset.
 * @throws {RangeError} For an unknown name, or `split: "given"` on a source without one.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadDataset } from "./load.ts";
 * const { dataset, cache } = await loadDataset("synthetic");
 * ok(dataset.numUsers === 2000 && cache === "off");
 * ```
 */
export async function loadDataset(
  name: string,
  options: LoadDatasetOptions = {},
): Promise<LoadedDataset> {
  const source = datasetSource(name);
  const split = options.split ?? "protocol";
  if (split === "given" && !source.readGiven) {
    throw new RangeError(
      `Dataset "${name}" has no predefined split; --split given needs one (lightgcn-*, recbole:<name> with <name>.train.inter)`,
    );
  }
  const prepare: PrepareOptions = split === "given"
    ? { minItemCount: 1, minUserCount: 1, ...options.prepare }
    : { ...source.prepare, ...options.prepare };
  const phase = options.onPhase ?? (() => {});
  const warn = options.onWarning ?? console.error;
  let cachePath: string | undefined;
  let cacheRebuilt: string | undefined;
  if (options.cacheDir !== undefined && source.files) {
    const files = await source.files(options.dataDir);
    if (files.length > 0) {
      const key = await cacheKey(files, { name, split, read: options.read ?? {}, prepare });
      cachePath = `${options.cacheDir}/${safeName(name)}-${key.slice(0, 32)}.bin`;
      let hit: CacheEntry | undefined;
      try {
        hit = await readCacheEntry(cachePath);
      } catch (error) {
        if (!(error instanceof CacheEntryDamagedError)) throw error;
        cacheRebuilt = `${error.message}; rebuilt from the raw files`;
        warn(cacheRebuilt);
      }
      if (hit && (split !== "given" || hit.parts)) {
        const skipped = describeSkipped(name, hit.dataset.preparation.skipped, new Map());
        if (skipped) warn(`${skipped} (read from the cache ${cachePath})`);
        for (const note of hit.dataset.preparation.notes ?? []) warn(`${name}: ${note}`);
        phase("done");
        return { ...hit, cache: "hit", cachePath };
      }
    }
  }
  phase("read");
  // The first few line numbers of each kind of bad line, for the console.
  const firstLines = new Map<string, Where[]>();
  const rules = lineRules(options.read?.onBadLine);
  const read = {
    ...options.read,
    onBadLine: {
      ...rules,
      onSkip: (reason: string, where: Where) => {
        rules.onSkip?.(reason, where);
        const list = firstLines.get(reason) ?? [];
        if (list.length < FIRST_LINES) list.push(where);
        firstLines.set(reason, list);
      },
    },
  };
  let dataset: Dataset;
  let parts: Uint8Array | undefined;
  if (split === "given") {
    const logs = await source.readGiven!(options.dataDir, read);
    phase("prepare");
    ({ dataset, parts } = prepareGiven(name, logs, prepare));
  } else {
    const log = await source.read(options.dataDir, read);
    phase("prepare");
    dataset = prepareDataset(log, prepare);
  }
  const skipped = describeSkipped(name, dataset.preparation.skipped, firstLines);
  if (skipped) warn(skipped);
  // What the loader wants said (a missing optional file), on every load.
  for (const note of dataset.preparation.notes ?? []) warn(`${name}: ${note}`);
  if (cachePath) await writeCacheEntry(cachePath, { dataset, ...(parts ? { parts } : {}) });
  phase("done");
  return {
    dataset,
    ...(parts ? { parts } : {}),
    cache: cachePath ? "miss" : "off",
    ...(cachePath ? { cachePath } : {}),
    ...(cacheRebuilt ? { cacheRebuilt } : {}),
  };
}

/** How many line numbers of each kind of bad line are printed. */
const FIRST_LINES = 5;

/**
 * `NAME: skipped N malformed lines: K <reason> (file lines a, b, ...); ...`,
 * or `undefined` when no line was malformed (headers and blank lines aside).
 */
function describeSkipped(
  name: string,
  skipped: Record<string, number>,
  firstLines: Map<string, Where[]>,
): string | undefined {
  const bad = Object.entries(skipped).filter(([reason]) => reason.includes("bad line: "))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (bad.length === 0) return undefined;
  const total = bad.reduce((n, [, k]) => n + k, 0);
  const parts = bad.map(([reason, k]) => {
    // A given split prefixes its reasons with the part ("train: bad line: ...").
    const where = firstLines.get(reason.slice(reason.indexOf("bad line: "))) ?? [];
    const files = [...new Set(where.map((w) => w.file))];
    const lines = files.map((f) =>
      `${f.slice(f.lastIndexOf("/") + 1)} line${where.length > 1 ? "s" : ""} ${
        where.filter((w) => w.file === f).map((w) => w.line).join(", ")
      }${k > where.length ? ", ..." : ""}`
    );
    return `${k} ${reason}${lines.length > 0 ? ` (${lines.join("; ")})` : ""}`;
  });
  return `${name}: skipped ${total} malformed line${total === 1 ? "" : "s"} ` +
    `(--on-bad-line skip): ${parts.join("; ")}`;
}

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, "_");
}
