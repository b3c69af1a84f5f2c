/**
 * Tape operations that read embedding tables: row lookups and sparse
 * (CSR-weighted) row sums. Their backward adds into the table's touched rows
 * only (sparse gradients).
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import { type EmbeddingTable, Tensor } from "./tensor.ts";

/**
 * Embedding lookup; id -1 is padding (a zero row, no gradient).
 *
 * @param tape The tape that records the operation.
 * @param table The table.
 * @param ids Row ids.
 * @returns `[ids.length, dim]`.
 */
export function gather(tape: Tape, table: EmbeddingTable, ids: Int32Array): Tensor {
  const d = table.dim;
  const out = new Float32Array(ids.length * d);
  const src = table.data;
  for (let i = 0; i < ids.length; i++) {
    const r = ids[i];
    if (r < 0) continue;
    const base = r * d, o = i * d;
    for (let j = 0; j < d; j++) out[o + j] = src[base + j];
  }
  const y = new Tensor(out, [ids.length, d], true);
  tape.custom(y, (g) => {
    const tg = table.grad;
    for (let i = 0; i < ids.length; i++) {
      const r = ids[i];
      if (r < 0) continue;
      table.touch(r);
      const base = r * d, gb = i * d;
      for (let j = 0; j < d; j++) tg[base + j] += g[gb + j];
    }
  });
  return y;
}

/**
 * Weighted sums of table rows: output row r is
 * `sum_p weights[p] * table[index[p]]` over `p` in `ptr[ids[r]] .. ptr[ids[r] + 1]`
 * (a sparse matrix of neighbour weights in CSR form). Id -1 gives a zero row.
 *
 * @param tape The tape that records the operation.
 * @param table The table.
 * @param sparse CSR `ptr`, `index` and `weights` over the table's rows.
 * @param ids Which CSR rows to combine.
 * @returns `[ids.length, dim]`.
 */
export function combine(
  tape: Tape,
  table: EmbeddingTable,
  sparse: { ptr: Int32Array; index: Int32Array; weights: Float32Array },
  ids: Int32Array,
): Tensor {
  const d = table.dim, { ptr, index, weights } = sparse;
  const out = new Float32Array(ids.length * d);
  for (let r = 0; r < ids.length; r++) {
    const id = ids[r];
    if (id < 0) continue;
    const o = r * d;
    for (let p = ptr[id]; p < ptr[id + 1]; p++) {
      const w = weights[p], src = index[p] * d;
      for (let j = 0; j < d; j++) out[o + j] += w * table.data[src + j];
    }
  }
  const y = new Tensor(out, [ids.length, d], true);
  tape.custom(y, (g) => {
    for (let r = 0; r < ids.length; r++) {
      const id = ids[r];
      if (id < 0) continue;
      const o = r * d;
      for (let p = ptr[id]; p < ptr[id + 1]; p++) {
        const w = weights[p], row = index[p];
        table.touch(row);
        const dst = row * d;
        for (let j = 0; j < d; j++) table.grad[dst + j] += w * g[o + j];
      }
    }
  });
  return y;
}
