import { ok, rejects, strictEqual, throws } from "node:assert/strict";
import { acquireRunLock, FolderLockedError, LOCK_FILE, staleLockNote } from "./lock.ts";
import { canRunDeno, deno } from "./_testing.ts";

const noSignals = { onSignals: false, host: "here" } as const;

Deno.test("acquireRunLock() writes pid, host and start time, and release() removes the file", async () => {
  const dir = await Deno.makeTempDir();
  const lock = acquireRunLock(dir, noSignals);
  const held = JSON.parse(await Deno.readTextFile(`${dir}/${LOCK_FILE}`));
  strictEqual(held.pid, Deno.pid);
  strictEqual(held.host, "here");
  ok(!Number.isNaN(Date.parse(held.started)), held.started);
  lock.release();
  await rejects(Deno.stat(`${dir}/${LOCK_FILE}`), Deno.errors.NotFound);
});

Deno.test("a folder locked by a live run is refused, naming its pid, host and start time", async () => {
  const dir = await Deno.makeTempDir();
  const first = acquireRunLock(dir, noSignals);
  try {
    throws(
      () => acquireRunLock(dir, noSignals),
      (e: Error) =>
        e instanceof FolderLockedError &&
        e.message.includes(`pid ${Deno.pid} on host here, started ${first.owner.started}`) &&
        e.message.includes("choose another --out"),
    );
  } finally {
    first.release();
  }
  // Free again once released.
  acquireRunLock(dir, noSignals).release();
});

Deno.test("a stale lock file (its run is gone) is reported and taken over", async () => {
  const dir = await Deno.makeTempDir();
  const owner = { pid: 4242, host: "here", started: "2026-01-01T00:00:00.000Z" };
  await Deno.writeTextFile(`${dir}/${LOCK_FILE}`, JSON.stringify(owner));
  const lock = acquireRunLock(dir, noSignals);
  const note = staleLockNote(lock) ?? "";
  ok(note.includes("stale lock") && note.includes("pid 4242 on host here"), note);
  strictEqual(JSON.parse(await Deno.readTextFile(`${dir}/${LOCK_FILE}`)).pid, Deno.pid);
  lock.release();
  strictEqual([...Deno.readDirSync(dir)].length, 0, "nothing left behind");
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  Deno.test({
    name: `a run stopped by ${signal} removes its lock`,
    ignore: !canRunDeno || Deno.build.os === "windows",
  }, async () => {
    const out = await Deno.makeTempDir();
    const child = new Deno.Command(deno, {
      args: [
        "run",
        "--allow-all",
        new URL("./main.ts", import.meta.url).pathname,
        "--models",
        "mostpop,itemknn",
        "--protocol",
        "cf",
        "--seeds",
        "1,2,3,4,5,6,7,8,9,10,11,12",
        "--out",
        out,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    let text = "";
    let sent = false;
    // Read to the end (a closed pipe would make the child fail on its next write).
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      text += chunk;
      if (!sent && /^done /m.test(text)) {
        const held = JSON.parse(await Deno.readTextFile(`${out}/${LOCK_FILE}`));
        strictEqual(held.pid, child.pid);
        child.kill(signal);
        sent = true;
      }
    }
    const status = await child.status;
    strictEqual(status.code, 128 + (signal === "SIGTERM" ? 15 : 2), text);
    await rejects(Deno.stat(`${out}/${LOCK_FILE}`), Deno.errors.NotFound);
  });
}

Deno.test({
  name: "deno task report DIR is refused while a run holds DIR",
  ignore: !canRunDeno,
}, async () => {
  const dir = await Deno.makeTempDir();
  const lock = acquireRunLock(dir, noSignals);
  try {
    const report = await new Deno.Command(deno, {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        new URL("../reports/main.ts", import.meta.url).pathname,
        dir,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(report.stderr);
    ok(!report.success);
    ok(stderr.includes(`${dir} is in use by another recbench run (pid ${Deno.pid}`), stderr);
  } finally {
    lock.release();
  }
});
