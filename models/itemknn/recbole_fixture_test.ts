import { ok } from "node:assert/strict";
import { trainingDataFromRows as train } from "../_testing.ts";
import type { ItemKnnPruning } from "./config.ts";
import { ItemKNN } from "./model.ts";

/** RecBole's ItemKNN scores on a written split (see the fixture's `about`). */
interface RecboleFixture {
  about: string;
  numUsers: number;
  numItems: number;
  train: [number, number][];
  cases: { neighbors: number; shrink: number; scores: number[][] }[];
}

const fixture: RecboleFixture = JSON.parse(
  await Deno.readTextFile(new URL("../../fixtures/recbole_itemknn/scores.json", import.meta.url)),
);

function scores(neighbors: number, shrink: number, pruning: ItemKnnPruning): Float32Array {
  const rows: number[][] = Array.from({ length: fixture.numUsers }, () => []);
  for (const [u, i] of fixture.train) rows[u].push(i);
  const m = new ItemKNN({ neighbors, shrink, pruning });
  m.fit(train(rows, fixture.numItems));
  const out = new Float32Array(fixture.numUsers * fixture.numItems);
  m.score(rows.map((r, user) => ({ user, history: Int32Array.from(r) })), out);
  return out;
}

/** Largest difference beyond float32 rounding of sums of a dozen terms. */
function worst(ours: Float32Array, expected: number[][]): number {
  let worst = 0;
  expected.forEach((row, u) =>
    row.forEach((e, i) => {
      const diff = Math.abs(ours[u * row.length + i] - e) / Math.max(1, Math.abs(e));
      worst = Math.max(worst, diff);
    })
  );
  return worst;
}

Deno.test("ItemKNN (target pruning) equals RecBole's ItemKNN scores on the committed fixture", () => {
  for (const c of fixture.cases) {
    const w = worst(scores(c.neighbors, c.shrink, "target"), c.scores);
    ok(w < 1e-5, `neighbors ${c.neighbors}, shrink ${c.shrink}: largest difference ${w}`);
  }
});

Deno.test("the fixture separates the two prunings: history pruning differs from RecBole", () => {
  for (const c of fixture.cases) {
    const w = worst(scores(c.neighbors, c.shrink, "history"), c.scores);
    ok(w > 1e-2, `neighbors ${c.neighbors}, shrink ${c.shrink}: largest difference ${w}`);
  }
});
