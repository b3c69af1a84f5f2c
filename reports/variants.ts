/**
 * The report's table of the reference code's metric variants
 * (`recall_repeats@k`, `ndcg_comirec@k`, see `metrics/variants.ts`): shown
 * apart from the standard metrics, labelled as not comparable with them.
 *
 * @module
 */
import type { CompletedResult } from "../bench/results.ts";
import { meanStd } from "./stats.ts";

/**
 * Markdown lines of the variants table of one dataset x protocol (none when
 * no run has variants).
 *
 * @param cell Completed runs of the cell.
 * @param models Model names, in report order.
 * @param title Display name of a model.
 * @returns Lines.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { variantLines } from "./variants.ts";
 * ok(variantLines([], [], (m) => m).length === 0);
 * ```
 */
export function variantLines(
  cell: readonly CompletedResult[],
  models: readonly string[],
  title: (model: string) => string,
): string[] {
  const first = cell.find((r) => r.referenceVariants !== undefined);
  if (!first) return [];
  const lines = [
    "Metric variants of ComiRec's and REMI's evaluation code, for comparison with their numbers " +
    "only (not comparable with the table above): `recall_repeats` divides the hits by the target " +
    "events, repeats counted; `ndcg_comirec` normalises by the ideal DCG of the hits found.",
    "",
    `| metric | ${models.map(title).join(" | ")} |`,
    `|---|${models.map(() => "---:").join("|")}|`,
  ];
  for (const key of Object.keys(first.referenceVariants!)) {
    const cells = models.map((m) => {
      const values = cell.filter((r) => r.model === m && r.referenceVariants?.[key] !== undefined)
        .map((r) => r.referenceVariants![key]);
      if (values.length === 0) return "-";
      const s = meanStd(values);
      return s.n > 1 ? `${s.mean.toFixed(4)} ± ${s.std.toFixed(4)}` : s.mean.toFixed(4);
    });
    lines.push(`| ${key} | ${cells.join(" | ")} |`);
  }
  lines.push("");
  return lines;
}
