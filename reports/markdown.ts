/**
 * Renders `results.json` as a Markdown report. Pure: the same results give
 * byte-identical Markdown (no clock, no locale, fixed orders).
 *
 * @module
 */
import {
  REFERENCE_DATASET_SETTINGS,
  referenceModelSettings,
} from "../models/_sequential/dataset_settings.ts";
import { renderWarnings } from "./warnings.ts";
import { tunedFootnote } from "./tuning.ts";
import { retrievalLines } from "./retrieval.ts";
import { variantLines } from "./variants.ts";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import {
  ALPHA,
  better,
  chooseFocus,
  compareWithBestBaseline,
  type Comparison,
  LOWER_IS_BETTER,
  type PerUserLookup,
  tableRows,
} from "./compare.ts";
import { fairnessLines } from "./fairness.ts";
import { meanStd } from "./stats.ts";

/** Options of {@linkcode renderReport}. */
export interface ReportOptions {
  /**
   * The model whose improvement over the best baseline is reported, or
   * `"none"`. @default the last model of the run (see `chooseFocus`)
   */
  focus?: string;
  /** Per-user values of a result, for the significance tests; none means untested. */
  perUser?: PerUserLookup;
  /** Charts to link, with paths relative to the report. */
  charts?: readonly { path: string; title: string; dataset: string; protocol: string }[];
}

const PROTOCOL_NOTES: Record<string, string> = {
  sequential:
    "Users split 8:1:1 (seeded) into disjoint train / valid / test users; of a held-out user's first 80% the last maxlen items are the history, every item of the last 20% a target; retrieval over the whole corpus, interests merged by max score.",
  cf: "full ranking of every item the user has not interacted with in training.",
};

/** How the cf split was made, from a result's protocol config. */
function cfSplitText(config: Record<string, unknown>): string {
  if (config.split === "given") {
    return "The dataset's own train / valid / test files, used as given (`--split given`); ";
  }
  const ratios = Array.isArray(config.ratios)
    ? config.ratios.map((r) => 10 * r).join(":")
    : "8:1:1";
  return config.order === "temporal"
    ? `Each user's interactions split ${ratios} by time (\`--cf-order temporal\`: the oldest to train, the latest to test); `
    : `Each user's interactions split ${ratios} in a seeded random order (\`--cf-order random\`); `;
}

function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

function metricFamily(key: string): string {
  return key.split("@")[0];
}

function formatP(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return "-";
  if (p === 0) return "< 1e-300";
  return p >= 0.001 ? p.toFixed(3) : p.toExponential(1);
}

function formatImprovement(c: Comparison | undefined): string {
  if (!c || !Number.isFinite(c.improvement)) return "-";
  const pct = `${c.improvement >= 0 ? "+" : ""}${(100 * c.improvement).toFixed(2)}%`;
  if (c.significant) return `${pct}*`;
  if (!c.users) return `${pct} (untested)`;
  return significantlyWorse(c) ? `${pct} (worse, p < ${ALPHA})` : `${pct} (n.s.)`;
}

function significantlyWorse(c: Comparison): boolean {
  return c.improvement < 0 && c.users !== undefined && c.users.t.p < ALPHA &&
    c.users.wilcoxon.p < ALPHA;
}

/**
 * Renders the report.
 *
 * @param file The results.
 * @param options Focus model, per-user values for significance tests, charts to link.
 * @returns Markdown text ending in a newline.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderReport } from "./markdown.ts";
 * const md = renderReport({ schema: 1, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "r", command: "c", packages: {},
 *     runtime: { deno: "2", v8: "1", typescript: "5", os: "linux", arch: "x86_64" } } });
 * ok(md.startsWith("# recbench report"));
 * ```
 */
