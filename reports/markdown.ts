/**
 * Renders `results.json` as a Markdown report. Pure: the same results give
 * byte-identical Markdown (no clock, no locale, fixed orders).
 *
 * @module
 */
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { meanStd } from "./stats.ts";

/** Metrics where lower is better (bolding picks the minimum). */
const LOWER_IS_BETTER = new Set(["gini"]);

const PROTOCOL_NOTES: Record<string, string> = {
  sequential:
    "Users split 8:1:1 (seeded) into disjoint train / valid / test users; of a held-out user's first 80% the last maxlen items are the history, every item of the last 20% a target; retrieval over the whole corpus, interests merged by max score.",
  cf:
    "Each user's interactions split 8:1:1 (random or by time); full ranking of every item the user has not interacted with in training.",
};

function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? x.toFixed(digits) : "n/a";
}

function metricFamily(key: string): string {
  return key.split("@")[0];
}

/**
 * Renders the report.
 *
 * @param file The results.
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
export function renderReport(file: ResultsFile): string {
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);
  push("# recbench report", "");
  push(
    `Seeds: ${
      file.seeds.join(", ")
    }. Cells show mean ± sample std over seeds (plain mean for one seed). ` +
      "**Bold** marks the best model per row; ranking ties are broken by lower item index.",
    "",
  );

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
      skipped?: Record<string, number>;
    };
    const opts = Object.entries(prep.options ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
    const skipped = Object.entries(prep.skipped ?? {}).map(([k, v]) => `${v} ${k}`).join(", ");
    push(
      `- \`${name}\`: ${prep.rawInteractions} events read; ${prep.droppedByRating} dropped by the rating threshold, ${prep.droppedByFilter} by the frequency filter (${opts}); lines skipped: ${
        skipped || "none"
      }.`,
    );
  }
  push("");

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
        ? " History items removed from the candidates (not the reference setting)."
        : "";
      const maxlen = cell[0].config.protocol.maxlen;
      const ml = maxlen !== undefined ? ` maxlen ${maxlen}.` : "";
      push(
        `${PROTOCOL_NOTES[protocol] ?? ""}${ml}${excl} Test users: ${cell[0].evaluatedUsers}.`,
        "",
      );
      const titles = models.map((m) => file.models[m]?.title ?? m);
      push(`| metric | ${titles.join(" | ")} |`, `|---|${models.map(() => "---:").join("|")}|`);
      for (const key of Object.keys(cell[0].metrics)) {
        const stats = models.map((m) =>
          meanStd(cell.filter((r) => r.model === m).map((r) => r.metrics[key]))
        );
        const lower = LOWER_IS_BETTER.has(metricFamily(key));
        const best = stats.reduce(
          (b, s) => (lower ? s.mean < b : s.mean > b) ? s.mean : b,
          lower ? Infinity : -Infinity,
        );
        const cells = stats.map((s) => {
          const text = s.n > 1 ? `${fmt(s.mean)} ± ${fmt(s.std)}` : fmt(s.mean);
          return s.mean === best && models.length > 1 ? `**${text}**` : text;
        });
        push(`| ${key}${lower ? " (lower is better)" : ""} | ${cells.join(" | ")} |`);
      }
      push("");
      push("Efficiency (mean over seeds):", "");
      push(
        "| model | parameters | fit s | eval s | eval users/s | RSS MiB |",
        "|---|---:|---:|---:|---:|---:|",
      );
      for (const m of models) {
        const rs = cell.filter((r) => r.model === m);
        const mean = (f: (r: CompletedResult) => number) => meanStd(rs.map(f)).mean;
        push(
          `| ${file.models[m]?.title ?? m} | ${rs[0].parameters} | ${
            fmt(mean((r) => r.timings.fitSeconds), 2)
          } | ${fmt(mean((r) => r.timings.evalSeconds), 2)} | ${
            fmt(mean((r) => r.timings.evalUsersPerSecond), 0)
          } | ${fmt(mean((r) => r.rssMiB), 0)} |`,
        );
      }
      push("");
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
  }
  push(`- Command: \`${p.command}\``);
  push("");
  return lines.join("\n");
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
