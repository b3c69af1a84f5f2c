/**
 * The report's "Preset" section (`bench --preset NAME`): the paper, every
 * value the preset set with its source, which values a flag overrode, and
 * what the run skipped because recbench does not have it yet.
 *
 * @module
 */
import type { ResultsFile } from "../bench/results.ts";
import type { PresetRecord } from "../bench/presets.ts";

const cell = (v: unknown) => `\`${JSON.stringify(v)}\``.replaceAll("|", "\\|");

/**
 * Renders the preset section, or nothing for a run without `--preset`.
 *
 * @param file A results file.
 * @returns Markdown lines.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderPreset } from "./preset.ts";
 * ok(renderPreset({ results: [] } as never).length === 0);
 * ```
 */
export function renderPreset(file: ResultsFile): string[] {
  const p = file.grid?.options.preset as PresetRecord | undefined;
  if (!p) return [];
  const overridden = p.values.filter((v) => v.overriddenBy !== undefined);
  return [
    `## Preset \`${p.name}\``,
    "",
    `${p.paper}: ${p.reproduces}. Every value the preset set, with its source (a paper's section ` +
    "or table, the authors' code, or what the preset chose where the paper is silent); a value a " +
    "flag replaced is marked with the flag's value (`null`: the flag left that model or dataset out).",
    "",
    "| setting | preset value | source | overridden by a flag |",
    "|---|---|---|---|",
    ...p.values.map((v) =>
      `| ${v.key} | ${cell(v.value)} | ${v.why.replaceAll("|", "\\|")} | ${
        v.overriddenBy !== undefined ? cell(v.overriddenBy) : ""
      } |`
    ),
    "",
    overridden.length > 0
      ? `Overridden: ${overridden.map((v) => v.key).join(", ")}.`
      : "No value was overridden.",
    "",
    ...(p.skipped.length > 0
      ? [
        "Skipped (not in recbench yet): " +
        p.skipped.map((s) => `${s.kind} \`${s.name}\` (${s.why})`).join("; ") + ".",
        "",
      ]
      : []),
    ...p.notes.map((n) => `- ${n}`),
    ...(p.notes.length > 0 ? [""] : []),
  ];
}
