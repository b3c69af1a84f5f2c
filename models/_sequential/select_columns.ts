/**
 * A tape operation for per-row negatives: row `b` keeps the columns
 * `pick[b, :]` of a `[B, C]` score matrix (DNS and SRNS choose each row's
 * negatives among columns every row was scored against).
 *
 * @module
 */
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";

/**
 * `out[b, j] = x[b, pick[b * n + j]]`; the backward pass adds `out`'s
 * gradient back into the picked entries (a column picked twice gets both).
 *
 * @param tape The tape.
 * @param x Scores `[B, C]`.
 * @param pick Column indices `[B, n]`, each in `[0, C)`.
 * @param options `batch` (B) and `columns` (C).
 * @returns `[B, n]`.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { TypeScriptBackend } from "../engine/backend.ts";
 * import { Tape } from "../engine/tape.ts";
 * import { Tensor } from "../engine/tensor.ts";
 * import { selectColumns } from "./select_columns.ts";
 * const x = new Tensor(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3]);
 * const y = selectColumns(new Tape(new TypeScriptBackend()), x, Int32Array.of(2, 0), { batch: 2, columns: 3 });
 * deepStrictEqual([...y.data], [3, 4]);
 * ```
 */
export function selectColumns(
  tape: Tape,
  x: Tensor,
  pick: Int32Array,
  options: { batch: number; columns: number },
): Tensor {
  const { batch: B, columns: C } = options;
  if (x.size !== B * C) {
    throw new TypeError(`selectColumns: scores hold ${x.size} values, expected ${B} x ${C}`);
  }
  if (pick.length % B !== 0) {
    throw new TypeError(`selectColumns: ${pick.length} picks do not divide into ${B} rows`);
  }
  const n = pick.length / B;
  const out = new Float32Array(B * n);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < n; j++) {
      const c = pick[b * n + j];
      if (!(c >= 0 && c < C)) {
        throw new RangeError(`selectColumns: row ${b} picks column ${c}, outside [0, ${C})`);
      }
      out[b * n + j] = x.data[b * C + c];
    }
  }
  const y = new Tensor(out, [B, n], x.requiresGrad);
  return tape.custom(y, (grad) => {
    if (!x.requiresGrad) return;
    const g = x.gradient();
    for (let b = 0; b < B; b++) {
      for (let j = 0; j < n; j++) g[b * C + pick[b * n + j]] += grad[b * n + j];
    }
  });
}
