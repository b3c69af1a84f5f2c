/**
 * Where a run's numbers came from: git revision, runtime and package versions,
 * command line.
 *
 * @module
 */
import { cpus } from "node:os";
import type { Provenance } from "./results.ts";

/** The CPU model and logical core count, when the OS says (needs `--allow-sys`). */
function cpuInfo(): { cpu?: { model: string; cores: number } } {
  try {
    const list = cpus();
    return list.length > 0 ? { cpu: { model: list[0].model.trim(), cores: list.length } } : {};
  } catch {
    return {};
  }
}

/**
 * The git revision of the working tree, `-dirty` if it has uncommitted
 * changes, or `"unknown"` when git or the repository is not there.
 *
 * @returns The revision.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { gitRevision } from "./provenance.ts";
 * ok((await gitRevision()).length > 0);
 * ```
 */
export async function gitRevision(): Promise<string> {
  const root = new URL("..", import.meta.url).pathname;
  try {
    const run = async (args: string[]) => {
      const out = await new Deno.Command("git", {
        args,
        cwd: root,
        stdout: "piped",
        stderr: "null",
      })
        .output();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : undefined;
    };
    const head = await run(["rev-parse", "HEAD"]);
    if (!head) return "unknown";
    const status = await run(["status", "--porcelain", "--untracked-files=no"]);
    return status ? `${head}-dirty` : head;
  } catch {
    return "unknown";
  }
}

/**
 * Versions of the npm packages this project imports, read from `deno.json`.
 *
 * @returns Package name to version.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { packageVersions } from "./provenance.ts";
 * ok("csv-parse" in await packageVersions());
 * ```
 */
export async function packageVersions(): Promise<Record<string, string>> {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  const out: Record<string, string> = {};
  for (const spec of Object.values(config.imports ?? {}) as string[]) {
    const m = /^npm:(@?[^@]+)@(.+)$/.exec(spec);
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/**
 * Collects the provenance block.
 *
 * @param command The command line to record.
 * @returns Provenance.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { collectProvenance } from "./provenance.ts";
 * const p = await collectProvenance("deno task bench");
 * ok(p.runtime.deno === Deno.version.deno);
 * ```
 */
export async function collectProvenance(command: string): Promise<Provenance> {
  return {
    revision: await gitRevision(),
    runtime: {
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      typescript: Deno.version.typescript,
      os: Deno.build.os,
      arch: Deno.build.arch,
      ...cpuInfo(),
    },
    packages: await packageVersions(),
    command,
  };
}
