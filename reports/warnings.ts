/**
 * The report's "Warnings" section: cells whose numbers should not be read at
 * face value (an `onnx:` model evaluated on its own training users, scores
 * that tie every item). Empty when all is well. A dataset's notes (a missing
 * optional file) are listed with the dataset.
 *
 * @module
 */
import type { ResultsFile } from "../bench/results.ts";

/**
 * Renders the warnings of a results file as Markdown lines.
 *
 * @param file The results.
 * @returns Lines (a heading, one bullet per warning, a blank line), or none.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderWarnings } from "./warnings.ts";
 * const file = { schema: 1 as const, seeds: [1], models: {}, results: [], datasets: {},
 *   provenance: { revision: "r", command: "c", packages: {},
 *     runtime: { deno: "2", v8: "1", typescript: "5", os: "linux", arch: "x86_64" } } };
 * ok(renderWarnings(file).length === 0);
 * ```
 */
export function renderWarnings(file: ResultsFile): string[] {
  const bullets: string[] = [];
  for (const r of file.results) {
    for (const w of r.warnings ?? []) {
      bullets.push(`- ⚠ ${r.model} on \`${r.dataset}\` (${r.protocol}, seed ${r.seed}): ${w}`);
    }
  }
  return bullets.length === 0 ? [] : [
    "## Warnings",
    "",
    "Read these cells' numbers with care (their model is marked ⚠ in the tables below):",
    "",
    ...bullets,
    "",
  ];
}
