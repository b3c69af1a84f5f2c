import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { MODELS } from "../mod.ts";
import { cooccurrenceWeights } from "./cooccurrence.ts";

// User 0 trains on items 0 1 2 3 0; user 1 is not a training user and must not count.
const data = {
  numItems: 4,
  numUsers: 2,
  userPtr: Int32Array.of(0, 5, 7),
  items: Int32Array.of(0, 1, 2, 3, 0, 1, 3),
  trainUsers: Int32Array.of(0),
};

function row(w: ReturnType<typeof cooccurrenceWeights>, i: number) {
  const s = w.ptr[i], e = w.ptr[i + 1];
  return { index: [...w.index.subarray(s, e)], weights: [...w.weights.subarray(s, e)] };
}

Deno.test("cooccurrenceWeights() keeps every co-occurrence within T steps by default, self first", () => {
  // T = 1: neighbours one step away. Item 0 sits at positions 0 and 4: next to 1 and to 3.
  const w1 = cooccurrenceWeights(data, { window: 1, neighbors: 0 });
  const third = Math.fround(1 / 3);
  deepStrictEqual(row(w1, 0), { index: [0, 1, 3], weights: [third, third, third] });
  deepStrictEqual(row(w1, 2), { index: [2, 1, 3], weights: [third, third, third] });
  // T = 2: item 0 at 0 sees 1, 2; at 4 sees 2, 3 -> counts {1: 1, 2: 2, 3: 1} + self 1 = 5.
  const w2 = cooccurrenceWeights(data, { window: 2, neighbors: 0 });
  deepStrictEqual(row(w2, 0), {
    index: [0, 2, 1, 3],
    weights: [0.2, 0.4, 0.2, 0.2].map(Math.fround),
  });
});

Deno.test("cooccurrenceWeights() with neighbors N keeps the N most frequent", () => {
  const w = cooccurrenceWeights(data, { window: 2, neighbors: 1 });
  deepStrictEqual(row(w, 0), { index: [0, 2], weights: [1 / 3, 2 / 3].map(Math.fround) });
});

Deno.test("SimEmb is registered on every multi-interest host, T and the cut configurable", () => {
  for (const host of ["comirec-sa", "comirec-dr", "mind", "remi"]) {
    const spec = MODELS[`${host}+simemb`];
    ok(spec, `${host}+simemb is registered`);
    const config = spec.configure({ window: 5 }) as Record<string, unknown>;
    strictEqual(config.window, 5);
    strictEqual(config.neighbors, 0);
    // The host's own settings come from the host's entry.
    for (const [k, v] of Object.entries(MODELS[host].configure({}))) strictEqual(config[k], v);
    throws(() => spec.configure({ neighbors: -1 }), /neighbors.*non-negative/);
    throws(() => spec.configure({ nope: 1 }), /no config key "nope"/);
  }
});
