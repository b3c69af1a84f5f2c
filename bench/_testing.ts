/**
 * Helpers for tests that start the bench as a subprocess.
 *
 * @module
 */

/** The Deno binary running the tests. */
export const deno: string = Deno.execPath();

/**
 * Whether this test run may start {@linkcode deno}: `deno task test` allows the
 * pinned Deno in `.tools/` only, so tests run by another binary are skipped.
 */
export const canRunDeno: boolean =
  (await Deno.permissions.query({ name: "run", command: deno })).state === "granted";

/**
 * Arguments that run `bench/main.ts` with the permissions of `deno task bench`,
 * followed by `flags`.
 *
 * @param flags The bench's own flags.
 * @returns Arguments for `new Deno.Command(deno, { args })`.
 */
export function benchArgs(...flags: string[]): string[] {
  return [
    "run",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-run=git",
    "--allow-sys",
    "--allow-ffi",
    new URL("./main.ts", import.meta.url).pathname,
    ...flags,
  ];
}
