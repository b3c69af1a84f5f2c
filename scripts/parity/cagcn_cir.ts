/**
 * Parity of CAGCN's Common Interacting Ratios with the ones its authors ship:
 * recomputes phi_i(j) with `models/_graph/cir.ts` on the authors' split and
 * compares every directed edge with their value (written by
 * `cagcn_reference_weights.py`).
 *
 * Usage:
 *   /usr/bin/python3 scripts/parity/cagcn_reference_weights.py CHECKOUT loseit jc > /tmp/jc.tsv
 *   deno run --allow-read scripts/parity/cagcn_cir.ts CHECKOUT/Paper_setting/data/loseit jc /tmp/jc.tsv
 *
 * @module
 */
import { type CirSimilarity, collaborationRatios } from "../../models/_graph/cir.ts";
import { normalizedAdjacency } from "../../models/_graph/graph.ts";
import { trainingDataFromRows } from "../../models/_testing.ts";

const [folder, type, reference] = Deno.args;
if (!reference) {
  console.error("usage: cagcn_cir.ts DATA_FOLDER TYPE REFERENCE.tsv");
  Deno.exit(2);
}
const pairs = (file: string) =>
  Deno.readTextFileSync(file).trim().split("\n").map((line, n) => {
    const [u, i] = line.trim().split(/\s+/).map(Number);
    if (!Number.isInteger(u) || !Number.isInteger(i)) {
      throw new SyntaxError(`${file}:${n + 1}: expected "user item", got "${line}"`);
    }
    return [u, i];
  });
const train = pairs(`${folder}/train1.txt`), test = pairs(`${folder}/test1.txt`);
const largest = (k: number) => [...train, ...test].reduce((m, p) => Math.max(m, p[k]), 0);
const numUsers = largest(0) + 1, numItems = largest(1) + 1;
const rows: number[][] = Array.from({ length: numUsers }, () => []);
for (const [u, i] of train) rows[u].push(i);
const t0 = performance.now();
const a = normalizedAdjacency(trainingDataFromRows(rows, numItems));
const phi = collaborationRatios(a, type as CirSimilarity);
const seconds = (performance.now() - t0) / 1000;
let maxAbs = 0, maxRel = 0, edges = 0;
for (const line of Deno.readTextFileSync(reference).split("\n")) {
  if (!line || line.startsWith("#")) continue;
  const [s, t, r] = line.split(" ").map(Number);
  // Row t (the center) holds the message from s.
  let p = a.ptr[t];
  while (p < a.ptr[t + 1] && a.index[p] !== s) p++;
  if (p === a.ptr[t + 1]) throw new RangeError(`edge ${s} -> ${t} is not in recbench's graph`);
  const diff = Math.abs(phi[p] - r);
  maxAbs = Math.max(maxAbs, diff);
  maxRel = Math.max(maxRel, diff / Math.max(Math.abs(r), 1e-30));
  edges++;
}
console.log(
  `${type}: ${edges} directed edges, ${numUsers} users, ${numItems} items; ` +
    `max |recbench - authors'| ${maxAbs.toExponential(2)}, max relative ${
      maxRel.toExponential(2)
    }; ` +
    `recbench's ratios took ${seconds.toFixed(2)} s`,
);
