/**
 * The data flags `deno task bench` and `deno task data` share: loader
 * options, preparation options, the split source and the cache.
 *
 * @module
 */
import type { BadLinePolicy, LineRules } from "./_records.ts";
import type { ReadOptions } from "./datasets.ts";
import type { SplitSource } from "./load.ts";
import type { PrepareOptions } from "./prepare.ts";

/** The default cache folder of the command-line tools (git-ignored). */
export const DEFAULT_CACHE_DIR = ".cache/datasets";

/** `node:util` `parseArgs` specs of the data flags. */
export const DATA_FLAG_SPECS = {
  "on-bad-line": { type: "string" },
  "max-line-length": { type: "string" },
  "max-bad-lines": { type: "string" },
  events: { type: "string" },
  "min-rating": { type: "string" },
  "min-item-count": { type: "string" },
  "min-user-count": { type: "string" },
  filter: { type: "string" },
  dedupe: { type: "string" },
  "min-seq-len": { type: "string" },
  "time-window": { type: "string" },
  split: { type: "string" },
  "cache-dir": { type: "string" },
  "no-cache": { type: "boolean" },
} as const;

/** Usage lines of the data flags. */
export const DATA_FLAGS_USAGE =
  `  --on-bad-line P       error (default): stop at a malformed line with its file and line;
                        skip: count every skipped line by reason in the report
  --max-line-length N   longest line accepted, in characters (default 1048576); a longer one
                        is a bad line (stops the run, or is skipped and counted)
  --max-bad-lines N|P%  with --on-bad-line skip: stop once a file has more than N bad lines,
                        or (P%) at the end of a file whose bad lines exceed P% of its lines
  --events a,b          event types to keep (RetailRocket: view [default], addtocart, transaction)
  --min-rating X        implicit feedback: keep events rated at least X
  --min-item-count N    items seen at least N times (default 5)
  --min-user-count N    then users with at least N events (default 5)
  --filter F            one-pass (default, as in the papers) or k-core (iterate to a fixed point)
  --dedupe D            repeated user-item events: keep-all (default) or keep-first
  --min-seq-len N       after the filter, drop users with fewer than N events
  --time-window S,E     keep events with S <= time < E (source units; either side may be empty)
  --split S             protocol (default): split as the protocol says; given: evaluate the
                        dataset's predefined split as is (lightgcn-*, recbole:<name>,
                        given:<format> with train/, valid/, test/ folders: --protocol cf;
                        comirec:<name>, ComiRec's / REMI's <name>_data/ files: --protocol sequential)
  --cache-dir DIR       prepared-data cache (default ${DEFAULT_CACHE_DIR}); --no-cache to bypass
`;

/** What the data flags set. */
export interface DataFlagOptions {
  /** Loader options. */
  read?: ReadOptions;
  /** Preparation overrides. */
  prepare?: PrepareOptions;
  /** Split source. */
  split?: SplitSource;
  /** Cache folder (absent with `--no-cache`). */
  cacheDir?: string;
}

type Values = {
  [K in keyof typeof DATA_FLAG_SPECS]?: (typeof DATA_FLAG_SPECS)[K]["type"] extends "boolean"
    ? boolean
    : string;
};

/**
 * Turns parsed data flags into options.
 *
 * @param values The `values` of `parseArgs` with {@linkcode DATA_FLAG_SPECS}.
 * @returns Loader, preparation, split and cache options.
 * @throws {RangeError} On a value out of range.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { dataOptionsFrom } from "./cli_options.ts";
 * const o = dataOptionsFrom({ dedupe: "keep-first", "on-bad-line": "skip" });
 * ok(o.prepare?.dedupe === "keep-first" && o.read?.onBadLine === "skip");
 * ok(o.cacheDir === ".cache/datasets");
 * ```
 */
export function dataOptionsFrom(values: Values): DataFlagOptions {
  const out: DataFlagOptions = {};
  const read: ReadOptions = {};
  const policy = values["on-bad-line"];
  const action = policy === undefined
    ? undefined
    : oneOf(policy, ["error", "skip"], "--on-bad-line") as BadLinePolicy;
  const rules: LineRules = {};
  if (values["max-line-length"] !== undefined) {
    rules.maxLineLength = count(values["max-line-length"], "--max-line-length");
    if (rules.maxLineLength === 0) throw new RangeError("--max-line-length must be at least 1");
  }
  const maxBad = values["max-bad-lines"];
  if (maxBad !== undefined) {
    if (action !== "skip") throw new RangeError("--max-bad-lines needs --on-bad-line skip");
    const share = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(maxBad);
    if (share) {
      const p = Number(share[1]);
      if (p >= 100) throw new RangeError(`--max-bad-lines share must be below 100%, got ${maxBad}`);
      rules.maxBadLines = { share: p / 100 };
    } else {
      rules.maxBadLines = count(maxBad, "--max-bad-lines (a count N or a share like 5%)");
    }
  }
  if (Object.keys(rules).length > 0) read.onBadLine = { ...(action ? { action } : {}), ...rules };
  else if (action !== undefined) read.onBadLine = action;
  if (values.events !== undefined) {
    read.events = values.events.split(",").map((s) => s.trim()).filter((s) => s !== "");
  }
  if (Object.keys(read).length > 0) out.read = read;
  const prepare: PrepareOptions = {};
  if (values["min-rating"] !== undefined) {
    prepare.minRating = number(values["min-rating"], "--min-rating");
  }
  if (values["min-item-count"] !== undefined) {
    prepare.minItemCount = count(values["min-item-count"], "--min-item-count");
  }
  if (values["min-user-count"] !== undefined) {
    prepare.minUserCount = count(values["min-user-count"], "--min-user-count");
  }
  if (values.filter !== undefined) {
    prepare.filter = oneOf(values.filter, ["one-pass", "k-core"], "--filter") as "one-pass";
  }
  if (values.dedupe !== undefined) {
    prepare.dedupe = oneOf(values.dedupe, ["keep-all", "keep-first"], "--dedupe") as "keep-all";
  }
  if (values["min-seq-len"] !== undefined) {
    prepare.minSequenceLength = count(values["min-seq-len"], "--min-seq-len");
  }
  const window = values["time-window"];
  if (window !== undefined) {
    const parts = window.split(",");
    if (parts.length !== 2) {
      throw new RangeError(`--time-window expects START,END, got "${window}"`);
    }
    const [start, end] = parts.map((p) => p.trim());
    prepare.timeWindow = {
      ...(start !== "" ? { start: number(start, "--time-window start") } : {}),
      ...(end !== "" ? { end: number(end, "--time-window end") } : {}),
    };
  }
  if (Object.keys(prepare).length > 0) out.prepare = prepare;
  if (values.split !== undefined) {
    out.split = oneOf(values.split, ["protocol", "given"], "--split") as SplitSource;
  }
  if (!values["no-cache"]) out.cacheDir = values["cache-dir"] ?? DEFAULT_CACHE_DIR;
  return out;
}

function oneOf(value: string, allowed: readonly string[], flag: string): string {
  if (!allowed.includes(value)) {
    throw new RangeError(`${flag} must be ${allowed.join(" or ")}, got "${value}"`);
  }
  return value;
}

function number(value: string, flag: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) {
    throw new RangeError(`${flag} must be a number, got "${value}"`);
  }
  return n;
}

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`${flag} must be a non-negative integer, got "${value}"`);
  }
  return n;
}
