/**
 * Downloads a dataset from its official location: resumable (HTTP Range),
 * size-capped, SHA-256-verified before anything is unpacked, unpacked with a
 * safe zip reader into a temporary folder that is renamed into place only when
 * everything succeeded. A failed fetch leaves no dataset folder behind.
 *
 * @module
 */
import { fileSha256 } from "./cache.ts";
import { extractZip } from "./_zip.ts";

/** One file of a download. */
export interface DownloadFile {
  /** Where it is. */
  url: string;
  /**
   * Pinned SHA-256 (hex) of the file. `null` means no hash could be checked
   * when this table was written: such a file is fetched only with a hash given
   * by the user (`--sha256`) or `--accept-unverified`.
   */
  sha256: string | null;
  /** `zip`: unpack; `keep`: store as `fileName` (`.gz` files stay compressed). */
  kind: "zip" | "keep";
  /** Name to store a `keep` file under. */
  fileName?: string;
}

/** A dataset's download. */
export interface Download {
  /** Dataset name (the folder created under the data folder). */
  name: string;
  /** Its files. */
  files: readonly DownloadFile[];
  /** A note for the user (licence, manual steps). */
  note?: string;
}

const GROUPLENS = "https://files.grouplens.org/datasets/movielens";
const SNAP_AMAZON = "https://snap.stanford.edu/data/amazon/productGraph/categoryFiles";
const LIGHTGCN = "https://raw.githubusercontent.com/kuandeng/LightGCN/master/Data";

function zip(url: string): DownloadFile {
  return { url, sha256: null, kind: "zip" };
}

function keep(url: string): DownloadFile {
  return { url, sha256: null, kind: "keep", fileName: url.slice(url.lastIndexOf("/") + 1) };
}

/**
 * Official download locations. No hash here could be verified from the
 * machine this table was written on (no network), so every `sha256` is
 * `null` (unverified): pin one by passing `--sha256` after checking it
 * against the publisher's, and add it here.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DOWNLOADS } from "./fetch.ts";
 * ok(DOWNLOADS["ml-1m"].files[0].url.endsWith("ml-1m.zip"));
 * ```
 */
export const DOWNLOADS: Readonly<Record<string, Download>> = {
  ...Object.fromEntries(
    ["ml-100k", "ml-1m", "ml-10m", "ml-20m", "ml-25m", "ml-latest-small", "ml-latest"].map((n) => [
      n,
      {
        name: n,
        files: [zip(`${GROUPLENS}/${n}.zip`)],
        note: "MovieLens licence: see the README inside",
      },
    ]),
  ),
  gowalla: {
    name: "gowalla",
    files: [keep("https://snap.stanford.edu/data/loc-gowalla_totalCheckins.txt.gz")],
  },
  "amazon-books": {
    name: "amazon-books",
    files: [
      keep(`${SNAP_AMAZON}/reviews_Books_5.json.gz`),
      keep(`${SNAP_AMAZON}/meta_Books.json.gz`),
    ],
    note: "McAuley et al. 2014; the site may ask you to fill in a form first",
  },
  retailrocket: {
    name: "retailrocket",
    files: [],
    note: "Kaggle needs a login: download events.csv from " +
      "https://www.kaggle.com/datasets/retailrocket/ecommerce-dataset into DATA_DIR/retailrocket/",
  },
  ...Object.fromEntries(
    [["gowalla", "gowalla"], ["yelp2018", "yelp2018"], ["amazon-book", "amazon-book"]].map((
      [n, d],
    ) => [
      `lightgcn-${n}`,
      {
        name: `lightgcn-${n}`,
        files: [keep(`${LIGHTGCN}/${d}/train.txt`), keep(`${LIGHTGCN}/${d}/test.txt`)],
      },
    ]),
  ),
};

/**
 * The download of a dataset name.
 *
 * @param name A name from {@linkcode DOWNLOADS}.
 * @returns Its download.
 * @throws {RangeError} For a name without a download, listing the known ones.
 * @example
 * ```ts
 * import { ok, throws } from "node:assert/strict";
 * import { downloadFor } from "./fetch.ts";
 * ok(downloadFor("ml-1m").name === "ml-1m");
 * throws(() => downloadFor("constructor"), /No download for "constructor"/);
 * ```
 */
