/**
 * The papers' printed figures beside ours (`reports/published/*.json`): when a
 * run's dataset and protocol match a paper's entries, the report lists our
 * mean test value, the published one and their relative difference, and says
 * whether the paper's ordering of the models we ran holds in our run. These
 * figures are only displayed: nothing computes or tunes with them.
 *
 * @module
 */
import type { ResultsFile } from "../bench/results.ts";

/** One printed figure. */
export interface PublishedEntry {
  /** recbench dataset name (`amazon-books`, `lightgcn-gowalla`, ...). */
  dataset: string;
  /** `sequential` or `cf`. */
  protocol: string;
  /** recbench model name (a paper's model recbench lacks keeps its own name and never matches). */
  model: string;
  /** Metric key, e.g. `recall@50`. */
  metric: string;
  /** The printed value (fractions, not percent). */
  value: number;
  /** The table it comes from. */
  table: string;
  /**
   * Entries compared with each other (one block, one ordering sentence per
   * metric); defaults to `table`. Set it to compare figures of several tables
   * printed for the same split (LightGCN's Table 3 with NGCF's MF row).
   */
  comparison?: string;
}

/** One paper's figures (`reports/published/<name>.json`). */
export interface PublishedSource {
  /** Citation. */
  paper: string;
  /** How the figures were obtained and what differs from recbench's protocol. */
  note?: string;
  /** The figures. */
  entries: PublishedEntry[];
}

/**
 * Reads every `*.json` of a folder of published figures, sorted by file name.
 *
 * @param dir The folder. @default {reports/published}
 * @returns The sources.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { readPublished } from "./published.ts";
 * ok((await readPublished()).some((s) => s.entries.some((e) => e.model === "remi")));
 * ```
 */
export async function readPublished(
  dir: string | URL = new URL("./published/", import.meta.url),
): Promise<PublishedSource[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    if (e.isFile && e.name.endsWith(".json")) names.push(e.name);
  }
  const out: PublishedSource[] = [];
  for (const name of names.sort()) {
    const path = new URL(name, dir instanceof URL ? dir : `file://${dir.replace(/\/?$/, "/")}`);
    const source = JSON.parse(await Deno.readTextFile(path)) as PublishedSource;
    if (!Array.isArray(source.entries) || typeof source.paper !== "string") {
      throw new TypeError(`${path.pathname}: expected { paper, entries: [...] }`);
    }
    source.entries.forEach((e, i) => {
      if (typeof e.value !== "number" || !e.dataset || !e.protocol || !e.model || !e.metric) {
        throw new TypeError(
          `${path.pathname}: entry ${i} needs dataset, protocol, model, metric and a numeric value`,
        );
      }
    });
    out.push(source);
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/**
 * Renders the "Published figures" section: per paper and matching
 * (dataset, protocol), our mean test value beside each printed one, and per
 * metric whether the paper's ordering of the models we ran holds.
 *
 * @param file A results file (grid points excluded by the caller or skipped here).
 * @param sources Published figures.
 * @returns Markdown lines (none when nothing matches).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderPublished } from "./published.ts";
 * ok(renderPublished({ results: [] } as never, []).length === 0);
 * ```
 */
export function renderPublished(file: ResultsFile, sources: readonly PublishedSource[]): string[] {
  const ours = new Map<string, number[]>();
  for (const r of file.results) {
    if (r.state !== "completed" || r.tuning?.role === "point") continue;
    for (const [metric, v] of Object.entries(r.metrics)) {
      const k = `${r.dataset}/${r.protocol}/${r.model}/${metric}`;
      ours.set(k, [...(ours.get(k) ?? []), v]);
    }
  }
  const lines: string[] = [];
  for (const source of sources) {
    // One group per dataset, protocol and table (or comparison): a paper's tables may
    // print the same model twice (REMI's Tables 2 and 5), and each table's ordering stands alone.
    const groups = new Map<string, PublishedEntry[]>();
    for (const e of source.entries) {
      if (!ours.has(`${e.dataset}/${e.protocol}/${e.model}/${e.metric}`)) continue;
      const g = JSON.stringify([e.dataset, e.protocol, e.comparison ?? e.table]);
      groups.set(g, [...(groups.get(g) ?? []), e]);
    }
    for (const [group, entries] of groups) {
      const [dataset, protocol, table] = JSON.parse(group) as string[];
      lines.push(
        `### ${dataset} (${protocol}), ${table}: ${source.paper}`,
        "",
        ...(source.note ? [source.note, ""] : []),
        "| model | metric | ours | published | difference | source |",
        "|---|---|---:|---:|---:|---|",
      );
      const value = (e: PublishedEntry) =>
        mean(ours.get(`${dataset}/${protocol}/${e.model}/${e.metric}`)!);
      for (const e of entries) {
        const v = value(e);
        lines.push(
          `| ${e.model} | ${e.metric} | ${v.toFixed(4)} | ${e.value.toFixed(4)} | ${
            e.value !== 0 ? `${((v / e.value - 1) * 100).toFixed(1)}%` : "–"
          } | ${e.table} |`,
        );
      }
      const sentences = orderingSentences(entries, value);
      lines.push("", ...sentences, ...(sentences.length > 0 ? [""] : []));
    }
  }
  if (lines.length === 0) return [];
  return [
    "## Published figures",
    "",
    "Our mean test values (over seeds) beside the figures the papers print, where the run's " +
    "dataset and protocol match (`reports/published/`). Difference = ours / published - 1. " +
    "The published figures are shown only: nothing computes or tunes with them.",
    "",
    ...lines,
  ];
}

/** Per metric: does the paper's ordering of the models we ran hold in ours? */
function orderingSentences(
  entries: readonly PublishedEntry[],
  ours: (e: PublishedEntry) => number,
): string[] {
  const out: string[] = [];
  const metrics = [...new Set(entries.map((e) => e.metric))];
  for (const metric of metrics) {
    const es = entries.filter((e) => e.metric === metric);
    if (es.length < 2) continue;
    const flipped: string[] = [];
    for (let i = 0; i < es.length; i++) {
      for (let j = 0; j < es.length; j++) {
        const [a, b] = [es[i], es[j]];
        if (a.value > b.value && !(ours(a) > ours(b))) {
          flipped.push(`${a.model} > ${b.model} in the paper, not in ours`);
        }
      }
    }
    const order = [...es].sort((a, b) => b.value - a.value).map((e) => e.model).join(" > ");
    out.push(
      flipped.length === 0
        ? `${metric}: the paper's ordering (${order}) holds in our run.`
        : `${metric}: the paper's ordering (${order}) does not hold: ${flipped.join("; ")}.`,
    );
  }
  return out;
}
