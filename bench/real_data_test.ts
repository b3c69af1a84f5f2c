// The pipeline check on real data: on ml-latest-small, both protocols, seeds
// 1-3, ItemKNN must beat MostPopular on mean Recall@20 and NDCG@20, and the
// report must show it (bold). Skipped where the real data is absent.
import { ok } from "node:assert/strict";
import { realDataDir } from "../data/_real_data.ts";
import type { CompletedResult } from "./results.ts";
import { runBench } from "./run.ts";

const dataDir = realDataDir("ml-latest-small");

Deno.test({
  name:
    "ItemKNN beats MostPopular on real ml-latest-small in both protocols, and the report says so",
  ignore: dataDir === undefined,
  fn: async () => {
    const out = await Deno.makeTempDir();
    const res = await runBench({
      datasets: ["ml-latest-small"],
      dataDir: dataDir!,
      models: ["mostpop", "itemknn"],
      seeds: [1, 2, 3],
      out,
      quiet: true,
    });
    const mean = (model: string, protocol: string, key: string) => {
      const rs = res.results.filter((r): r is CompletedResult =>
        r.state === "completed" && r.model === model && r.protocol === protocol
      );
      ok(rs.length === 3, `${model} ${protocol}: 3 seeds`);
      return rs.reduce((s, r) => s + r.metrics[key], 0) / rs.length;
    };
    for (const protocol of ["sequential", "cf"]) {
      for (const key of ["recall@20", "ndcg@20"]) {
        const knn = mean("itemknn", protocol, key), pop = mean("mostpop", protocol, key);
        ok(knn > pop, `${protocol} ${key}: ItemKNN ${knn} vs MostPopular ${pop}`);
      }
    }
    const md = await Deno.readTextFile(`${out}/report.md`);
    for (const section of md.split("\n## ").filter((s) => s.startsWith("ml-latest-small,"))) {
      for (const key of ["recall@20", "ndcg@20"]) {
        const row = section.split("\n").find((l) => l.startsWith(`| ${key} |`))!;
        const cells = row.split("|").map((c) => c.trim());
        // | key | MostPopular | ItemKNN |
        ok(!cells[2].startsWith("**") && cells[3].startsWith("**"), row);
      }
    }
  },
});
