import { ok, strictEqual, throws } from "node:assert/strict";
import { pairedTTest, wilcoxonSignedRank } from "./significance.ts";

// Reference values from scipy 1.17: stats.ttest_rel(x, y) and
// stats.wilcoxon(x, y, method="exact" | "asymptotic", correction=False).
const x = [0.5, 0.2, 0.9, 0.4, 0.7, 0.1, 0.3, 0.8];
const y = [0.3, 0.25, 0.6, 0.1, 0.65, 0.0, 0.35, 0.5];
const tiedX = [1, 0, 1, 1, 0.5, 0.5, 1, 0, 1, 1, 0.5, 1];
const tiedY = [0, 0, 0.5, 1, 0, 0.5, 0, 0, 0.5, 0, 1, 0];

const close = (a: number, b: number, tol = 1e-9) => Math.abs(a - b) <= tol;

Deno.test("pairedTTest() matches scipy's ttest_rel", () => {
  const r = pairedTTest(x, y);
  ok(close(r.statistic, 2.671118634421207), String(r.statistic));
  ok(close(r.p, 0.03194783780390283), String(r.p));
  const tied = pairedTTest(tiedX, tiedY);
  ok(close(tied.statistic, 2.8030595529069404), String(tied.statistic));
  ok(close(tied.p, 0.017180487343013168), String(tied.p));
});

Deno.test("pairedTTest() is symmetric in its arguments and undefined for one pair", () => {
  ok(close(pairedTTest(y, x).p, pairedTTest(x, y).p));
  ok(Number.isNaN(pairedTTest([1], [0]).p));
  strictEqual(pairedTTest([1, 2, 3], [1, 2, 3]).p, 1);
  strictEqual(pairedTTest([2, 3, 4], [1, 2, 3]).p, 0);
  throws(() => pairedTTest([1, 2], [1]), RangeError);
});

Deno.test("wilcoxonSignedRank() uses the exact distribution for few untied pairs, as scipy", () => {
  const r = wilcoxonSignedRank([1.1, 2.3, 3.2, 0.4, 5.9, 1.7, 2.8, 4.05], [
    1,
    2,
    3,
    1,
    5,
    1,
    3.2,
    4,
  ]);
  // scipy reports min(W+, W-) = 11; W+ here is 36 - 11 = 25.
  strictEqual(r.statistic, 25);
  strictEqual(r.n, 8);
  ok(close(r.p, 0.3828125), String(r.p));
});

Deno.test("wilcoxonSignedRank() treats differences equal in floating point as ties", () => {
  // 0.9 - 0.6, 0.4 - 0.1 and 0.8 - 0.5 are all 0.30000000000000004: the normal path.
  const r = wilcoxonSignedRank(x, y);
  ok(close(r.p, 0.0670077747542747), String(r.p));
});

Deno.test("wilcoxonSignedRank() drops zeros and corrects for ties in the normal approximation", () => {
  const r = wilcoxonSignedRank(tiedX, tiedY);
  strictEqual(r.n, 8);
  strictEqual(r.statistic, 33.5);
  ok(close(r.p, 0.02603627408821327), String(r.p));
});

Deno.test("wilcoxonSignedRank() gives p = 1 when nothing differs", () => {
  strictEqual(wilcoxonSignedRank([0.1, 0.2], [0.1, 0.2]).p, 1);
});
