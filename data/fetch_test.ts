import assert from "node:assert/strict";
import { fileSha256 } from "./cache.ts";
import { type Download, downloadFor, fetchDataset } from "./fetch.ts";
import { writeZip } from "./_zip.ts";
import { tempDir } from "./_testing.ts";

const fixtures = new URL("../fixtures/movielens/ml-latest-small", import.meta.url).pathname;

/** Serves `files` on 127.0.0.1 with Range support; counts requests by path. */
function serve(files: Map<string, Uint8Array>) {
  const requests: { path: string; range: string | null }[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (req) => {
    const path = new URL(req.url).pathname;
    const range = req.headers.get("range");
    requests.push({ path, range });
    const body = files.get(path);
    if (!body) return new Response("not found", { status: 404 });
    const m = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (m) {
      const from = Number(m[1]);
      if (from >= body.length) return new Response(null, { status: 416 });
      return new Response(body.slice(from), {
        status: 206,
        headers: { "content-range": `bytes ${from}-${body.length - 1}/${body.length}` },
      });
    }
    return new Response(body.slice());
  });
  const url = (path: string) => `http://127.0.0.1:${server.addr.port}${path}`;
  return { server, url, requests, [Symbol.asyncDispose]: () => server.shutdown() };
}

async function fixtureArchive(dir: string, extra: { name: string; data: Uint8Array }[] = []) {
  const entries = [];
  for (const name of ["ratings.csv", "movies.csv"]) {
    entries.push({
      name: `ml-latest-small/${name}`,
      data: await Deno.readFile(`${fixtures}/${name}`),
    });
  }
  const path = `${dir}/ml-latest-small.zip`;
  await writeZip(path, [...entries, ...extra]);
  return { path, bytes: await Deno.readFile(path), sha256: await fileSha256(path) };
}

function entry(url: string, sha256: string | null): Download {
  return { name: "ml-latest-small", files: [{ url, sha256, kind: "zip" }] };
}

Deno.test("fetchDataset() verifies the SHA-256 and unpacks a good download", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  await using http = serve(new Map([["/ml.zip", archive.bytes]]));
  const dataDir = `${dir.path}/data`;
  const target = await fetchDataset(entry(http.url("/ml.zip"), archive.sha256), { dataDir });
  assert.equal(target, `${dataDir}/ml-latest-small`);
  assert.deepEqual(
    await Deno.readFile(`${target}/ratings.csv`),
    await Deno.readFile(`${fixtures}/ratings.csv`),
  );
  const left = [];
  for await (const e of Deno.readDir(dataDir)) left.push(e.name);
  assert.deepEqual(left, ["ml-latest-small"], "no partial or staging files stay behind");
});

Deno.test("fetchDataset() refuses a download with one corrupted byte and leaves no dataset", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  const corrupt = archive.bytes.slice();
  corrupt[200] ^= 0x01;
  await using http = serve(new Map([["/ml.zip", corrupt]]));
  const dataDir = `${dir.path}/data`;
  await assert.rejects(
    fetchDataset(entry(http.url("/ml.zip"), archive.sha256), { dataDir }),
    /Checksum mismatch .* expected SHA-256 [0-9a-f]{64}, found [0-9a-f]{64}/,
  );
  const left = [];
  for await (const e of Deno.readDir(dataDir)) left.push(e.name);
  assert.deepEqual(left, [], "neither the dataset folder nor the corrupt download remain");
});

Deno.test("fetchDataset() refuses archive entries named ../x or absolute, writing nothing", async () => {
  for (const name of ["../x", "/tmp/x", "ml-latest-small/../../x"]) {
    await using dir = await tempDir();
    const archive = await fixtureArchive(dir.path, [{ name, data: new Uint8Array([1]) }]);
    await using http = serve(new Map([["/ml.zip", archive.bytes]]));
    const dataDir = `${dir.path}/data`;
    await assert.rejects(
      fetchDataset(entry(http.url("/ml.zip"), archive.sha256), { dataDir }),
      /outside the destination|absolute path/,
      name,
    );
    const left = [];
    for await (const e of Deno.readDir(dataDir)) left.push(e.name);
    assert.deepEqual(left, [], `${name}: no dataset, staging folder or .part file remains`);
    for await (const e of Deno.readDir(dir.path)) assert.notEqual(e.name, "x");
  }
});