export function renderReport(file: ResultsFile, options: ReportOptions = {}): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  const focus = chooseFocus(file, options.focus);
  const perUser: PerUserLookup = options.perUser ?? (() => undefined);
  push("# recbench report", "");
  push(...renderWarnings(file));
  push(
    `Seeds: ${
      file.seeds.join(", ")
    }. Cells show mean ± sample std over seeds (plain mean for one seed). ` +
      "**Bold** marks the best model per row, <u>underlined</u> the second (with three or more models).",
    "",
    "Every model's scores are ranked by the same shared code; items with equal scores are ranked by lower item index.",
    "",
  );
  if (focus) {
    push(
      `"Improv." is the relative improvement of **${
        file.models[focus]?.title ?? focus
      }** over the best other model of each row. ` +
        `\* marks an improvement with p < ${ALPHA} in both a paired t-test and a Wilcoxon signed-rank test ` +
        "over per-user values (users paired within each seed, seeds pooled); (n.s.) is not significant, " +
        "(untested) has no per-user values. Only starred rows claim an improvement.",
      "",
    );
  }

  push("## Datasets", "");
  push(
    "| dataset | users | items | interactions | density | mean / median per user | load s | prepare s | checksum |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---|",
  );
  for (const name of Object.keys(file.datasets)) {
    const d = file.datasets[name];
    push(
      `| ${name} | ${d.users} | ${d.items} | ${d.interactions} | ${d.density.toExponential(2)} | ${
        d.meanPerUser.toFixed(1)
      } / ${d.medianPerUser} | ${d.loadSeconds.toFixed(2)} | ${d.prepareSeconds.toFixed(2)} | \`${
        d.checksum.slice(0, 12)
      }\` |`,
    );
  }
  push("");
  for (const name of Object.keys(file.datasets)) {
    const prep = file.datasets[name].preparation as {
      options?: Record<string, unknown>;
      rawInteractions?: number;
      droppedByRating?: number;
      droppedByFilter?: number;
      droppedAsDuplicates?: number;
      skipped?: Record<string, number>;
      notes?: string[];
    };
    const opts = Object.entries(prep.options ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
    const skipped = Object.entries(prep.skipped ?? {}).map(([k, v]) => `${v} ${k}`).join(", ");
    push(
      `- \`${name}\`: ${prep.rawInteractions} events read; ${prep.droppedByRating} dropped by the rating threshold, ${prep.droppedByFilter} by the frequency filter (${opts}); lines skipped: ${
        skipped || "none"
      }.${repeatsNote(prep.droppedAsDuplicates, file.datasets[name].repeatedEvents)}`,
    );
    for (const note of prep.notes ?? []) push(`  - ${note}`);
    for (const f of [file.datasets[name].itemFeatures ?? []].flat()) {
      const unknown = f.unknownRows > 0
        ? ` (e.g. ${f.unknownExamples.map((id) => `\`${id}\``).join(", ")})`
        : "";
      push(
        `- \`${name}\` item features (\`--item-features\`, read by IDSF only${
          f.modality && f.modality !== "dense" ? `, modality \`${f.modality}\`` : ""
        }): \`${f.file}\`, ${f.format}, ${f.columns} columns, ${f.rows} rows; ${f.matchedRows} rows matched dataset items, ${f.unknownRows} rows for items not in the dataset were not used${unknown}; ${f.itemsWithoutRow} of ${
          file.datasets[name].items
        } items have no row and miss that modality.`,
      );
    }
  }
  push("");
  push(...setupLines(file));

  const completed = file.results.filter((r): r is CompletedResult => r.state === "completed");
  const datasets = unique(file.results.map((r) => r.dataset));
  const protocols = unique(file.results.map((r) => r.protocol));
  for (const dataset of datasets) {
    for (const protocol of protocols) {
      const cell = completed.filter((r) => r.dataset === dataset && r.protocol === protocol);
      if (cell.length === 0) continue;
      const models = unique(cell.map((r) => r.model));
      push(`## ${dataset}, ${protocol} protocol`, "");
      const excl = cell[0].config.protocol.excludeHistory === true
        ? " History items removed from the candidates (not the reference setting)." +
          targetsInHistoryNote(cell[0].config.protocol.testTargetsInHistory)
        : "";
      const maxlen = cell[0].config.protocol.maxlen;
      const ml = maxlen !== undefined ? ` maxlen ${maxlen}.` : "";
      const intro = protocol === "cf"
        ? cfSplitText(cell[0].config.protocol) + PROTOCOL_NOTES.cf
        : PROTOCOL_NOTES[protocol] ?? "";
      push(`${intro}${ml}${excl} Test users: ${cell[0].evaluatedUsers}.`, "");
      const reference = referenceSettingsNote(dataset, cell);
      if (reference) push(reference, "");
      // ⚠ marks a model with a cell listed under Warnings (reports/warnings.ts).
      const titles = models.map((m) =>
        (file.models[m]?.title ?? m) +
        (cell.some((r) => r.model === m && (r.warnings?.length ?? 0) > 0) ? " ⚠" : "") +
        (cell.some((r) => r.model === m && r.tuning?.role === "chosen") ? " †" : "")
      );
      const showFocus = focus !== undefined && models.includes(focus) && models.length > 1;
      const head = showFocus ? [...titles, "Improv."] : titles;
      if (focus !== undefined && !showFocus) {
        const focusTitle = file.models[focus]?.title ?? focus;
        push(
          models.includes(focus)
            ? `No "Improv." column: ${focusTitle}, the model in focus, is the only model here.`
            : `No "Improv." column: ${focusTitle}, the model in focus, has no completed run in the ${protocol} protocol${
              file.results.some((r) => r.model === focus && r.protocol === protocol)
                ? " (its runs failed, see Failed runs)"
                : " (it does not support it)"
            }.`,
          "",
        );
      }
      push(`| metric | ${head.join(" | ")} |`, `|---|${head.map(() => "---:").join("|")}|`);
      const comparisons: Comparison[] = [];
      for (const key of tableRows(Object.keys(cell[0].metrics))) {
        const stats = models.map((m) =>
          meanStd(cell.filter((r) => r.model === m).map((r) => r.metrics[key]))
        );
        const lower = LOWER_IS_BETTER.has(metricFamily(key));
        // Rank on the printed values, so equal-looking cells get the same mark.
        const shown = stats.map((s) => Number(fmt(s.mean)));
        const distinct = [...new Set(shown.filter(Number.isFinite))].sort((a, b) =>
          better(key, a, b) ? -1 : better(key, b, a) ? 1 : 0
        );
        const cells = stats.map((s, i) => {
          const text = s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
          if (models.length < 2) return text;
          if (shown[i] === distinct[0]) return `**${text}**`;
          if (models.length >= 3 && shown[i] === distinct[1]) return `<u>${text}</u>`;
          return text;
        });
        if (showFocus) {
          const c = compareWithBestBaseline(cell, focus!, key, perUser);
          if (c) comparisons.push(c);
          cells.push(formatImprovement(c));
        }
        push(`| ${key}${lower ? " (lower is better)" : ""} | ${cells.join(" | ")} |`);
      }
      push("");
      push(...tunedFootnote(cell, models, (m) => file.models[m]?.title ?? m));
      const tested = comparisons.filter((c) => c.users || c.seeds);
      if (tested.length > 0) {
        push(
          `Significance of ${file.models[focus!]?.title ?? focus} against the best other model ` +
            "(two-sided p-values; users paired within each seed):",
          "",
          "| metric | against | pairs (users) | t-test p (users) | Wilcoxon p (users) | t-test p (seeds) | Wilcoxon p (seeds) | claim |",
          "|---|---|---:|---:|---:|---:|---:|---|",
        );
        for (const c of tested) {
          push(
            `| ${c.metric} | ${file.models[c.baseline]?.title ?? c.baseline} | ${
              c.users?.t.n ?? "-"
            } | ${formatP(c.users?.t.p)} | ${formatP(c.users?.wilcoxon.p)} | ${
              formatP(c.seeds?.t.p)
            } | ${formatP(c.seeds?.wilcoxon.p)} | ${
              c.significant
                ? "improvement"
                : !c.users
                ? "untested per user"
                : c.improvement > 0
                ? "not significant"
                : significantlyWorse(c)
                ? "significantly worse"
                : "no improvement"
            } |`,
          );
        }
        const fewSeeds = tested.some((c) => !c.seeds)
          ? ['- Seed-level tests (over the seeds\' means) need three or more seeds: "-" here.']
          : [];
        push("", ...undefinedTestNotes(tested), ...fewSeeds, "");
      }
      for (const chart of options.charts ?? []) {
        if (chart.dataset === dataset && chart.protocol === protocol) {
          push(`![${chart.title}](${chart.path})`, "");
        }
      }
      push("Efficiency (mean over seeds):", "");
      const peak = cell.every((r) => r.peakRssMiB !== undefined);
      push(
        `| model | parameters | train s | train speed | eval s | eval users/s | ${
          peak ? "peak RSS MiB (sampled)" : "RSS MiB after the run"
        } |`,
        "|---|---:|---:|---:|---:|---:|---:|",
      );
      for (const m of models) {
        const rs = cell.filter((r) => r.model === m);
        const mean = (f: (r: CompletedResult) => number) => meanStd(rs.map(f)).mean;
        push(
          `| ${file.models[m]?.title ?? m} | ${rs[0].parameters} | ${
            fmt(mean((r) => r.timings.fitSeconds), 2)
          } | ${trainSpeed(rs)} | ${fmt(mean((r) => r.timings.evalSeconds), 2)} | ${
            fmt(mean((r) => r.timings.evalUsersPerSecond), 0)
          } | ${fmt(mean((r) => peak ? r.peakRssMiB! : r.rssMiB), 0)} |`,
        );
      }
      push("");
      push(...retrievalLines(cell, models, (m) => file.models[m]?.title ?? m));
      push(...variantLines(cell, models, (m) => file.models[m]?.title ?? m));
      const diagnostics = diagnosticRows(cell, models);
      if (diagnostics.length > 0) {
        push(
          "Training diagnostics (mean over seeds; for multi-interest models the routing-collapse " +
            "measures say whether the interests collapse onto one):",
          "",
          "| model | diagnostic | value |",
          "|---|---|---:|",
          ...diagnostics.map(([m, k, v]) => `| ${file.models[m]?.title ?? m} | ${k} | ${v} |`),
          "",
        );
      }
      const underTrained = underTrainedLines(cell, models, (m) => file.models[m]?.title ?? m);
      if (underTrained.length > 0) push(...underTrained, "");
      push(...fairnessLines(cell, models, (m) => file.models[m]?.title ?? m));
    }
  }

  const errored = file.results.filter((r) => r.state === "errored");
  if (errored.length > 0) {
    push(
      "## Failed runs",
      "",
      "| model | dataset | protocol | seed | error |",
      "|---|---|---|---:|---|",
    );
    for (const r of errored) {
      if (r.state !== "errored") continue;
      const first = r.error.split("\n")[0].replaceAll("|", "\\|");
      push(`| ${r.model} | ${r.dataset} | ${r.protocol} | ${r.seed} | ${first} |`);
    }
    push("");
  }

  push("## Models and their deviations from the papers", "");
  for (const name of Object.keys(file.models)) {
    const m = file.models[name];
    push(`- **${m.title}** (\`${name}\`): ${m.reference} Deviations: ${m.deviations}`);
  }
  push("");

  const p = file.provenance;
  push("## Provenance", "");
  push(`- Revision: \`${p.revision}\``);
  push(
    `- Runtime: Deno ${p.runtime.deno}, V8 ${p.runtime.v8}, TypeScript ${p.runtime.typescript}, ${p.runtime.os}/${p.runtime.arch}`,
  );
  const pkgs = Object.entries(p.packages).map(([k, v]) => `${k}@${v}`).join(", ");
  push(`- Packages: ${pkgs || "none"}`);
  push(`- Seeds: ${file.seeds.join(", ")}`);
  for (const name of Object.keys(file.datasets)) {
    push(`- Dataset \`${name}\` checksum: \`${file.datasets[name].checksum}\``);
    for (const f of [file.datasets[name].itemFeatures ?? []].flat()) {
      const ids = f.ids ? `; item ids \`${f.ids.file}\` SHA-256 \`${f.ids.sha256}\`` : "";
      push(`- Item features for \`${name}\`: \`${f.file}\` SHA-256 \`${f.sha256}\`${ids}`);
    }
  }
  push(`- Command: \`${p.command}\``);
  push("");
  return lines.join("\n");
}

