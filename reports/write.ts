/**
 * Writes a results folder's report: `report.md` and its SVG charts, from
 * `results.json` and the per-user files beside it. The same folder always
 * gives the same bytes.
 *
 * @module
 */
import { readPerUser } from "../bench/per_user.ts";
import { type CompletedResult, type ResultsFile, writeTextAtomic } from "../bench/results.ts";
import { planCharts, renderSvg } from "./charts.ts";
import type { PerUserLookup } from "./compare.ts";
import { renderReport } from "./markdown.ts";
import { renderTuning, withoutTuningPoints } from "./tuning.ts";
import { readPublished, renderPublished } from "./published.ts";
import { renderPreset } from "./preset.ts";

/** Options of {@linkcode buildReport} and {@linkcode writeReport}. */
export interface WriteReportOptions {
  /** The model whose improvement is reported, or `"none"`. @default the last model */
  focus?: string;
}

/** A report with its charts, not yet written. */
export interface BuiltReport {
  /** `report.md` text. */
  markdown: string;
  /** SVG files, paths relative to the results folder. */
  charts: { path: string; svg: string }[];
}

/**
 * Loads the per-user values of every completed result that has them.
 *
 * @param dir The results folder.
 * @param file The results.
 * @returns A lookup for {@linkcode renderReport}.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadPerUser } from "./write.ts";
 * const file = { schema: 1 as const, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } };
 * const lookup = await loadPerUser(await Deno.makeTempDir(), file);
 * ok(typeof lookup === "function");
 * ```
 */
export async function loadPerUser(dir: string, file: ResultsFile): Promise<PerUserLookup> {
  const values = new Map<string, Awaited<ReturnType<typeof readPerUser>>>();
  for (const r of file.results) {
    if (r.state === "completed" && r.perUser) {
      values.set(r.perUser, await readPerUser(dir, r.perUser));
    }
  }
  return (r: CompletedResult) => r.perUser ? values.get(r.perUser) : undefined;
}

/**
 * Builds the report and its charts from a results folder's contents.
 *
 * @param dir The results folder (for the per-user files).
 * @param file Its results.
 * @param options Focus model.
 * @returns Markdown and SVGs.
 * @example
 * ```ts ignore
 * import { buildReport, readResults } from "../mod.ts";
 * const built = await buildReport("out/bench", await readResults("out/bench/results.json"));
 * ```
 */
export async function buildReport(
  dir: string,
  file: ResultsFile,
  options: WriteReportOptions = {},
): Promise<BuiltReport> {
  const all = file;
  file = withoutTuningPoints(file);
  const plans = planCharts(file);
  const charts = [];
  for (const plan of plans) charts.push({ path: plan.path, svg: await renderSvg(plan.spec) });
  const markdown = renderReport(file, {
    ...(options.focus !== undefined ? { focus: options.focus } : {}),
    perUser: await loadPerUser(dir, file),
    charts: plans,
  });
  const extra = [
    ...renderPreset(all),
    ...renderTuning(all),
    ...renderPublished(file, await readPublished()),
  ];
  return {
    markdown: extra.length > 0 ? `${markdown.trimEnd()}\n\n${extra.join("\n")}` : markdown,
    charts,
  };
}

/**
 * Writes `report.md` and `charts/*.svg` into a results folder.
 *
 * @param dir The results folder.
 * @param file Its results.
 * @param options Focus model.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { writeReport } from "./write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeReport(dir, { schema: 1, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } });
 * ok((await Deno.readTextFile(`${dir}/report.md`)).startsWith("# recbench report"));
 * ```
 */
export async function writeReport(
  dir: string,
  file: ResultsFile,
  options: WriteReportOptions = {},
): Promise<void> {
  const built = await buildReport(dir, file, options);
  for (const chart of built.charts) {
    await Deno.mkdir(`${dir}/${chart.path.slice(0, chart.path.lastIndexOf("/"))}`, {
      recursive: true,
    });
    await writeTextAtomic(`${dir}/${chart.path}`, chart.svg);
  }
  await writeTextAtomic(`${dir}/report.md`, built.markdown);
}
