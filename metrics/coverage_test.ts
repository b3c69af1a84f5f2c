import { strictEqual, throws } from "node:assert/strict";
import { catalogCoverageAt } from "./coverage.ts";

Deno.test("catalogCoverageAt() is distinct top-k items over the catalog size", () => {
  // Top-2 lists [0, 1] and [0, 2] reach {0, 1, 2}: 3 of 4 items.
  strictEqual(catalogCoverageAt([[0, 1, 3], [0, 2]], 4, 2), 0.75);
  // Top-1 lists reach {0}: 1 of 4. Top-3 adds item 3: 4 of 4.
  strictEqual(catalogCoverageAt([[0, 1, 3], [0, 2]], 4, 1), 0.25);
  strictEqual(catalogCoverageAt([[0, 1, 3], [0, 2]], 4, 3), 1);
});

Deno.test("catalogCoverageAt() is 0 when no items are shown", () => {
  strictEqual(catalogCoverageAt([], 4, 2), 0);
  strictEqual(catalogCoverageAt([[], []], 4, 2), 0);
});

Deno.test("catalogCoverageAt() rejects items outside the catalog and bad sizes", () => {
  throws(() => catalogCoverageAt([[0, 4]], 4, 2), /list 0 rank 1 holds item 4/);
  throws(() => catalogCoverageAt([[0]], 0, 2), RangeError);
  throws(() => catalogCoverageAt([[0]], 4, 0), RangeError);
});