function trainSpeed(rs: readonly CompletedResult[]): string {
  const rates = rs.map((r) => r.training?.secondsPer1000 ?? NaN);
  return rates.every(Number.isFinite) ? `${fmt(meanStd(rates).mean, 3)} s / 1000 it` : "-";
}

function diagnosticRows(cell: readonly CompletedResult[], models: readonly string[]): string[][] {
  const rows: string[][] = [];
  for (const m of models) {
    const rs = cell.filter((r) => r.model === m);
    if (!rs.every((r) => r.training)) continue;
    rows.push([
      m,
      rs.length > 1 ? "iterations run (best kept), per seed" : "iterations run (best kept)",
      rs.map((r) => `${r.training!.iterations} (${r.training!.bestIteration})`).join(", "),
    ]);
    const keys = [...new Set(rs.flatMap((r) => Object.keys(r.training!.diagnostics)))].sort();
    for (const key of keys) {
      const values = rs.map((r) => r.training!.diagnostics[key]);
      if (values.every((v) => typeof v === "number" && Number.isFinite(v))) {
        rows.push([m, key, fmt(meanStd(values).mean)]);
      }
    }
  }
  return rows;
}

/**
 * Flags models whose best validation came at their last iteration: training
 * was still improving when the budget ran out.
 */
