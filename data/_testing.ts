/**
 * Test helpers for files: a temporary folder removed at the end of an
 * `await using` scope, and a file written into it.
 *
 * @module
 */

/**
 * A temporary folder removed when the `await using` scope ends.
 *
 * @returns The folder.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tempDir, tempFile } from "./_testing.ts";
 * await using dir = await tempDir();
 * ok((await tempFile(dir, "a,b\n", "x.csv")).endsWith("/x.csv"));
 * ```
 */
export async function tempDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir();
  return { path, [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }) };
}

/**
 * Writes a file into a temporary folder.
 *
 * @param dir The folder.
 * @param content Text or bytes.
 * @param name File name.
 * @returns The file's path.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tempDir, tempFile } from "./_testing.ts";
 * await using dir = await tempDir();
 * ok((await tempFile(dir, new Uint8Array([1]), "b.bin")).endsWith("b.bin"));
 * ```
 */
export async function tempFile(
  dir: { path: string },
  content: string | Uint8Array,
  name = "file.txt",
): Promise<string> {
  const path = `${dir.path}/${name}`;
  if (typeof content === "string") await Deno.writeTextFile(path, content);
  else await Deno.writeFile(path, content);
  return path;
}
