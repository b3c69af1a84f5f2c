/**
 * `deno task data`: `list`, `info NAME`, `convert NAME --out DIR` and
 * `fetch NAME` (through `deno task data:fetch`, the only task with network
 * access).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DATA_FLAG_SPECS, DATA_FLAGS_USAGE, dataOptionsFrom } from "./cli_options.ts";
import { DATASETS } from "./datasets.ts";
import { downloadFor, DOWNLOADS, fetchDataset } from "./fetch.ts";
import { datasetInfo, datasetToLog, formatInfo } from "./info.ts";
import { loadDataset, type LoadDatasetOptions } from "./load.ts";
import { writeRecBole } from "./recbole.ts";
import { writeComiRec } from "./comirec.ts";

const USAGE = `Usage: deno task data <command> [options]

  list                  datasets the suite reads, and whether fetch can download them
  info NAME             users, items, interactions, density, sequence-length and item-popularity
                        distributions after preparation; with --split given, each part's users
                        and interactions (train / valid / test)
  convert NAME --out DIR
                        write the prepared data as RecBole atomic files (DIR/NAME.inter, .item;
                        with --split given, NAME.train.inter, NAME.valid.inter, NAME.test.inter)
  convert NAME --to comirec --out DIR [--seed N]
                        write the sequential protocol's split of seed N (default 1) in ComiRec's /
                        REMI's format: DIR/NAME_data/NAME_{train,valid,test}.txt and the two maps;
                        read back with --datasets comirec:NAME --data-dir DIR --split given
  fetch NAME --data-dir DIR
                        download from the official location into DIR/NAME (use deno task
                        data:fetch: the only task allowed on the network); --max-bytes N,
                        --sha256 HEX (64 hex digits), --accept-unverified, --url URL (a one-file
                        dataset from elsewhere), --mirror BASE (every file from BASE/<file name>)

  --data-dir DIR        folder of original dataset files (fetch writes DIR/NAME; required there,
                        so downloads never land in the source tree)
${DATA_FLAGS_USAGE}`;

async function main(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      "data-dir": { type: "string" },
      out: { type: "string" },
      to: { type: "string" },
      seed: { type: "string" },
      "max-bytes": { type: "string" },
      sha256: { type: "string" },
      "accept-unverified": { type: "boolean" },
      url: { type: "string" },
      mirror: { type: "string" },
      help: { type: "boolean" },
      ...DATA_FLAG_SPECS,
    },
  });
  const [command, name, ...rest] = positionals;
  if (values.help || command === undefined) {
    console.log(USAGE);
    return command === undefined && !values.help ? 2 : 0;
  }
  if (rest.length > 0) throw new TypeError(`Unexpected argument "${rest[0]}"`);
  const dataDir = values["data-dir"];
  if (command === "list") {
    for (const [n, s] of Object.entries(DATASETS)) {
      const fetchable = DOWNLOADS[n]?.files.length ? "fetch" : "     ";
      console.log(`${n.padEnd(36)} ${fetchable}  ${s.description}`);
    }
    console.log(`${"recbole:<name>".padEnd(36)}        any RecBole atomic dataset`);
    return 0;
  }
  if (name === undefined) throw new TypeError(`${command} needs a dataset name`);
  if (command === "fetch") {
    const download = downloadFor(name);
    if (dataDir === undefined) {
      throw new TypeError(
        `fetch needs --data-dir DIR (the folder to create ${name}/ in, e.g. ~/.cache/recbench/data); ` +
          "then pass the same --data-dir to bench and data",
      );
    }
    const status = await Deno.permissions.request({ name: "net" });
    if (status.state !== "granted") {
      throw new Error(`fetch needs network access: run deno task data:fetch ${name}`);
    }
    if (download.note) console.error(`note: ${download.note}`);
    const maxBytes = values["max-bytes"] === undefined ? undefined : Number(values["max-bytes"]);
    if (maxBytes !== undefined && !(maxBytes > 0)) {
      throw new RangeError("--max-bytes must be positive");
    }
    const target = await fetchDataset(download, {
      dataDir,
      ...(values.url !== undefined ? { url: values.url } : {}),
      ...(values.mirror !== undefined ? { mirror: values.mirror } : {}),
      ...(maxBytes ? { maxBytes } : {}),
      ...(values.sha256 ? { sha256: values.sha256 } : {}),
      acceptUnverified: values["accept-unverified"] ?? false,
      log: (m) => console.error(m),
    });
    console.log(target);
    return 0;
  }
  const data = dataOptionsFrom(values);
  const options: LoadDatasetOptions = { ...data, ...(dataDir !== undefined ? { dataDir } : {}) };
  if (command === "info") {
    const loaded = await loadDataset(name, options);
    console.log(formatInfo(datasetInfo(loaded.dataset), loaded));
    return 0;
  }
  if (command === "convert") {
    if (values.out === undefined) throw new TypeError("convert needs --out DIR");
    const to = values.to ?? "recbole";
    if (to !== "recbole" && to !== "comirec") {
      throw new RangeError(`--to must be recbole or comirec, got "${to}"`);
    }
    const loaded = await loadDataset(name, options);
    const stem = name.replace(/^(recbole|comirec):/, "").replace(/[^A-Za-z0-9_.-]/g, "_");
    if (to === "comirec") {
      if (loaded.parts) {
        throw new RangeError(
          "--to comirec writes the sequential protocol's split: drop --split given",
        );
      }
      const seed = Number(values.seed ?? "1");
      if (!Number.isInteger(seed)) {
        throw new RangeError(`--seed must be an integer, got "${values.seed}"`);
      }
      const files = await writeComiRec(loaded.dataset, values.out, stem, { seed });
      console.log(
        `Wrote ${files.folder}/${stem}_{train,valid,test}.txt and the maps: users ${files.users.train} / ${files.users.valid} / ${files.users.test}, ` +
          `events ${files.events.train} / ${files.events.valid} / ${files.events.test}, items 1..${files.maxItem} (seed ${seed})`,
      );
      return 0;
    }
    if (values.seed !== undefined) throw new TypeError("--seed applies to --to comirec only");
    if (loaded.parts) {
      const labels = ["train", "valid", "test"];
      for (let p = 0; p < 3; p++) {
        if (!loaded.parts.includes(p)) continue;
        const log = datasetToLog(loaded.dataset, (k) => loaded.parts![k] === p);
        await writeRecBole(log, values.out, stem, {
          interSuffix: `${labels[p]}.inter`,
          items: p === 0,
        });
      }
    } else {
      await writeRecBole(datasetToLog(loaded.dataset), values.out, stem);
    }
    console.log(
      `Wrote RecBole atomic files ${values.out}/${stem}.* (${loaded.dataset.items.length} interactions)`,
    );
    return 0;
  }
  throw new TypeError(`Unknown command "${command}"`);
}

if (import.meta.main) {
  try {
    Deno.exit(await main(Deno.args));
  } catch (error) {
    console.error(`data: ${(error as Error).message}`);
    Deno.exit(error instanceof TypeError || error instanceof RangeError ? 2 : 1);
  }
}