Deno.test("fetchDataset() resumes a partial download with an HTTP Range request", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  await using http = serve(new Map([["/ml.zip", archive.bytes]]));
  const dataDir = `${dir.path}/data`;
  await Deno.mkdir(dataDir);
  await Deno.writeFile(`${dataDir}/.ml-latest-small.0.part`, archive.bytes.subarray(0, 1000));
  await fetchDataset(entry(http.url("/ml.zip"), archive.sha256), { dataDir });
  assert.deepEqual(http.requests.map((r) => r.range), ["bytes=1000-"]);
  assert.ok((await Deno.stat(`${dataDir}/ml-latest-small/movies.csv`)).isFile);
});

Deno.test("fetchDataset() stops at the size limit and needs a hash for unpinned files", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  await using http = serve(new Map([["/ml.zip", archive.bytes]]));
  const dataDir = `${dir.path}/data`;
  const url = http.url("/ml.zip");
  await assert.rejects(
    fetchDataset(entry(url, archive.sha256), { dataDir, maxBytes: 1000 }),
    /over the limit of 1000/,
  );
  await Deno.remove(dataDir, { recursive: true });
  await assert.rejects(
    fetchDataset(entry(url, null), { dataDir }),
    /No pinned SHA-256 .* pass --sha256 [0-9a-f]{64}/,
  );
  const target = await fetchDataset(entry(url, null), { dataDir, sha256: archive.sha256 });
  assert.ok((await Deno.stat(`${target}/ratings.csv`)).isFile);
});

Deno.test("fetchDataset() checks --sha256 is 64 hex digits before downloading anything", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  await using http = serve(new Map([["/ml.zip", archive.bytes]]));
  for (const bad of ["abc", archive.sha256 + "0", "g".repeat(64)]) {
    await assert.rejects(
      fetchDataset(entry(http.url("/ml.zip"), null), { dataDir: `${dir.path}/d`, sha256: bad }),
      /--sha256 must be 64 hexadecimal digits/,
    );
  }
  assert.equal(http.requests.length, 0, "nothing was requested");
});

Deno.test("fetchDataset() offline: the error names the URL and the reason", async () => {
  await using dir = await tempDir();
  // A port nobody listens on.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const url = `http://127.0.0.1:${port}/ml.zip`;
  await assert.rejects(fetchDataset(entry(url, null), { dataDir: `${dir.path}/d` }), (e: Error) => {
    assert.ok(e.message.startsWith(`Cannot fetch ${url}: `), e.message);
    assert.match(e.message, /refused|connect/i);
    return true;
  });
});

Deno.test("fetchDataset() fetches from --url or a --mirror instead of the official location", async () => {
  await using dir = await tempDir();
  const archive = await fixtureArchive(dir.path);
  await using http = serve(
    new Map([["/elsewhere.zip", archive.bytes], ["/m/ml.zip", archive.bytes]]),
  );
  const official = entry("http://127.0.0.1:1/official/ml.zip", archive.sha256);
  const viaUrl = await fetchDataset(official, {
    dataDir: `${dir.path}/a`,
    url: http.url("/elsewhere.zip"),
  });
  assert.ok((await Deno.stat(`${viaUrl}/ratings.csv`)).isFile);
  const viaMirror = await fetchDataset(official, {
    dataDir: `${dir.path}/b`,
    mirror: http.url("/m/"),
  });
  assert.ok((await Deno.stat(`${viaMirror}/movies.csv`)).isFile);
  assert.deepEqual(http.requests.map((r) => r.path), ["/elsewhere.zip", "/m/ml.zip"]);
});

Deno.test("downloadFor() names an unknown dataset clearly, even one named like an Object property", () => {
  for (const name of ["constructor", "toString", "ml-2m"]) {
    assert.throws(
      () => downloadFor(name),
      new RegExp(`No download for "${name}" \\(known: ml-100k`),
    );
  }
});

const deno = Deno.execPath();
const canRunDeno =
  (await Deno.permissions.query({ name: "run", command: deno })).state === "granted";

Deno.test({
  name: "data:fetch needs --data-dir: nothing is downloaded into the source tree",
  ignore: !canRunDeno,
}, async () => {
  const main = new URL("./main.ts", import.meta.url).pathname;
  const run = await new Deno.Command(deno, {
    args: ["run", "--allow-read", "--allow-write", main, "fetch", "ml-latest-small"],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(run.stderr);
  assert.ok(!run.success);
  assert.match(stderr, /fetch needs --data-dir DIR/);
});
