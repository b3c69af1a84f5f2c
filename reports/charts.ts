/**
 * SVG charts for the report, drawn with Vega-Lite and rendered to SVG by Vega
 * without a browser. Deterministic: the same results give the same bytes.
 *
 * @module
 */
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import type { CompletedResult, ResultsFile } from "../bench/results.ts";
import { fairnessChart } from "./fairness.ts";
import { meanStd } from "./stats.ts";

/** A chart the report links to. */
export interface ChartPlan {
  /** Path relative to the results folder, like `charts/synthetic-cf-metrics.svg`. */
  path: string;
  /** Caption. */
  title: string;
  /** Dataset. */
  dataset: string;
  /** Protocol. */
  protocol: string;
  /** The Vega-Lite specification. */
  spec: TopLevelSpec;
}

/** Metrics drawn in the per-table bar chart. */
export const CHART_METRICS: readonly string[] = ["recall@20", "recall@50", "ndcg@20", "ndcg@50"];

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, "_");

/** Colours given to models in the order of `results.json`'s models (Tableau 10, then 10 more). */
export const MODEL_COLORS: readonly string[] = [
  "#4c78a8",
  "#f58518",
  "#e45756",
  "#72b7b2",
  "#54a24b",
  "#eeca3b",
  "#b279a2",
  "#ff9da6",
  "#9d755d",
  "#bab0ac",
  "#1f3a93",
  "#8c6d31",
  "#7b4173",
  "#2ca02c",
  "#d62728",
  "#17becf",
  "#bcbd22",
  "#393b79",
  "#e7969c",
  "#636363",
];

/**
 * The colour scale every chart of a report shares, so a model keeps its colour
 * from chart to chart: domain is every model title of the results, in their
 * order, whether or not a chart shows the model.
 *
 * @param file The results.
 * @returns A Vega-Lite scale `{ domain, range }`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { modelColorScale, MODEL_COLORS } from "./charts.ts";
 * const note = { title: "A", reference: "", deviations: "" };
 * const s = modelColorScale({ models: { a: note, b: { ...note, title: "B" } } });
 * ok(s.domain[1] === "B" && s.range[1] === MODEL_COLORS[1]);
 * ```
 */
export function modelColorScale(
  file: Pick<ResultsFile, "models">,
): { domain: string[]; range: string[] } {
  const domain = Object.keys(file.models).map((m) => file.models[m].title || m);
  return { domain, range: domain.map((_, i) => MODEL_COLORS[i % MODEL_COLORS.length]) };
}

/** Gives a spec's `color` channel on `model` the report's shared scale. */
function withModelColors(spec: TopLevelSpec, scale: { domain: string[]; range: string[] }) {
  const s = spec as {
    data?: { values?: { model?: string }[] };
    encoding?: { color?: { field?: string; scale?: unknown; legend?: unknown } };
  };
  const color = s.encoding?.color;
  if (color?.field === "model") {
    color.scale = scale;
    color.legend = { values: [...new Set((s.data?.values ?? []).map((v) => v.model))] };
  }
  return spec;
}

/**
 * Plans the charts of a results file: for every dataset and protocol, a bar
 * chart of Recall and NDCG @20/@50 (mean over seeds, whiskers ± std), and a
 * line chart of validation Recall@50 over training iterations when the
 * results carry training curves (`training.curve`).
 *
 * @param file The results.
 * @returns Charts in report order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { planCharts } from "./charts.ts";
 * const file = { schema: 1 as const, seeds: [1], datasets: {}, models: {}, results: [],
 *   provenance: { revision: "", command: "", packages: {},
 *     runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" } } };
 * ok(planCharts(file).length === 0);
 * ```
 */
