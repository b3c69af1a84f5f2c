/**
 * The report's tuning section (`bench --tune`): per tuned model and cell, the
 * grid with each point's validation value, the chosen point, and the test
 * numbers of the chosen point only. Grid points (validation numbers) are kept
 * out of every other table.
 *
 * @module
 */
import type { CompletedResult, ResultsFile, RunResult } from "../bench/results.ts";

/**
 * The results file without `--tune` grid points, for the tables that show
 * test numbers.
 *
 * @param file A results file.
 * @returns The same file without point results (itself when it has none).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { withoutTuningPoints } from "./tuning.ts";
 * const file = { results: [{ tuning: { role: "point" } }, {}] } as never;
 * ok(withoutTuningPoints(file).results.length === 1);
 * ```
 */
export function withoutTuningPoints(file: ResultsFile): ResultsFile {
  if (!file.results.some(isPoint)) return file;
  return { ...file, results: file.results.filter((r) => !isPoint(r)) };
}

function isPoint(r: RunResult): boolean {
  return r.tuning?.role === "point";
}

const fmt = (v: number | null | undefined) => v === null || v === undefined ? "–" : v.toFixed(4);

/**
 * Renders the tuning section, or nothing for a run without `--tune`.
 *
 * @param file A results file.
 * @returns Markdown lines.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderTuning } from "./tuning.ts";
 * ok(renderTuning({ results: [] } as never).length === 0);
 * ```
 */
export function renderTuning(file: ResultsFile): string[] {
  const chosen = file.results.filter((r) => r.tuning?.role === "chosen");
  const points = file.results.filter(isPoint);
  if (chosen.length === 0 && points.length === 0) return [];
  const lines = [
    "## Tuning on validation",
    "",
    "Every grid point trained on the training part and was scored on the validation users only; " +
    "the point with the best validation value was retrained and is the only one scored on test. " +
    "Test data chose nothing.",
    "",
  ];
  const budgets = [...new Set(chosen.map((r) => r.tuning!.pointBudget).filter((b) => b))];
  if (budgets.length > 0) {
    const full = chosen.map((r) =>
      (r.config.engine?.budget as { maxIterations?: number })
        ?.maxIterations
    ).find((n) => n !== undefined);
    lines.push(
      `**Short grid (--tune-budget ${budgets.join(", ")})**: each point trained at most ${
        budgets.join(", ")
      } iterations; the chosen point was retrained with the full budget${
        full ? ` (${full} iterations)` : ""
      }. A point that needs longer training to win may be missed.`,
      "",
    );
  }
  if (chosen[0]?.tuning?.rule) lines.push(`Choice: ${chosen[0].tuning.rule}.`, "");
  for (const r of chosen) {
    const t = r.tuning!;
    lines.push(
      `### ${t.model} on ${r.dataset} (${r.protocol}, seed ${r.seed})`,
      "",
      `| point | validation ${t.metric} | |`,
      "|---|---:|---|",
      ...(t.points ?? []).map((p) =>
        `| ${p.point} | ${fmt(p.validation)} | ${p.point === t.point ? "**chosen**" : ""} |`
      ),
      "",
    );
    if (r.state === "completed") {
      const keys = Object.keys((r as CompletedResult).metrics).filter((k) =>
        /^(recall|ndcg|hit_rate)@/.test(k)
      ).sort();
      lines.push(
        `Test, chosen point ${t.point} only: ${
          keys.map((k) => `${k} ${fmt((r as CompletedResult).metrics[k])}`).join(", ")
        }.`,
        "",
      );
    } else lines.push(`Test: the chosen point failed: ${r.error.split("\n")[0]}`, "");
  }
  const waiting = points.filter((p) =>
    !chosen.some((c) =>
      c.tuning!.model === p.tuning!.model && c.dataset === p.dataset &&
      c.protocol === p.protocol && c.seed === p.seed
    )
  );
  if (waiting.length > 0) {
    lines.push(
      `${waiting.length} grid point(s) have no chosen-point test cell yet (a shard that has not ` +
        `finished, or a run that stopped): ${waiting.map((p) => p.model).join(", ")}.`,
      "",
    );
  }
  return lines;
}

/**
 * The main table's footnote for tuned models (marked † in its header): per
 * model, the point chosen on validation in each seed.
 *
 * @param cell The completed results of one dataset and protocol.
 * @param models The table's models.
 * @param title A model's title.
 * @returns Markdown lines (none without tuned models).
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { tunedFootnote } from "./tuning.ts";
 * const r = { model: "a", seed: 1, tuning: { role: "chosen", point: "K=4", metric: "recall@50" } };
 * ok(tunedFootnote([r] as never, ["a"], (m) => m)[0].includes("K=4"));
 * ```
 */
export function tunedFootnote(
  cell: readonly RunResult[],
  models: readonly string[],
  title: (model: string) => string,
): string[] {
  const parts: string[] = [];
  for (const m of models) {
    const chosen = cell.filter((r) => r.model === m && r.tuning?.role === "chosen");
    if (chosen.length === 0) continue;
    const points = chosen.map((r) => `${r.tuning!.point} (seed ${r.seed})`).join(", ");
    parts.push(`${title(m)}: ${points} by validation ${chosen[0].tuning!.metric}`);
  }
  if (parts.length === 0) return [];
  return [
    `† Tuned on validation (see "Tuning on validation"); the column is the chosen point's test ` +
    `numbers: ${parts.join("; ")}.`,
    "",
  ];
}
