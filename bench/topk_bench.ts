// Throughput of the shared top-k: 1,000 rows of 50,000 scores, k = 50, as in a
// full-catalog evaluation of 1,000 users. Run with `deno bench metrics/`.
import { topKMultiInterest } from "../metrics/merge.ts";
import { topK } from "../metrics/topk.ts";

const ROWS = 1_000;
const ITEMS = 50_000;
const K = 50;

// Tiny LCG (Numerical Recipes constants) so the data is fixed without Math.random.
let state = 1;
const scores = new Float32Array(ROWS * ITEMS);
for (let i = 0; i < scores.length; i++) {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  scores[i] = state / 2 ** 32;
}
const history = Int32Array.from({ length: 30 }, (_, i) => (i * 1637) % ITEMS);

Deno.bench("topK() over 1,000 rows x 50,000 items, k = 50", () => {
  for (let row = 0; row < ROWS; row++) topK(scores, K, { offset: row * ITEMS, length: ITEMS });
});

Deno.bench("topK() over 1,000 rows x 50,000 items, k = 50, 30 excluded", () => {
  for (let row = 0; row < ROWS; row++) {
    topK(scores, K, { offset: row * ITEMS, length: ITEMS, exclude: history });
  }
});

Deno.bench("topKMultiInterest() over 250 rows x 4 interests x 50,000 items, k = 50", () => {
  for (let row = 0; row < ROWS / 4; row++) {
    topKMultiInterest(scores, 4, ITEMS, K, { offset: row * 4 * ITEMS, exclude: history });
  }
});
