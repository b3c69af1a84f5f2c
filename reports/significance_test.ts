import { ok, strictEqual, throws } from "node:assert/strict";
import { pairedTTest, wilcoxonSignedRank } from "./significance.ts";

// Expected values computed by scipy, not by this code: see
// reports/testdata/significance_scipy.py (which call gives each value, and how
// scipy 1.10's default differs from the newer one these tests follow).
interface Case {
  name: string;
  x: number[];
  y: number[];
  wilcoxon: { p: number; computedAs: string };
  ttest: { t: number; p: number; warning?: string };
}
const fixture: { scipy: string; cases: Case[] } = JSON.parse(
  await Deno.readTextFile(new URL("./testdata/significance_scipy.json", import.meta.url)),
);

const close = (a: number, b: number, tol = 1e-9) =>
  Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

Deno.test("wilcoxonSignedRank() matches scipy.stats.wilcoxon's default on every fixture case", () => {
  ok(fixture.cases.length >= 9);
  for (const c of fixture.cases) {
    const r = wilcoxonSignedRank(c.x, c.y);
    ok(close(r.p, c.wilcoxon.p), `${c.name}: ${r.p} (${r.method}) vs ${c.wilcoxon.p}`);
  }
});

Deno.test("wilcoxonSignedRank() picks the method scipy's default picks", () => {
  const method = (name: string) => {
    const c = fixture.cases.find((c) => c.name === name)!;
    return wilcoxonSignedRank(c.x, c.y).method;
  };
  strictEqual(method("8 pairs, no ties, no zeros"), "exact");
  strictEqual(method("20 pairs, no ties, no zeros"), "exact");
  strictEqual(method("12 pairs with ties and zeros"), "permutation");
  // 0.9 - 0.6, 0.4 - 0.1 and 0.8 - 0.5 are all 0.30000000000000004: tied.
  strictEqual(method("8 pairs with floating-point ties"), "permutation");
  strictEqual(method("20 pairs, 3 zeros, no ties"), "normal");
  // 46 non-zero untied differences among 61 pairs: the pairs decide (> 50), not the non-zero ones.
  strictEqual(method("61 pairs, 15 zeros, 46 untied non-zero"), "normal");
});

Deno.test("wilcoxonSignedRank() drops zeros: W+ and n count non-zero pairs", () => {
  const c = fixture.cases.find((c) => c.name === "12 pairs with ties and zeros")!;
  const r = wilcoxonSignedRank(c.x, c.y);
  strictEqual(r.n, 8);
  strictEqual(r.statistic, 33.5);
});

Deno.test("wilcoxonSignedRank() gives p = 1 when nothing differs among few pairs, NaN among many", () => {
  strictEqual(wilcoxonSignedRank([0.1, 0.2], [0.1, 0.2]).p, 1);
  const same = Array.from({ length: 20 }, (_, i) => i / 20);
  const r = wilcoxonSignedRank(same, same);
  ok(Number.isNaN(r.p) && r.note === "every difference is zero");
});

Deno.test("pairedTTest() matches scipy's ttest_rel where t is defined", () => {
  for (const c of fixture.cases) {
    if (c.ttest.warning) continue;
    const r = pairedTTest(c.x, c.y);
    ok(close(r.statistic, c.ttest.t), `${c.name}: t ${r.statistic} vs ${c.ttest.t}`);
    ok(close(r.p, c.ttest.p), `${c.name}: p ${r.p} vs ${c.ttest.p}`);
  }
});

Deno.test("pairedTTest() is undefined, with a reason, where scipy warns of cancellation", () => {
  const c = fixture.cases.find((c) => c.ttest.warning !== undefined)!;
  ok(c.ttest.p < 1e-30, "scipy prints a p-value from rounding noise here");
  const r = pairedTTest(c.x, c.y);
  ok(Number.isNaN(r.p), String(r.p));
  strictEqual(r.note, "the differences are constant up to rounding (no variance)");
  const zero = pairedTTest([1, 2, 3], [1, 2, 3]);
  ok(Number.isNaN(zero.p) && zero.note === "every difference is zero");
  ok(Number.isNaN(pairedTTest([1], [0]).p));
});

Deno.test("pairedTTest() is symmetric in its arguments and checks lengths", () => {
  const c = fixture.cases[1];
  ok(close(pairedTTest(c.y, c.x).p, pairedTTest(c.x, c.y).p));
  throws(() => pairedTTest([1, 2], [1]), RangeError);
});
