/**
 * Writes `docs/presets.md` from the presets themselves, so the page lists
 * every value with its source exactly as the code holds it
 * (`bench/presets_test.ts` checks the page is current). Run:
 * `deno run --allow-read --allow-write bench/presets_doc.ts && deno fmt docs/presets.md`.
 *
 * @module
 */
import { type Preset, PRESETS, type Sourced } from "./presets.ts";

const code = (v: unknown) => `\`${JSON.stringify(v)}\``;
const esc = (s: string) => s.replaceAll("|", "\\|");
const row = (what: string, s: Sourced<unknown>) => `| ${what} | ${code(s.value)} | ${esc(s.why)} |`;

function presetSection(p: Preset): string[] {
  const lines = [
    `## \`${p.name}\``,
    "",
    `${p.paper}. Reproduces ${p.reproduces}.`,
    "",
    "| setting | value | source or reason |",
    "|---|---|---|",
    row("protocols", p.protocols),
    ...(p.split ? [row("split", p.split)] : []),
    ...(p.cfOrder ? [row("cf order", p.cfOrder)] : []),
    row("seeds", p.seeds),
    row("max iterations", p.budget.maxIterations),
    row("validation every", p.budget.evalEvery),
    row("patience", p.budget.patience),
    ...(p.tuneMetric ? [row("tuning metric", p.tuneMetric)] : []),
    "",
    "Datasets:",
    "",
    "| dataset | settings | source or reason |",
    "|---|---|---|",
  ];
  for (const d of p.datasets) {
    lines.push(
      `| \`${d.name}\`${d.pending ? " (pending)" : ""} | ${
        d.stats
          ? `${d.stats.users} users, ${d.stats.items} items, ${d.stats.interactions} interactions (${d.stats.why})`
          : ""
      } | ${esc(d.why)}${d.pending ? `. **Pending**: ${esc(d.pending)}` : ""} |`,
    );
    if (d.maxlen) lines.push(row(`\`${d.name}\` maxlen`, d.maxlen));
    for (const [m, keys] of Object.entries(d.config ?? {})) {
      for (const [k, s] of Object.entries(keys)) lines.push(row(`\`${d.name}\` ${m}.${k}`, s));
    }
  }
  lines.push(
    "",
    "Models (the last is the report's focus):",
    "",
    "| model | value | source or reason |",
    "|---|---|---|",
  );
  for (const m of p.models) {
    lines.push(
      `| \`${m.name}\`${m.pending ? " (pending)" : ""} | | ${esc(m.why)}${
        m.pending ? `. **Pending**: ${esc(m.pending)}` : ""
      } |`,
    );
    for (const [k, s] of Object.entries(m.set ?? {})) lines.push(row(`\`${m.name}\` ${k}`, s));
    for (const [k, s] of Object.entries(m.tune ?? {})) {
      lines.push(row(`\`${m.name}\` ${k} (tuned on validation)`, s));
    }
  }
  if (p.notes?.length) lines.push("", ...p.notes.map((n) => `- ${n}`));
  lines.push("");
  return lines;
}

/**
 * The text of `docs/presets.md`.
 *
 * @returns Markdown.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { presetsDoc } from "./presets_doc.ts";
 * ok(presetsDoc().includes("## `remi`"));
 * ```
 */
export function presetsDoc(): string {
  return [
    "# Paper presets",
    "",
    "<!-- Written by `deno run --allow-read --allow-write bench/presets_doc.ts` (then `deno fmt docs/presets.md`) from `bench/presets/`; do not edit by hand. -->",
    "",
    "`deno task bench --preset NAME` fills the datasets, protocol, models, per-dataset settings,",
    "budget and tuning grids a seed paper states; `--list` prints what would run, the datasets you",
    "lack with how to get them, and the projected wall time, without running anything. Every",
    "explicit flag overrides the value it names (`--datasets`, `--models`, `--seeds`,",
    "`--max-iterations`, `--eval-every`, `--patience`, `--maxlen`, `--set`, `--tune`, `--tune-metric`,",
    "`--split`, `--cf-order`): `--set model.key` replaces the preset's value and grid of that key",
    "everywhere, `--tune model.key` the preset's grid of that key, and `--models` / `--datasets` drop",
    "the preset's settings of what they leave out. The report's \"Preset\" section names the preset",
    "and lists every value it set, with its source and the flag value that replaced it, and the",
    "entries it skipped.",
    "",
    "A value the paper leaves out says what the preset chose and why. Models and datasets recbench",
    "does not have yet are **pending**: `--list` prints them as not available and the run skips them",
    "with a note; switching one on is deleting its `pending` line in `bench/presets/NAME.ts` once",
    "the model is registered under that name (and, for REMI's baselines, adding the grid the pending",
    "note names).",
    "",
    "The projected time (`bench/presets_plan.ts`) comes from the speeds committed in",
    "`bench/presets_speeds.json` (measured with the commands it lists, on the machine and date it",
    "names, under that load), scaled to each dataset's size: sequential training by the item table",
    "(ComiRec-SA measured at two table sizes), `cf` training by users + items + interactions, ranking",
    "by users x items. It assumes every training runs its full budget, so it is an upper bound where",
    "early stopping ends sooner; datasets without a size in the preset are not projected. The speeds",
    "are each model's at its default config: a preset's other sizes (IDSF's d 128 and batch 1024, a",
    "grid's K) are not scaled for, and the machine was loaded when they were measured (see the file).",
    "",
    ...Object.values(PRESETS).flatMap(presetSection),
  ].join("\n");
}

/** The line after which `docs/presets.md` is written by hand (runs checked by hand); kept as it is. */
export const HAND_WRITTEN_MARKER = "<!-- Written by hand below this line. -->";

if (import.meta.main) {
  const path = new URL("../docs/presets.md", import.meta.url);
  const old = await Deno.readTextFile(path).catch(() => "");
  const at = old.indexOf(HAND_WRITTEN_MARKER);
  const tail = at >= 0 ? old.slice(at) : `${HAND_WRITTEN_MARKER}\n`;
  await Deno.writeTextFile(path, `${presetsDoc()}\n${tail}`);
}
