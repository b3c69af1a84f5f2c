import { deepStrictEqual } from "node:assert/strict";
import { trainingDataFromRows as train } from "../_testing.ts";
import { MostPopular } from "./model.ts";

Deno.test("MostPopular scores every query with the training counts", () => {
  const m = new MostPopular();
  m.fit(train([[0, 2], [2, 3], [2]], 4));
  const out = new Float32Array(8);
  m.score([{ user: 0, history: Int32Array.of() }, { user: 1, history: Int32Array.of(1) }], out);
  deepStrictEqual([...out], [1, 0, 3, 1, 1, 0, 3, 1]);
});