export function planCharts(file: ResultsFile): ChartPlan[] {
  const completed = file.results.filter((r): r is CompletedResult => r.state === "completed");
  const plans: ChartPlan[] = [];
  const title = (m: string) => file.models[m]?.title || m;
  const colors = modelColorScale(file);
  for (const dataset of [...new Set(completed.map((r) => r.dataset))]) {
    for (const protocol of [...new Set(completed.map((r) => r.protocol))]) {
      const cell = completed.filter((r) => r.dataset === dataset && r.protocol === protocol);
      if (cell.length === 0) continue;
      const models = [...new Set(cell.map((r) => r.model))];
      const titles = models.map(title);
      // One colour per model across the report; `legend` lists the models a chart shows.
      const colorByModel = (legend: string[]) => ({
        field: "model",
        type: "nominal" as const,
        sort: titles,
        title: "model",
        scale: colors,
        legend: { values: legend },
      });
      const base = `charts/${safe(dataset)}-${safe(protocol)}`;
      const metrics = CHART_METRICS.filter((k) => k in cell[0].metrics);
      const bars = models.flatMap((m) =>
        metrics.map((metric) => {
          const s = meanStd(cell.filter((r) => r.model === m).map((r) => r.metrics[metric]));
          return { model: title(m), metric, mean: s.mean, lo: s.mean - s.std, hi: s.mean + s.std };
        })
      );
      if (metrics.length > 0) {
        plans.push({
          path: `${base}-metrics.svg`,
          title: `${dataset}, ${protocol}: Recall and NDCG (mean ± std over seeds)`,
          dataset,
          protocol,
          spec: {
            width: Math.min(900, 60 + 18 * metrics.length * models.length),
            height: 220,
            title: `${dataset}, ${protocol} protocol`,
            data: { values: bars },
            encoding: {
              // Horizontal metric names, readable without turning the page.
              x: {
                field: "metric",
                type: "nominal",
                sort: metrics,
                title: null,
                axis: { labelAngle: 0, labelFontSize: 11 },
              },
              xOffset: { field: "model", sort: titles },
              color: colorByModel(titles),
            },
            layer: [
              {
                mark: "bar",
                encoding: { y: { field: "mean", type: "quantitative", title: "mean over seeds" } },
              },
              {
                mark: { type: "rule", color: "black" },
                encoding: { y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
              },
            ],
          },
        });
      }
      const curves = cell.filter((r) => r.training && r.training.curve.length > 0);
      if (curves.length > 0) {
        const metric = "recall@50";
        const points = curves.flatMap((r) =>
          r.training!.curve.map(([iteration, value]) => ({
            model: title(r.model),
            seed: r.seed,
            iteration,
            value,
          }))
        );
        plans.push({
          path: `${base}-curve.svg`,
          title: `${dataset}, ${protocol}: validation ${metric} over training iterations`,
          dataset,
          protocol,
          spec: {
            width: 420,
            height: 240,
            title: `validation ${metric}, ${dataset}, ${protocol}`,
            data: { values: points },
            mark: { type: "line", point: true },
            encoding: {
              x: { field: "iteration", type: "quantitative", title: "training iteration" },
              y: { field: "value", type: "quantitative", title: `validation ${metric}` },
              color: colorByModel([...new Set(points.map((p) => p.model))]),
              // Each seed its own dash pattern and point shape, so its curve can be followed.
              strokeDash: { field: "seed", type: "nominal", title: "seed" },
              shape: { field: "seed", type: "nominal", title: "seed" },
            },
          },
        });
      }
      const fair = fairnessChart(cell, title, `recall@20 by interest diversity, ${dataset}`);
      if (fair) {
        plans.push({
          path: `${base}-fairness.svg`,
          title: `${dataset}, ${protocol}: recall@20 per interest-diversity bin`,
          dataset,
          protocol,
          spec: withModelColors(fair, colors),
        });
      }
    }
  }
  return plans;
}

/**
 * Renders a Vega-Lite specification to SVG text, without a browser.
 *
 * @param spec The specification.
 * @returns The SVG document.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { renderSvg } from "./charts.ts";
 * const svg = await renderSvg({ data: { values: [{ x: 1, y: 2 }] }, mark: "point",
 *   encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } } });
 * ok(svg.startsWith("<svg"));
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
