import { deepStrictEqual } from "node:assert/strict";
import { checkGradient } from "../engine/_gradcheck.ts";
import { bucketSum, gatherRows, prependRow, starNeighbours, timeIntervals } from "./ops.ts";

Deno.test("gatherRows() sends gradients back to the looked-up rows, repeats summed", () => {
  checkGradient(
    "gatherRows",
    [[4, 3]],
    (tape, [t]) => gatherRows(tape, t, Int32Array.of(2, 0, 2, 3)),
  );
});

Deno.test("starNeighbours() passes finite differences, padding and the first node included", () => {
  const mask = Uint8Array.of(1, 1, 1, 1, 1, 0); // B 2, L 3
  checkGradient(
    "starNeighbours",
    [[6, 2], [2, 2], [6, 2]],
    (tape, [node, center, input]) => starNeighbours(tape, node, center, input, mask),
  );
});

Deno.test("prependRow() passes finite differences", () => {
  checkGradient("prependRow", [[2, 3], [8, 3]], (tape, [c, n]) => prependRow(tape, c, n));
});

Deno.test("timeIntervals() counts whole days from the window's first event, clipped, zero at padding", () => {
  const day = 86400;
  // Row 0: days 0, 1 (1.4 rounds to 1), 10; row 1: days 0, 2 and one padded slot.
  const times = Float64Array.of(5 * day, 6.4 * day, 15 * day, 0, 2 * day, 0);
  const m = timeIntervals(times, Uint8Array.of(1, 1, 1, 1, 1, 0), { batch: 2, span: 8 });
  deepStrictEqual([...m.subarray(0, 9)], [0, 1, 8, 1, 0, 8, 8, 8, 0]);
  deepStrictEqual([...m.subarray(9)], [0, 2, 0, 2, 0, 0, 0, 0, 0]);
});

Deno.test("bucketSum() passes finite differences, several weights in one bucket", () => {
  const ids = Int32Array.of(0, 2, 2, 1, 3, 3, 3, 0);
  checkGradient(
    "bucketSum",
    [[2, 4]],
    (tape, [a]) => bucketSum(tape, a, ids, { rows: 2, buckets: 4 }),
  );
});
