import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import {
  CellCheckpoint,
  checkpointPath,
  CorruptCheckpointError,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.ts";

const state = {
  iteration: 40,
  best: -Infinity,
  odd: [NaN, -0, 0.1 + 0.2, 1e-310],
  text: "é",
  flag: true,
  none: null,
  nested: {
    w: Float32Array.of(1.5, -2, Math.fround(1 / 3)),
    ids: Int32Array.of(-1, 7, 2 ** 31 - 1),
  },
  moments: [Float64Array.of(Math.PI), Uint8Array.of(0, 1, 255)],
};

Deno.test("a checkpoint reads back exactly what was written, arrays and special numbers included", async () => {
  const path = `${await Deno.makeTempDir()}/a.ckpt`;
  writeCheckpoint(path, { cell: "d/cf/1/m", fingerprint: { revision: "r" }, state });
  const back = readCheckpoint(path);
  strictEqual(back.cell, "d/cf/1/m");
  deepStrictEqual(back.fingerprint, { revision: "r" });
  deepStrictEqual(back.state, state);
  ok(Object.is((back.state.odd as number[])[1], -0), "-0 stays -0");
  // No temporary file is left beside it.
  deepStrictEqual([...Deno.readDirSync(path.slice(0, path.lastIndexOf("/")))].map((e) => e.name), [
    "a.ckpt",
  ]);
});

Deno.test("a truncated or altered checkpoint is named as damaged by its hash", async () => {
  const path = `${await Deno.makeTempDir()}/a.ckpt`;
  writeCheckpoint(path, { cell: "c", fingerprint: {}, state });
  const bytes = Deno.readFileSync(path);
  Deno.writeFileSync(path, bytes.subarray(0, bytes.length - 10));
  throws(
    () => readCheckpoint(path),
    (e) =>
      e instanceof CorruptCheckpointError && /SHA-256/.test(e.message) && e.message.includes(path),
  );
  const flipped = bytes.slice();
  flipped[bytes.length - 40] ^= 1; // an array byte, not the header
  Deno.writeFileSync(path, flipped);
  throws(() => readCheckpoint(path), CorruptCheckpointError);
  Deno.writeFileSync(
    path,
    new TextEncoder().encode("not a checkpoint at all, but long enough to hash......"),
  );
  throws(() => readCheckpoint(path), /does not start with RBCKPT01/);
});

Deno.test("a damaged checkpoint is removed with a warning and the cell starts from scratch", async () => {
  const dir = await Deno.makeTempDir();
  const warnings: string[] = [];
  const store = new CellCheckpoint(dir, "d/cf/1/m", { revision: "r" }, {
    warn: (t) => warnings.push(t),
  });
  store.save({ iteration: 3, w: Float32Array.of(1) });
  const bytes = Deno.readFileSync(store.path);
  Deno.writeFileSync(store.path, bytes.subarray(0, 20));
  strictEqual(store.load(), undefined);
  ok(/damaged.*restarts from scratch/.test(warnings[0]), warnings[0]);
  throws(() => Deno.statSync(store.path), Deno.errors.NotFound);
});

Deno.test("a checkpoint of another revision or config is ignored with the difference named", async () => {
  const dir = await Deno.makeTempDir();
  new CellCheckpoint(dir, "d/cf/1/m", { revision: "r1", config: { lr: 0.1 } }, { warn: () => {} })
    .save({ iteration: 3 });
  const warnings: string[] = [];
  const store = new CellCheckpoint(dir, "d/cf/1/m", { revision: "r1", config: { lr: 0.2 } }, {
    warn: (t) => warnings.push(t),
  });
  strictEqual(store.load(), undefined);
  ok(warnings[0].includes('config {"lr":0.1} vs {"lr":0.2}'), warnings[0]);
  // Key order is no difference.
  const same = new CellCheckpoint(dir, "d/cf/1/m", { config: { lr: 0.1 }, revision: "r1" }, {
    warn: (t) => warnings.push(t),
  });
  strictEqual(same.load()?.iteration, 3);
  strictEqual(warnings.length, 1);
});

Deno.test("checkpointPath() keeps cells apart and inside the run folder", () => {
  strictEqual(
    checkpointPath("o", "d/sequential/2/remi"),
    "o/checkpoints/d__sequential__2__remi.ckpt",
  );
  strictEqual(checkpointPath("o", "../x/cf/1/m").split("/").length, 3, "one file in o/checkpoints");
  ok(checkpointPath("o", "recbole:ml/cf/1/m{a=1}").startsWith("o/checkpoints/recbole-ml__cf"));
});
