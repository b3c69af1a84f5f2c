/**
 * Writes an interaction log in the original layouts of Gowalla, RetailRocket,
 * Amazon 2014 (reviews JSON, ratings CSV, Python-dict meta), RecBole atomic
 * files and the LightGCN user-item lists, so fixtures and tests exercise the
 * real loaders. Output is byte-for-byte deterministic.
 *
 * @module
 */
import type { InteractionLog } from "./dataset.ts";
import { prepareDataset } from "./prepare.ts";
import { writeRecBole } from "./recbole.ts";
import { RETAILROCKET_HEADER } from "./retailrocket.ts";

/** The layouts {@linkcode writeFormatFiles} writes, each into its own folder. */
export type FixtureLayout =
  | "gowalla"
  | "retailrocket"
  | "amazon-books"
  | "amazon-ratings"
  | "recbole"
  | "lightgcn-gowalla";

/** Every layout, in the order the fixtures are written. */
export const FIXTURE_LAYOUTS: readonly FixtureLayout[] = [
  "gowalla",
  "retailrocket",
  "amazon-books",
  "amazon-ratings",
  "recbole",
  "lightgcn-gowalla",
];

/**
 * Writes `log` into `dir` in one layout:
 * - `gowalla`: `loc-gowalla_totalCheckins.txt` (times as ISO UTC, a made-up
 *   location per item);
 * - `retailrocket`: `events.csv`, every event a `view` with times in ms, and
 *   after every 7th also an `addtocart` and every 11th a `transaction`;
 * - `amazon-books`: `reviews_Books_5.json` (JSON lines with review text that
 *   holds commas and quotes) and `meta_Books.json` (Python dicts as in 2014);
 * - `amazon-ratings`: `ratings_Books.csv` and the same meta file;
 * - `recbole`: `fixture/fixture.inter` and `fixture/fixture.item`;
 * - `lightgcn-gowalla`: `train.txt` and `test.txt` of the log prepared with the
 *   5-filter, ids dense, each user's last fifth (at least one) in test.
 *
 * @param log The log; raw ids integers, times integer seconds, with ratings
 *   and item features.
 * @param dir The folder (created if missing).
 * @param layout The layout.
 * @returns Nothing.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { InteractionLogBuilder } from "./log_builder.ts";
 * import { writeFormatFiles } from "./format_fixtures.ts";
 * const b = new InteractionLogBuilder("toy", { withRatings: true });
 * b.add("1", "2", 1287532527, 4);
 * const dir = await Deno.makeTempDir();
 * await writeFormatFiles(b.finish(), dir, "gowalla");
 * ok((await Deno.readTextFile(`${dir}/loc-gowalla_totalCheckins.txt`)).startsWith("1\t2010-10-19T23:55:27Z\t"));
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFormatFiles(
  log: InteractionLog,
  dir: string,
  layout: FixtureLayout,
): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  const n = log.items.length;
  const user = (e: number) => log.userIds[log.users[e]];
  const item = (e: number) => log.itemIds[log.items[e]];
  const rating = (e: number) => log.ratings?.[e] ?? 1;
  const lines: string[] = [];
  switch (layout) {
    case "gowalla":
      for (let e = 0; e < n; e++) {
        const i = Number(item(e));
        const lat = (((i * 37) % 1600) / 10 - 80).toFixed(6);
        const lon = (((i * 53) % 3400) / 10 - 170).toFixed(6);
        const time = new Date(log.times[e] * 1000).toISOString().replace(".000Z", "Z");
        lines.push([user(e), time, lat, lon, item(e)].join("\t"));
      }
      return await write(`${dir}/loc-gowalla_totalCheckins.txt`, lines);
    case "retailrocket":
      lines.push(RETAILROCKET_HEADER);
      for (let e = 0; e < n; e++) {
        const ms = log.times[e] * 1000;
        lines.push(`${ms},${user(e)},view,${item(e)},`);
        if (e % 7 === 0) lines.push(`${ms + 1},${user(e)},addtocart,${item(e)},`);
        if (e % 11 === 0) lines.push(`${ms + 2},${user(e)},transaction,${item(e)},${e + 1}`);
      }
      return await write(`${dir}/events.csv`, lines);
    case "amazon-books":
    case "amazon-ratings":
      if (layout === "amazon-books") {
        for (let e = 0; e < n; e++) {
          lines.push(JSON.stringify({
            reviewerID: user(e),
            asin: item(e),
            reviewerName: `Reader ${user(e)}`,
            helpful: [e % 3, e % 5],
            reviewText: `Item ${item(e)}, "rated" ${rating(e)}`,
            overall: rating(e),
            summary: "ok",
            unixReviewTime: log.times[e],
          }));
        }
        await write(`${dir}/reviews_Books_5.json`, lines);
      } else {
        for (let e = 0; e < n; e++) {
          lines.push(`${user(e)},${item(e)},${rating(e).toFixed(1)},${log.times[e]}`);
        }
        await write(`${dir}/ratings_Books.csv`, lines);
      }
      return await write(`${dir}/meta_Books.json`, metaLines(log));
    case "recbole":
      return await writeRecBole(log, `${dir}/fixture`, "fixture");
    case "lightgcn-gowalla": {
      const ds = prepareDataset(log);
      const train: string[] = [], test: string[] = [];
      for (let u = 0; u < ds.numUsers; u++) {
        const seq = Array.from(ds.items.subarray(ds.userPtr[u], ds.userPtr[u + 1]));
        const cut = seq.length - Math.max(1, Math.floor(seq.length / 5));
        train.push([u, ...seq.slice(0, cut)].join(" "));
        test.push([u, ...seq.slice(cut)].join(" "));
      }
      await write(`${dir}/train.txt`, train);
      return await write(`${dir}/test.txt`, test);
    }
  }
}

/** Meta lines as Python dicts, one per item with features, sorted by numeric id. */
function metaLines(log: InteractionLog): string[] {
  const f = log.itemFeatures;
  if (!f) return [];
  const genres = f.fields.genres ?? new Map<string, string[]>();
  const ids = [...new Set([...f.titles.keys(), ...genres.keys()])]
    .sort((a, b) => Number(a) - Number(b));
  return ids.map((id) => {
    const cats = (genres.get(id) ?? []).map((g) => `[${py("Books")}, ${py(g)}]`).join(", ");
    const title = f.titles.has(id) ? `, 'title': ${py(f.titles.get(id)!)}` : "";
    return `{'asin': ${py(id)}${title}, 'salesRank': {'Books': ${Number(id) * 13}}, ` +
      `'categories': [${cats}]}`;
  });
}

/** A string as Python's repr writes it (single quotes unless the text holds one). */
function py(s: string): string {
  const escaped = s.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");
  if (s.includes("'") && !s.includes('"')) return `"${escaped}"`;
  return `'${escaped.replaceAll("'", "\\'")}'`;
}

async function write(path: string, lines: string[]): Promise<void> {
  await Deno.writeTextFile(path, lines.length === 0 ? "" : lines.join("\n") + "\n");
}
