/**
 * Gowalla check-ins as SNAP distributes them: `loc-gowalla_totalCheckins.txt`
 * (or `.txt.gz`), one check-in a line, tab-separated: user, ISO-8601 UTC time,
 * latitude, longitude, location id. Locations are the items.
 *
 * @module
 */
import {
  checkFieldCount,
  checkId,
  forEachRecord,
  type LoadOptions,
  prefixed,
  toNumber,
  type Where,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** The check-in file's name in the SNAP distribution. */
export const GOWALLA_FILE = "loc-gowalla_totalCheckins.txt";

const ISO_UTC = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$/;

/**
 * Parses a Gowalla time such as `2010-10-19T23:55:27Z` to Unix seconds.
 *
 * @param value The field.
 * @param where The file and line, for errors.
 * @returns Seconds since 1970-01-01 UTC.
 * @throws {DataFormatError} Unless the field is `YYYY-MM-DDTHH:MM:SSZ` with a valid date.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { parseIsoSeconds } from "./gowalla.ts";
 * ok(parseIsoSeconds("1970-01-02T00:00:01Z", { file: "f", line: 1 }) === 86401);
 * ```
 */
export function parseIsoSeconds(value: string, where: Where): number {
  const m = ISO_UTC.exec(value);
  if (m) {
    const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
    const ms = Date.UTC(y, mo - 1, d, h, mi, s);
    const back = new Date(ms);
    if (back.getUTCMonth() === mo - 1 && back.getUTCDate() === d && h < 24 && mi < 60 && s < 60) {
      return ms / 1000;
    }
  }
  throw new DataFormatError(
    `check-in time must be an ISO time like 2010-10-19T23:55:27Z, found ${JSON.stringify(value)}`,
    where,
  );
}

/**
 * Loads SNAP's Gowalla check-ins. Times become Unix seconds; every check-in is
 * kept (repeated visits included: see `dedupe` in `PrepareOptions`). Latitude
 * and longitude are checked but not kept.
 *
 * @param path `loc-gowalla_totalCheckins.txt` or `.txt.gz`.
 * @param options Bad-line policy; `name` of the log.
 * @returns The interaction log (no ratings).
 * @throws {DataFormatError} On a malformed line (file and line in the message).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadGowalla } from "./gowalla.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "0\t2010-10-19T23:55:27Z\t30.23\t-97.79\t22847\n");
 * const log = await loadGowalla(path);
 * ok(log.itemIds[0] === "22847" && log.times[0] === 1287532527);
 * await Deno.remove(path);
 * ```
 */
export async function loadGowalla(
  path: string,
  options: LoadOptions & { name?: string } = {},
): Promise<InteractionLog> {
  const name = options.name ?? "gowalla";
  try {
    const builder = new InteractionLogBuilder(name);
    const { lastLine, records } = await forEachRecord(
      path,
      { separator: "\t", onBadLine: options.onBadLine },
      builder,
      (fields, where) => {
        checkFieldCount(fields, 5, "\t", where);
        const [user, time, lat, lon, location] = fields;
        const seconds = parseIsoSeconds(time, where);
        const latitude = toNumber(lat, "latitude", where);
        const longitude = toNumber(lon, "longitude", where);
        if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
          throw new DataFormatError(
            `latitude and longitude must be within ±90 and ±180, found ${lat}, ${lon}`,
            where,
          );
        }
        builder.add(
          checkId(user, "user id", where),
          checkId(location, "location id", where),
          seconds,
        );
      },
    );
    if (records === 0) {
      throw new DataFormatError("expected a check-in, found the end of the file", {
        file: path,
        line: lastLine + 1,
      });
    }
    return builder.finish();
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}
