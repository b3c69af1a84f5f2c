import { deepStrictEqual, ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { trainingDataFromRows } from "../_testing.ts";
import { CIR_SIMILARITIES, collaborationAdjacency, collaborationRatios } from "./cir.ts";
import { normalizedAdjacency } from "./graph.ts";

// A random bipartite graph; the reference below recomputes every quantity from
// the interaction lists with plain sets, the paper's definitions written out
// (Eq. 7 with one hop; Eq. 8 with the authors' two variants), not with
// the CSR walk of cir.ts.
const rng = new Rng(11);
const rows = Array.from({ length: 9 }, () => {
  const n = 1 + rng.int(6);
  return Array.from({ length: n }, () => rng.int(12));
});
const data = trainingDataFromRows(rows, 12);
const U = rows.length;
const userSet = rows.map((r) => new Set(r));
const itemSet = Array.from(
  { length: 12 },
  (_, i) => new Set(rows.flatMap((r, u) => r.includes(i) ? [u] : [])),
);
const neighbours = (v: number) => v < U ? [...userSet[v]].map((i) => U + i) : [...itemSet[v - U]];
const f = (type: string, a: Set<number>, b: Set<number>) => {
  const c = [...a].filter((x) => b.has(x)).length;
  if (type === "jc") return c / new Set([...a, ...b]).size;
  if (type === "sc") return c / Math.sqrt(a.size * b.size);
  if (type === "lhn") return c / (a.size * b.size);
  return c;
};
const setOf = (v: number) => new Set(neighbours(v));
const phiRef = (type: string, i: number, j: number) => {
  const ks = neighbours(i);
  return ks.reduce((s, k) => s + f(type, setOf(j), setOf(k)), 0) / ks.length;
};

Deno.test("collaboration ratios equal the paper's phi_i(j) written out with sets, for every similarity", () => {
  const a = normalizedAdjacency(data);
  for (const type of CIR_SIMILARITIES) {
    const phi = collaborationRatios(a, type);
    for (let i = 0; i < a.rows; i++) {
      for (let p = a.ptr[i]; p < a.ptr[i + 1]; p++) {
        const want = phiRef(type, i, a.index[p]);
        ok(
          Math.abs(phi[p] - want) <= 1e-12 * Math.max(1, want),
          `${type} (${i}, ${a.index[p]}): ${phi[p]} vs ${want}`,
        );
      }
    }
  }
});

Deno.test("CAGCN and CAGCN* weights follow Eq. 8 with the authors' two normalisations", () => {
  const a = normalizedAdjacency(data);
  const deg = (v: number) => neighbours(v).length;
  for (const fusion of [false, true]) {
    const m = collaborationAdjacency(data, { type: "sc", coeff: 1.5, fusion });
    ok(!m.symmetric);
    for (let i = 0; i < m.rows; i++) {
      const js = neighbours(i);
      const phiSum = js.reduce((s, j) => s + phiRef("sc", i, j), 0);
      const light = (j: number) => 1 / Math.sqrt(deg(i) * deg(j));
      const lightSum = js.reduce((s, j) => s + light(j), 0);
      for (let p = m.ptr[i]; p < m.ptr[i + 1]; p++) {
        const j = m.index[p], ratio = 1.5 * phiRef("sc", i, j) / phiSum;
        const want = fusion ? ratio + light(j) : ratio * lightSum;
        ok(
          Math.abs(m.weights[p] - want) <= 1e-6 * want,
          `${fusion} (${i}, ${j}): ${m.weights[p]} vs ${want}`,
        );
      }
    }
    deepStrictEqual(m.index, a.index, "same structure as LightGCN's graph");
  }
});

Deno.test("CAGCN's rows carry LightGCN's mass times the coefficient", () => {
  const a = normalizedAdjacency(data),
    m = collaborationAdjacency(data, { type: "jc", coeff: 2, fusion: false });
  for (let i = 0; i < a.rows; i++) {
    let x = 0, y = 0;
    for (let p = a.ptr[i]; p < a.ptr[i + 1]; p++) {
      x += a.weights[p];
      y += m.weights[p];
    }
    ok(Math.abs(y - 2 * x) <= 1e-5, `row ${i}: ${y} vs ${2 * x}`);
  }
});
