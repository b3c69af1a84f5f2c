/**
 * Where tests look for real datasets: `$RECBENCH_DATA_DIR`, else the
 * `shared/datasets` folder beside the repository (present on development
 * machines and in CI, absent on a fresh clone, where those tests are skipped).
 *
 * @module
 */
import { existsSync } from "node:fs";

/**
 * The real-data folder, or undefined when it is not there.
 *
 * @param name A dataset subfolder that must exist, e.g. `"ml-latest-small"`.
 * @returns The folder holding `name/`, or undefined.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { realDataDir } from "./_real_data.ts";
 * const dir = realDataDir("ml-latest-small");
 * ok(dir === undefined || dir.length > 0);
 * ```
 */
export function realDataDir(name: string): string | undefined {
  const dir = Deno.env.get("RECBENCH_DATA_DIR") ??
    new URL("../../shared/datasets", import.meta.url).pathname;
  return existsSync(`${dir}/${name}`) ? dir : undefined;
}