function underTrainedLines(
  cell: readonly CompletedResult[],
  models: readonly string[],
  title: (m: string) => string,
): string[] {
  const lines: string[] = [];
  for (const m of models) {
    const last = cell.filter((r) =>
      r.model === m && r.training && r.training.iterations > 0 &&
      r.training.bestIteration === r.training.iterations
    );
    if (last.length === 0) continue;
    const seeds = last.map((r) => r.seed).join(", ");
    lines.push(
      `- **${
        title(m)
      }** may be under-trained: best at the budget's end (best iteration = last iteration, ${
        last[0].training!.iterations
      }, in seed${
        last.length > 1 ? "s" : ""
      } ${seeds}); a larger \`--max-iterations\` may raise its numbers.`,
    );
  }
  return lines;
}

/** Says why a p-value of the significance table is "-". */
function undefinedTestNotes(tested: readonly Comparison[]): string[] {
  const notes = new Map<string, string[]>();
  for (const c of tested) {
    for (
      const [label, r] of [
        ["t-test (users)", c.users?.t],
        ["Wilcoxon (users)", c.users?.wilcoxon],
        ["t-test (seeds)", c.seeds?.t],
        ["Wilcoxon (seeds)", c.seeds?.wilcoxon],
      ] as const
    ) {
      if (!r?.note) continue;
      const key = `${label}: ${r.note}`;
      notes.set(key, [...notes.get(key) ?? [], c.metric]);
    }
  }
  return [...notes].map(([key, metrics]) =>
    `- "-" in ${key.replace(/: /, " for " + metrics.join(", ") + ": the test is undefined, ")}.`
  );
}

