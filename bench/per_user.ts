/**
 * Per-user metric values of one grid cell, kept beside `results.json` (one
 * small JSON file per cell, one line per metric) so that reports can run
 * paired significance tests without retraining.
 *
 * @module
 */
import { writeTextAtomic } from "./results.ts";

/** Per-user values of one cell. */
export interface PerUserValues {
  /** User indices, in evaluation order. */
  users: number[];
  /** Values per metric key, aligned with `users`. */
  metrics: Record<string, number[]>;
}

/**
 * The per-user file of a cell, relative to the results folder.
 *
 * @param cell Dataset, protocol, seed and model.
 * @returns A path like `per-user/synthetic/cf/seed-1/mostpop.json`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { perUserPath } from "./per_user.ts";
 * ok(perUserPath({ dataset: "ml-1m", protocol: "cf", seed: 2, model: "itemknn" }) === "per-user/ml-1m/cf/seed-2/itemknn.json");
 * ```
 */
export function perUserPath(
  cell: { dataset: string; protocol: string; seed: number; model: string },
): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");
  return `per-user/${safe(cell.dataset)}/${safe(cell.protocol)}/seed-${cell.seed}/${
    safe(cell.model)
  }.json`;
}

/**
 * Writes per-user values (atomically) as `{ "users": [...], "<metric>": [...] }`.
 *
 * @param dir The results folder.
 * @param path Relative path from {@linkcode perUserPath}.
 * @param users User indices.
 * @param perUser Values per metric, aligned with `users`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readPerUser, writePerUser } from "./per_user.ts";
 * const dir = await Deno.makeTempDir();
 * await writePerUser(dir, "per-user/a.json", Int32Array.of(3, 5), { "recall@20": Float64Array.of(0.5, 1) });
 * ok((await readPerUser(dir, "per-user/a.json")).metrics["recall@20"][1] === 1);
 * ```
 */
export async function writePerUser(
  dir: string,
  path: string,
  users: ArrayLike<number>,
  perUser: Record<string, ArrayLike<number>>,
): Promise<void> {
  const lines = [`"users":${JSON.stringify(Array.from(users))}`];
  for (const key of Object.keys(perUser)) {
    if (perUser[key].length !== users.length) {
      throw new RangeError(
        `Per-user "${key}" has ${perUser[key].length} values for ${users.length} users`,
      );
    }
    lines.push(`${JSON.stringify(key)}:${JSON.stringify(Array.from(perUser[key]))}`);
  }
  const full = `${dir}/${path}`;
  await Deno.mkdir(full.slice(0, full.lastIndexOf("/")), { recursive: true });
  await writeTextAtomic(full, `{\n${lines.join(",\n")}\n}\n`);
}

/**
 * Reads a per-user file written by {@linkcode writePerUser}.
 *
 * @param dir The results folder.
 * @param path Relative path.
 * @returns Users and values.
 * @example
 * ```ts ignore
 * import { readPerUser } from "./per_user.ts";
 * const v = await readPerUser("out/bench", "per-user/synthetic/cf/seed-1/mostpop.json");
 * ```
 */
export async function readPerUser(dir: string, path: string): Promise<PerUserValues> {
  const full = `${dir}/${path}`;
  let parsed: Record<string, number[]>;
  try {
    parsed = JSON.parse(await Deno.readTextFile(full));
  } catch (cause) {
    throw new Error(`Cannot read per-user values "${full}": ${(cause as Error).message}`, {
      cause,
    });
  }
  const { users, ...metrics } = parsed;
  if (!Array.isArray(users)) throw new TypeError(`${full}: no "users" array`);
  return { users, metrics };
}
