import { deepStrictEqual, ok } from "node:assert/strict";
import { type PublishedSource, readPublished, renderPublished } from "./published.ts";
import type { ResultsFile } from "../bench/results.ts";

const cell = (model: string, recall: number) => ({
  model,
  dataset: "lightgcn-gowalla",
  protocol: "cf",
  seed: 1,
  state: "completed",
  metrics: { "recall@20": recall },
});
const source: PublishedSource = {
  paper: "P",
  entries: [
    {
      dataset: "lightgcn-gowalla",
      protocol: "cf",
      model: "lightgcn",
      metric: "recall@20",
      value: 0.2,
      table: "T3",
    },
    {
      dataset: "lightgcn-gowalla",
      protocol: "cf",
      model: "bprmf",
      metric: "recall@20",
      value: 0.1,
      table: "T3",
    },
    {
      dataset: "ml-1m",
      protocol: "cf",
      model: "bprmf",
      metric: "recall@20",
      value: 0.1,
      table: "T3",
    },
  ],
};

Deno.test("renderPublished() puts the printed figure beside ours with the relative difference", () => {
  const file = { results: [cell("lightgcn", 0.15), cell("bprmf", 0.05)] } as unknown as ResultsFile;
  const text = renderPublished(file, [source]).join("\n");
  // 0.15 / 0.2 - 1 = -25.0%, 0.05 / 0.1 - 1 = -50.0% (by hand).
  ok(text.includes("| lightgcn | recall@20 | 0.1500 | 0.2000 | -25.0% | T3 |"), text);
  ok(text.includes("| bprmf | recall@20 | 0.0500 | 0.1000 | -50.0% | T3 |"), text);
  ok(text.includes("ordering (lightgcn > bprmf) holds"), text);
  ok(!text.includes("ml-1m"), "entries of datasets the run lacks are left out");
});

Deno.test("renderPublished() says when the paper's ordering does not hold, and skips grid points", () => {
  const point = { ...cell("lightgcn", 0.9), tuning: { role: "point" } };
  const file = {
    results: [cell("lightgcn", 0.05), cell("bprmf", 0.15), point],
  } as unknown as ResultsFile;
  const text = renderPublished(file, [source]).join("\n");
  ok(text.includes("does not hold: lightgcn > bprmf in the paper, not in ours"), text);
  ok(text.includes("| lightgcn | recall@20 | 0.0500 |"), text);
  ok(renderPublished({ results: [] } as unknown as ResultsFile, [source]).length === 0);
});

Deno.test("the shipped published figures parse and carry the issue's LightGCN Gowalla values", async () => {
  const all = (await readPublished()).flatMap((s) => s.entries);
  const find = (model: string, metric: string) =>
    all.find((e) => e.dataset === "lightgcn-gowalla" && e.model === model && e.metric === metric)
      ?.value;
  ok(find("lightgcn", "recall@20") === 0.183 && find("lightgcn", "ndcg@20") === 0.1554);
  ok(find("bprmf", "recall@20") === 0.1291);
  ok(
    all.filter((e) => e.dataset === "amazon-books" && e.model === "remi" && e.table === "Table 2")
      .length === 6,
  );
  // REMI's Tables 2-5 in full: 9 x 3 x 6, 6 x 3 x 6, 4 x 3 x 3 and 4 x 3 x 3 numbers.
  const remi = (table: string) =>
    all.filter((e) =>
      e.table === table && ["gowalla", "amazon-books", "retailrocket"]
        .includes(e.dataset)
    ).length;
  deepStrictEqual([remi("Table 2"), remi("Table 3"), remi("Table 4"), remi("Table 5")], [
    162,
    108,
    36,
    36,
  ]);
});

Deno.test("each table of a paper is its own block: REMI's Table 5 ablation is ordered apart from Table 2", async () => {
  const remi = (await readPublished()).filter((s) => s.paper.includes("REMI"));
  const r = (model: string, recall: number) => ({
    ...cell(model, recall),
    dataset: "gowalla",
    protocol: "sequential",
    metrics: { "recall@50": recall },
  });
  // Ours in the paper's Table 5 order (none < IHN < RR < both), values made up.
  const file = {
    results: [r("comirec-sa", 0.1), r("remi-ihn", 0.2), r("remi-rr", 0.3), r("remi", 0.4)],
  } as unknown as ResultsFile;
  const text = renderPublished(file, remi).join("\n");
  ok(text.includes("### gowalla (sequential), Table 5:"), text);
  ok(text.includes("### gowalla (sequential), Table 2:"), text);
  // Table 5 prints Gowalla R@50 0.1271, 0.1608, 0.1841, 0.2060 for the four rows.
  ok(text.includes("| remi-ihn | recall@50 | 0.2000 | 0.1608 |"), text);
  ok(
    text.includes(
      "recall@50: the paper's ordering (remi > remi-rr > remi-ihn > comirec-sa) holds in our run.",
    ),
    text,
  );
});

Deno.test("LightGCN's figures and NGCF's MF row on the same split are one comparison with an ordering sentence", async () => {
  const lightgcn = (await readPublished()).filter((s) => s.paper.includes("LightGCN"));
  const file = {
    results: [
      { ...cell("lightgcn", 0.02), metrics: { "recall@20": 0.02, "ndcg@20": 0.01 } },
      cell("bprmf", 0.01),
    ],
  } as unknown as ResultsFile;
  const text = renderPublished(file, lightgcn).join("\n");
  // 0.02 / 0.1830 - 1 = -89.1%, 0.01 / 0.1291 - 1 = -92.3% (by hand).
  ok(text.includes("| lightgcn | recall@20 | 0.0200 | 0.1830 | -89.1% | LightGCN Table 3 |"), text);
  ok(text.includes("| bprmf | recall@20 | 0.0100 | 0.1291 | -92.3% |"), text);
  ok(text.includes("recall@20: the paper's ordering (lightgcn > bprmf) holds in our run."), text);
  ok(!text.includes("\n\n\n"), "no empty paragraph");
});