function setupLines(file: ResultsFile): string[] {
  const lines = ["## Setup", ""];
  const first = new Map<string, (typeof file.results)[number]>();
  for (const r of file.results) if (!first.has(r.model)) first.set(r.model, r);
  const engines = unique(file.results.map((r) => JSON.stringify(r.config.engine ?? null)));
  for (const text of engines) {
    const e = JSON.parse(text) as {
      backend?: string;
      threads?: number;
      fallback?: string;
      budget?: { maxIterations?: number; evalEvery?: number; patience?: number };
      budgetPreset?: string;
      batchesPerEpoch?: number;
    } | null;
    if (!e) continue;
    const b = e.budget ?? {};
    const preset = e.budgetPreset
      ? ` (\`--budget ${e.budgetPreset}\`${
        e.batchesPerEpoch ? `; cf: epochs of ${e.batchesPerEpoch} batches` : ""
      })`
      : "";
    lines.push(
      `- Training budget of iterative models (the same for every model): at most ${b.maxIterations} iterations, ` +
        `validation every ${b.evalEvery}, stop after ${b.patience} validations without improvement` +
        `${preset} (reference code: 1,000,000, 1,000 and 50).`,
      `- Backend: ${e.backend}${
        e.threads !== undefined ? `, ${e.threads} thread${e.threads === 1 ? "" : "s"}` : ""
      }${e.fallback ? ` (fell back: ${e.fallback})` : ""}.`,
    );
  }
  const cpu = file.provenance.runtime.cpu;
  const cores = cpu && cpu.cores > 0 ? `, ${cpu.cores} logical cores` : "";
  lines.push(`- CPU: ${cpu ? `${cpu.model}${cores}` : "not recorded"}.`, "");
  const rows: string[] = [];
  for (const [model, r] of first) {
    const entries = Object.entries(r.config.model ?? {});
    entries.forEach(([k, v], i) =>
      rows.push(
        `| ${i === 0 ? file.models[model]?.title ?? model : ""} | ${k} | ${
          JSON.stringify(v).replaceAll("|", "\\|")
        } |`,
      )
    );
    if (entries.length === 0) rows.push(`| ${file.models[model]?.title ?? model} | (none) | |`);
  }
  if (rows.length > 0) {
    lines.push(
      "Hyperparameters (`--set model.key=value` changes one):",
      "",
      "| model | hyperparameter | value |",
      "|---|---|---|",
      ...rows,
      "",
    );
  }
  return lines;
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

/** The dataset line's note on repeated user-item events. */
function repeatsNote(dropped: number | undefined, repeated: number | undefined): string {
  const parts: string[] = [];
  if (dropped) {
    parts.push(`${dropped} repeated user-item events dropped by \`--dedupe keep-first\``);
  }
  if (repeated !== undefined) {
    parts.push(
      `${repeated} repeated user-item events in the prepared data, which the cf protocol removes ` +
        "before its split (each user's first event with an item kept; the sequential protocol keeps them)",
    );
  }
  return parts.length > 0 ? ` ${parts.join("; ")}.` : "";
}

/** The sequential section's count of test targets also in the excluded history. */
function targetsInHistoryNote(counts: unknown): string {
  const c = counts as { targets?: number; alsoInHistory?: number } | undefined;
  if (c?.targets === undefined || c.alsoInHistory === undefined) return "";
  return ` ${c.alsoInHistory} of ${c.targets} test targets are also in the user's history, ` +
    "so they are excluded and cannot be hit.";
}

/** The reference runs' per-dataset settings a section's models ran with (values from their configs, so `--set` shows). */
function referenceSettingsNote(dataset: string, cell: CompletedResult[]): string {
  const ref = REFERENCE_DATASET_SETTINGS[dataset];
  if (!ref) return "";
  const parts: string[] = [];
  for (const model of unique(cell.map((r) => r.model))) {
    const config = cell.find((r) => r.model === model)!.config.model;
    for (const key of Object.keys(referenceModelSettings(dataset, config))) {
      parts.push(`${model} ${key} ${JSON.stringify(config[key])}`);
    }
  }
  return `Per-dataset settings of the reference runs (REMI's \`${ref.reference}\`: maxlen ${ref.maxlen}${
    Object.entries(ref.config).map(([k, v]) => `, ${k} ${JSON.stringify(v)}`).join("")
  }) apply here unless overridden; used: ${parts.length > 0 ? parts.join(", ") : "none"}.`;
}
