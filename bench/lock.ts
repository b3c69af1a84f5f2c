/**
 * An exclusive lock on a results folder, so two runs never write into one
 * `--out` at once. The lock is an OS file lock (`flock`) on `OUT/recbench.lock`,
 * a file holding the owner's pid, host and start time. The operating system
 * drops the lock when its process ends, however it ends; the run also removes
 * the file when it finishes, throws, or is stopped by SIGINT or SIGTERM. A file
 * whose lock is free was left by a run that no longer runs (`kill -9`, a crash,
 * a lost node): it is reported as stale and taken over.
 *
 * @module
 */

/** The lock file's name inside the results folder. */
export const LOCK_FILE = "recbench.lock";

/** What a lock file holds. */
export interface LockOwner {
  /** Process id of the owner. */
  pid: number;
  /** Host name of the owner. */
  host: string;
  /** When the owner started, ISO 8601. */
  started: string;
}

/** A held lock; `release()` (or leaving a `using` block) removes it, once. */
export interface RunLock extends Disposable {
  /** The lock file. */
  path: string;
  /** What this process wrote into it. */
  owner: LockOwner;
  /** Set when a stale lock was taken over: whose it was. */
  tookOverFrom?: LockOwner;
  /** Removes the lock file (idempotent). */
  release(): void;
}

/**
 * Thrown when another live run holds the folder.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { FolderLockedError } from "./lock.ts";
 * const e = new FolderLockedError("out is in use", { pid: 7, host: "h", started: "" });
 * ok(e.owner?.pid === 7 && e.name === "FolderLockedError");
 * ```
 */
export class FolderLockedError extends Error {
  /** The other run. */
  owner: LockOwner | undefined;
  /**
   * @param message What happened.
   * @param owner The run that holds the lock, if its file was readable.
   */
  constructor(message: string, owner: LockOwner | undefined) {
    super(message);
    this.name = "FolderLockedError";
    this.owner = owner;
  }
}

/** Options of {@linkcode acquireRunLock}. */
export interface AcquireOptions {
  /** Host name. @default {Deno.hostname()} */
  host?: string;
  /** Remove the lock on SIGINT/SIGTERM, then exit with 128 + the signal number. @default {true} */
  onSignals?: boolean;
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text);
    if (typeof o?.pid === "number" && typeof o?.host === "string") return o as LockOwner;
  } catch {
    // Empty (just created) or not ours.
  }
  return undefined;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return parseOwner(Deno.readTextFileSync(path));
  } catch {
    return undefined;
  }
}

function describe(o: LockOwner): string {
  return `pid ${o.pid} on host ${o.host}, started ${o.started}`;
}

// Locks held by this process, released by one signal listener.
const held = new Set<RunLock>();
let listening = false;
const SIGNALS = Deno.build.os === "windows"
  ? [["SIGINT", 2]] as const
  : [["SIGINT", 2], ["SIGTERM", 15]] as const;
const handlers = SIGNALS.map(([signal, number]) => {
  const handler = () => {
    for (const lock of held) lock.release();
    Deno.exit(128 + number);
  };
  return { signal, handler };
});

function listen(on: boolean): void {
  if (on === listening) return;
  for (const { signal, handler } of handlers) {
    if (on) Deno.addSignalListener(signal, handler);
    else Deno.removeSignalListener(signal, handler);
  }
  listening = on;
}

/**
 * Takes the exclusive lock of a results folder (which must exist).
 *
 * @param dir The results folder.
 * @param options Host name, signal handling.
 * @returns The lock; call `release()` when done.
 * @throws {FolderLockedError} When another live run holds it.
 * @throws {Deno.errors.PermissionDenied} (or another `Deno.errors` class) when the folder is not writable.
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { acquireRunLock, FolderLockedError } from "./lock.ts";
 * const dir = await Deno.makeTempDir();
 * const lock = acquireRunLock(dir, { onSignals: false });
 * try {
 *   await rejects(async () => acquireRunLock(dir, { onSignals: false }), FolderLockedError);
 * } finally {
 *   lock.release();
 * }
 * ```
 */
export function acquireRunLock(dir: string, options: AcquireOptions = {}): RunLock {
  const path = `${dir}/${LOCK_FILE}`;
  const owner: LockOwner = {
    pid: Deno.pid,
    host: options.host ?? hostname(),
    started: new Date().toISOString(),
  };
  let file: Deno.FsFile;
  for (;;) {
    file = Deno.openSync(path, { read: true, write: true, create: true });
    if (!file.tryLockSync(true)) {
      file.close();
      const other = readOwner(path);
      throw new FolderLockedError(
        `${dir} is in use by another recbench run (${
          other ? describe(other) : "starting"
        }): wait for it to finish or choose another --out`,
        other,
      );
    }
    // The previous owner may have removed the file between our open and lock:
    // then this lock is on a file nobody else sees, and we start again.
    let same = false;
    try {
      same = Deno.statSync(path).ino === file.statSync().ino;
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
    if (same) break;
    file.close();
  }
  const previous = new TextDecoder().decode(Deno.readFileSync(path));
  const tookOverFrom = parseOwner(previous);
  file.truncateSync(0);
  file.writeSync(new TextEncoder().encode(JSON.stringify(owner) + "\n"));
  let released = false;
  const lock: RunLock = {
    path,
    owner,
    ...(tookOverFrom ? { tookOverFrom } : {}),
    [Symbol.dispose]() {
      lock.release();
    },
    release() {
      if (released) return;
      released = true;
      held.delete(lock);
      if (held.size === 0) listen(false);
      // Remove while still locked, so no other run locks the file being removed.
      try {
        Deno.removeSync(path);
      } catch {
        // Already gone.
      }
      file.close();
    },
  };
  if (options.onSignals ?? true) {
    held.add(lock);
    listen(true);
  }
  return lock;
}

/**
 * The message reporting a stale lock taken over.
 *
 * @param lock A lock returned by {@linkcode acquireRunLock}.
 * @returns A sentence, or `undefined` when no stale lock was found.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { staleLockNote } from "./lock.ts";
 * const lock = { path: "x", owner: { pid: 1, host: "h", started: "" }, release() {}, [Symbol.dispose]() {} };
 * ok(staleLockNote(lock) === undefined);
 * ```
 */
export function staleLockNote(lock: RunLock): string | undefined {
  return lock.tookOverFrom
    ? `${lock.path}: stale lock of a run that no longer runs (${
      describe(lock.tookOverFrom)
    }) taken over`
    : undefined;
}
