import { deepStrictEqual } from "node:assert/strict";
import type { TrainingData } from "../types.ts";
import { MostPopular } from "./model.ts";

function train(rows: number[][], numItems: number): TrainingData {
  const userPtr = new Int32Array(rows.length + 1);
  rows.forEach((r, u) => userPtr[u + 1] = userPtr[u] + r.length);
  const items = Int32Array.from(rows.flat());
  return {
    protocol: "cf",
    numUsers: rows.length,
    numItems,
    userPtr,
    items,
    times: new Float64Array(items.length),
    trainUsers: Int32Array.from(rows.keys()),
    validation: { queries: [], targets: [] },
    maxHistory: 0,
  };
}

Deno.test("MostPopular scores every query with the training counts", () => {
  const m = new MostPopular();
  m.fit(train([[0, 2], [2, 3], [2]], 4));
  const out = new Float32Array(8);
  m.score([{ user: 0, history: Int32Array.of() }, { user: 1, history: Int32Array.of(1) }], out);
  deepStrictEqual([...out], [1, 0, 3, 1, 1, 0, 3, 1]);
});