export function downloadFor(name: string): Download {
  if (!Object.hasOwn(DOWNLOADS, name)) {
    throw new RangeError(
      `No download for "${name}" (known: ${Object.keys(DOWNLOADS).join(", ")})`,
    );
  }
  return DOWNLOADS[name];
}

/** Options of {@linkcode fetchDataset}. */
export interface FetchOptions {
  /** Folder the dataset folder is created in (`--data-dir`, required: never the source tree). */
  dataDir: string;
  /** Fetch a one-file download from this URL instead of the official one (`--url`). */
  url?: string;
  /**
   * Fetch every file from `MIRROR/<its file name>` instead of the official
   * location (`--mirror`), e.g. a local copy of the publisher's folder.
   */
  mirror?: string;
  /** Cap on each download and on the unpacked size. @default {2 ** 34} (16 GiB) */
  maxBytes?: number;
  /** SHA-256 the user vouches for, for a one-file download without a pinned hash. */
  sha256?: string;
  /** Fetch files without a pinned hash, printing the hash found. @default {false} */
  acceptUnverified?: boolean;
  /** Told about progress. */
  log?: (message: string) => void;
}

/**
 * Fetches a download into `dataDir/<name>/`. Partial downloads are kept as
 * `dataDir/.<name>.<k>.part` and resumed with an HTTP Range request. Each file
 * is checked against its SHA-256 before use; on a mismatch the partial file is
 * deleted and nothing is unpacked. Unpacking goes to a temporary folder that is
 * renamed into place only when every file is in.
 *
 * @param download The table entry.
 * @param options Data folder, size cap, hashes.
 * @returns The dataset folder.
 * @throws {Error} On an HTTP error, a checksum mismatch, an unsafe archive or the size cap.
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { DOWNLOADS, fetchDataset } from "./fetch.ts";
 * const dataDir = await Deno.makeTempDir();
 * // RetailRocket has no download the suite can make (Kaggle needs a login).
 * await rejects(fetchDataset(DOWNLOADS.retailrocket, { dataDir }), /Kaggle/);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function fetchDataset(download: Download, options: FetchOptions): Promise<string> {
  const { dataDir } = options;
  const log = options.log ?? (() => {});
  const maxBytes = options.maxBytes ?? 2 ** 34;
  const target = `${dataDir}/${download.name}`;
  if (download.files.length === 0) {
    throw new Error(
      `Dataset "${download.name}" cannot be fetched automatically: ${download.note ?? ""}`,
    );
  }
  // Checked before anything is downloaded.
  if (options.sha256 !== undefined && !/^[0-9a-fA-F]{64}$/.test(options.sha256)) {
    throw new RangeError(
      `--sha256 must be 64 hexadecimal digits (a SHA-256), got "${
        options.sha256.length > 80 ? options.sha256.slice(0, 80) + "..." : options.sha256
      }"`,
    );
  }
  if (options.url !== undefined && options.mirror !== undefined) {
    throw new RangeError("--url and --mirror are alternatives: give one");
  }
  if (options.url !== undefined && download.files.length !== 1) {
    throw new RangeError(
      `--url names one file, but "${download.name}" has ${download.files.length}: use --mirror`,
    );
  }
  const urlOf = (file: DownloadFile) =>
    options.url ??
      (options.mirror !== undefined
        ? `${options.mirror.replace(/\/+$/, "")}/${file.url.slice(file.url.lastIndexOf("/") + 1)}`
        : file.url);
  for (const u of [options.url, options.mirror]) {
    if (u !== undefined && !URL.canParse(u)) {
      throw new TypeError(`Not a URL: "${u}" (like https://host/path or file:///path)`);
    }
  }
  if (await exists(target)) {
    log(`${target} exists; remove it to fetch again`);
    return target;
  }
  if (options.sha256 !== undefined && download.files.length !== 1) {
    throw new RangeError(
      `--sha256 names one file, but "${download.name}" has ${download.files.length}`,
    );
  }
  await Deno.mkdir(dataDir, { recursive: true });
  const parts: string[] = [];
  for (const [k, file] of download.files.entries()) {
    const part = `${dataDir}/.${download.name}.${k}.part`;
    const url = urlOf(file);
    await downloadResumable(url, part, maxBytes, log);
    const expected = file.sha256 ?? options.sha256?.toLowerCase() ?? null;
    const found = await fileSha256(part);
    if (expected === null) {
      if (!options.acceptUnverified) {
        await Deno.remove(part);
        throw new Error(
          `No pinned SHA-256 for ${url}; the file downloaded has ${found}. Check it against ` +
            `the publisher's and pass --sha256 ${found} (or --accept-unverified)`,
        );
      }
      log(`unverified: ${url} has SHA-256 ${found}`);
    } else if (found !== expected) {
      await Deno.remove(part);
      throw new Error(
        `Checksum mismatch for ${url}: expected SHA-256 ${expected}, found ${found}; ` +
          "the download was deleted and nothing was unpacked",
      );
    }
    parts.push(part);
  }
  const staging = `${dataDir}/.${download.name}.unpacking`;
  await Deno.remove(staging, { recursive: true }).catch(() => {});
  try {
    await Deno.mkdir(staging, { recursive: true });
    for (const [k, file] of download.files.entries()) {
      if (file.kind === "zip") {
        const names = await extractZip(parts[k], staging, { maxBytes });
        log(`unpacked ${names.length} files from ${urlOf(file)}`);
      } else {
        await Deno.copyFile(parts[k], `${staging}/${file.fileName}`);
      }
    }
    // A zip holding one top folder named after the dataset unpacks as that folder.
    const top: string[] = [];
    for await (const e of Deno.readDir(staging)) top.push(e.name);
    const inner = top.length === 1 ? `${staging}/${top[0]}` : undefined;
    const source = inner && (await Deno.stat(inner)).isDirectory ? inner : staging;
    await Deno.rename(source, target);
  } catch (error) {
    // A verified download that cannot be unpacked (an unsafe or broken archive)
    // would fail the same way again: nothing of it is kept.
    for (const part of parts) await Deno.remove(part).catch(() => {});
    throw error;
  } finally {
    await Deno.remove(staging, { recursive: true }).catch(() => {});
  }
  for (const part of parts) await Deno.remove(part);
  log(`fetched ${download.name} into ${target}`);
  return target;
}

async function downloadResumable(
  url: string,
  part: string,
  maxBytes: number,
  log: (message: string) => void,
): Promise<void> {
  let have = 0;
  try {
    have = (await Deno.stat(part)).size;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  let response: Response;
  try {
    response = await fetch(url, have > 0 ? { headers: { Range: `bytes=${have}-` } } : {});
  } catch (error) {
    // The reason is often in the cause ("fetch failed" <- "Connection refused").
    const messages: string[] = [];
    for (let e: unknown = error; e instanceof Error && messages.length < 4; e = e.cause) {
      messages.push(e.message);
    }
    const reason = messages.join(": ");
    throw new Error(
      `Cannot fetch ${url}: ${reason} (offline, or the host is unreachable? ` +
        `--url or --mirror fetch from elsewhere)`,
      { cause: error },
    );
  }
  if (response.status === 416 && have > 0) {
    await response.body?.cancel();
    return; // already complete
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(`Cannot fetch ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const resumed = response.status === 206;
  if (have > 0) {
    log(resumed ? `resuming ${url} at byte ${have}` : `${url} does not resume; starting over`);
  }
  let total = resumed ? have : 0;
  const length = Number(response.headers.get("content-length") ?? NaN);
  if (Number.isFinite(length) && total + length > maxBytes) {
    await response.body?.cancel();
    throw new RangeError(`${url} is ${total + length} bytes, over the limit of ${maxBytes}`);
  }
  await using out = await Deno.open(part, {
    write: true,
    create: true,
    append: resumed,
    truncate: !resumed,
  });
  try {
    for await (const chunk of response.body ?? new ReadableStream<Uint8Array>()) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new RangeError(`${url} is over the limit of ${maxBytes} bytes; stopped`);
      }
      for (let at = 0; at < chunk.length;) at += await out.write(chunk.subarray(at));
    }
  } catch (error) {
    if (error instanceof RangeError) throw error;
    throw new Error(
      `Cannot fetch ${url}: the transfer broke after ${total} bytes ` +
        `(${(error as Error).message}); run the same command again to resume`,
      { cause: error },
    );
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}
