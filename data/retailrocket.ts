/**
 * RetailRocket's `events.csv` (Kaggle "Retailrocket recommender system
 * dataset"): header `timestamp,visitorid,event,itemid,transactionid`, times in
 * milliseconds, `event` one of `view`, `addtocart`, `transaction`.
 *
 * @module
 */
import {
  checkFieldCount,
  checkHeader,
  checkId,
  forEachRecord,
  type LoadOptions,
  prefixed,
  toTimestamp,
} from "./_records.ts";
import type { InteractionLog } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import { InteractionLogBuilder } from "./log_builder.ts";

/** The event types of RetailRocket. */
export type RetailRocketEvent = "view" | "addtocart" | "transaction";

/** All event types, in the order the file documents them. */
export const RETAILROCKET_EVENTS: readonly RetailRocketEvent[] = [
  "view",
  "addtocart",
  "transaction",
];

/** The exact header of `events.csv`. */
export const RETAILROCKET_HEADER = "timestamp,visitorid,event,itemid,transactionid";

/** Options of {@linkcode loadRetailRocket}. */
export interface RetailRocketOptions extends LoadOptions {
  /**
   * Event types to keep; the others are counted as skipped (`event addtocart
   * not selected`). REMI and ComiRec-style preprocessing use views only.
   * @default {["view"]}
   */
  events?: readonly RetailRocketEvent[];
  /** Name of the log. @default {"retailrocket"} */
  name?: string;
}

/**
 * Loads RetailRocket's `events.csv` (or `.csv.gz`). Times stay in
 * milliseconds, as in the file. A `transaction` row must carry a transaction
 * id; other rows must leave it empty.
 *
 * @param path The events file.
 * @param options Event filter, bad-line policy.
 * @returns The interaction log (no ratings).
 * @throws {DataFormatError} On a wrong header or a malformed line.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadRetailRocket } from "./retailrocket.ts";
 * const path = await Deno.makeTempFile();
 * await Deno.writeTextFile(path, "timestamp,visitorid,event,itemid,transactionid\n" +
 *   "1433221332117,257597,view,355908,\n1433223236124,287857,addtocart,248676,\n");
 * const log = await loadRetailRocket(path);
 * ok(log.items.length === 1 && log.skipped["event addtocart not selected"] === 1);
 * await Deno.remove(path);
 * ```
 */
export async function loadRetailRocket(
  path: string,
  options: RetailRocketOptions = {},
): Promise<InteractionLog> {
  const name = options.name ?? "retailrocket";
  try {
    const selected = new Set<string>(options.events ?? ["view"]);
    for (const e of selected) {
      if (!RETAILROCKET_EVENTS.includes(e as RetailRocketEvent)) {
        throw new RangeError(
          `unknown RetailRocket event "${e}" (known: ${RETAILROCKET_EVENTS.join(", ")})`,
        );
      }
    }
    const builder = new InteractionLogBuilder(name);
    const notSelected = Object.fromEntries(
      RETAILROCKET_EVENTS.map((e) => [e, `event ${e} not selected`]),
    );
    const { lastLine } = await forEachRecord(
      path,
      {
        separator: ",",
        onBadLine: options.onBadLine,
        header: (text) => checkHeader(text, RETAILROCKET_HEADER, path),
      },
      builder,
      (fields, where) => {
        checkFieldCount(fields, 5, ",", where);
        const [time, visitor, event, item, transaction] = fields;
        if (!Object.hasOwn(notSelected, event)) {
          throw new DataFormatError(
            `event must be view, addtocart or transaction, found ${JSON.stringify(event)}`,
            where,
          );
        }
        const ms = toTimestamp(time, where);
        checkId(visitor, "visitor id", where);
        checkId(item, "item id", where);
        if ((event === "transaction") !== (transaction !== "")) {
          throw new DataFormatError(
            event === "transaction"
              ? "a transaction event needs a transaction id, found none"
              : `only transaction events carry a transaction id, found ${
                JSON.stringify(transaction)
              }`,
            where,
          );
        }
        if (transaction !== "") checkId(transaction, "transaction id", where);
        if (selected.has(event)) builder.add(visitor, item, ms);
        else builder.skip(notSelected[event]);
      },
    );
    if (builder.length === 0) {
      throw new DataFormatError(
        `expected a ${[...selected].join(" or ")} event, found the end of the file`,
        { file: path, line: lastLine + 1 },
      );
    }
    return builder.finish();
  } catch (error) {
    throw prefixed(error, `Cannot load dataset "${name}": `);
  }
}
