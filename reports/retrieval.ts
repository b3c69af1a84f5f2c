/**
 * The report's retrieval table (`--retrieval exact|ann`): method, queries per
 * second, and for ANN its build time and recall of the exact top-K lists next
 * to the exact figures.
 *
 * @module
 */
import type { CompletedResult } from "../bench/results.ts";

/**
 * Markdown lines of the retrieval table of one dataset x protocol (none when
 * no run used retrieval from embeddings).
 *
 * @param cell Completed runs of the cell.
 * @param models Model names, in report order.
 * @param title Display name of a model.
 * @returns Lines.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { retrievalLines } from "./retrieval.ts";
 * ok(retrievalLines([], [], (m) => m).length === 0);
 * ```
 */
export function retrievalLines(
  cell: readonly CompletedResult[],
  models: readonly string[],
  title: (model: string) => string,
): string[] {
  const rows = cell.filter((r) => r.retrieval !== undefined);
  if (rows.length === 0) return [];
  const lines = [
    "Retrieval from embeddings (metrics above come from this method; ANN recall is of the exact top-K lists):",
    "",
    "| model | seed | method | queries/s | ANN build s | ANN recall of exact | exact method | exact queries/s |",
    "|---|---:|---|---:|---:|---:|---|---:|",
  ];
  for (const m of models) {
    for (const r of rows.filter((x) => x.model === m)) {
      const x = r.retrieval!;
      lines.push(
        `| ${title(m)} | ${r.seed} | ${x.method} | ${x.queriesPerSecond.toFixed(0)} | ${
          x.indexReused ? "reused" : x.buildSeconds?.toFixed(2) ?? "-"
        } | ${x.recallOfExact?.toFixed(4) ?? "-"} | ${x.exact?.method ?? "-"} | ${
          x.exact?.queriesPerSecond.toFixed(0) ?? "-"
        } |`,
      );
    }
  }
  lines.push("");
  return lines;
}
