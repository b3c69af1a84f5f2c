/**
 * Exact top-k retrieval over one row of scores: the single place where every
 * model's scores become a ranked list, so all models are judged alike.
 *
 * Ranking rules, applied everywhere in `metrics/`:
 * - Higher score ranks first.
 * - Tie rule: equal scores rank the lower item index first, so results never
 *   depend on scan order, thread count or hash order.
 * - `NaN` is treated as `-Infinity`: a NaN-scored item can still be returned,
 *   but only after every item with a real score, and it ties with `-Infinity`
 *   (the lower index first).
 * - Excluded items (for example a user's training items) are never returned.
 *
 * @module
 */

/**
 * Options for {@linkcode topK}.
 *
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { topK, type TopKOptions } from "./topk.ts";
 * // Row 1 of a 2 x 3 score matrix, without item 0.
 * const options: TopKOptions = { offset: 3, length: 3, exclude: [0] };
 * const scores = Float32Array.of(0.1, 0.2, 0.3, 0.9, 0.8, 0.7);
 * deepStrictEqual([...topK(scores, 2, options)], [1, 2]);
 * ```
 */
export interface TopKOptions {
  /**
   * Item indices (relative to `offset`) that must never be returned, in any
   * order, duplicates allowed. Each must be an integer in `[0, length)`.
   * @default {[]}
   */
  exclude?: ArrayLike<number>;
  /**
   * Index in `scores` where the row starts.
   * @default {0}
   */
  offset?: number;
  /**
   * Number of items in the row.
   * @default {scores.length - offset}
   */
  length?: number;
}

/**
 * Returns the exact top-k item indices of the row
 * `scores[offset .. offset + length)`, best first, by the ranking rule in the
 * module doc (score descending, ties by lower index, `NaN` as `-Infinity`).
 * Item indices are relative to `offset`. Runs in O(n log k) with a size-k
 * binary heap; typical rows cost about one comparison per item, and the worst
 * case is scores rising with the item index. The input is not modified.
 *
 * @param scores Scores; the row is a slice of it.
 * @param k How many items to return (a non-negative integer). If fewer than
 * `k` items remain after exclusion, all of them are returned.
 * @param options Row bounds and excluded items.
 * @returns Up to `k` item indices, best first.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { topK, type TopKOptions } from "./topk.ts";
 * const scores = Float32Array.of(0.1, 0.9, 0.5, 0.9, NaN);
 * deepStrictEqual([...topK(scores, 3)], [1, 3, 2]); // 1 and 3 tie: lower index first
 * const seen: TopKOptions = { exclude: [1] };
 * deepStrictEqual([...topK(scores, 9, seen)], [3, 2, 0, 4]); // NaN last; 4 < k items
 * ```
 */
export function topK(scores: Float32Array, k: number, options: TopKOptions = {}): Int32Array {
  const offset = options.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > scores.length) {
    throw new RangeError(
      `Cannot take top-k: offset ${offset} is not an integer in [0, ${scores.length}]`,
    );
  }
  const length = options.length ?? scores.length - offset;
  if (!Number.isInteger(length) || length < 0 || offset + length > scores.length) {
    throw new RangeError(
      `Cannot take top-k: row [${offset}, ${offset}+${length}) does not fit in ${scores.length} scores`,
    );
  }
  if (!Number.isInteger(k) || k < 0) {
    throw new RangeError(`Cannot take top-k: k must be a non-negative integer, found ${k}`);
  }
  const excluded = exclusionMask(options.exclude, length);

  const capacity = Math.min(k, length);
  const heapScores = new Float64Array(capacity);
  const heapItems = new Int32Array(capacity);
  let size = 0;
  // The heap root is the worst kept item: lowest score, then highest index.
  // Items are scanned in increasing index order, so a new item that only ties
  // the root ranks after it and can be skipped with `s <= root`.
  for (let item = 0; item < length; item++) {
    let s: number = scores[offset + item];
    if (s !== s) s = -Infinity;
    if (size === capacity) {
      if (size === 0 || s <= heapScores[0]) continue;
      if (excluded !== null && (excluded[item >>> 5] & (1 << (item & 31))) !== 0) continue;
      siftDown(heapScores, heapItems, size, s, item);
    } else {
      if (excluded !== null && (excluded[item >>> 5] & (1 << (item & 31))) !== 0) continue;
      siftUp(heapScores, heapItems, size, s, item);
      size++;
    }
  }

  const result = new Int32Array(size);
  for (let last = size - 1; last >= 0; last--) {
    result[last] = heapItems[0];
    // Move the final leaf to the root and restore the heap on [0, last).
    siftDown(heapScores, heapItems, last, heapScores[last], heapItems[last]);
  }
  return result;
}

/** True when (sa, ia) is a worse-ranked entry than (sb, ib). */
function worse(sa: number, ia: number, sb: number, ib: number): boolean {
  return sa < sb || (sa === sb && ia > ib);
}

function siftUp(
  heapScores: Float64Array,
  heapItems: Int32Array,
  size: number,
  s: number,
  item: number,
): void {
  let i = size;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!worse(s, item, heapScores[parent], heapItems[parent])) break;
    heapScores[i] = heapScores[parent];
    heapItems[i] = heapItems[parent];
    i = parent;
  }
  heapScores[i] = s;
  heapItems[i] = item;
}

/** Replaces the root with (s, item) and sifts it down within [0, size). */
function siftDown(
  heapScores: Float64Array,
  heapItems: Int32Array,
  size: number,
  s: number,
  item: number,
): void {
  if (size === 0) return;
  let i = 0;
  let child = 1;
  while (child < size) {
    // Pick the worse child.
    let cs = heapScores[child];
    let ci = heapItems[child];
    const right = child + 1;
    if (right < size) {
      const rs = heapScores[right];
      const ri = heapItems[right];
      if (rs < cs || (rs === cs && ri > ci)) {
        child = right;
        cs = rs;
        ci = ri;
      }
    }
    if (!(cs < s || (cs === s && ci > item))) break;
    heapScores[i] = cs;
    heapItems[i] = ci;
    i = child;
    child = 2 * i + 1;
  }
  heapScores[i] = s;
  heapItems[i] = item;
}

/**
 * Validates the excluded indices and marks them in a bit set of `length` bits
 * (one 32-bit word per 32 items); null when there are none.
 */
function exclusionMask(
  exclude: ArrayLike<number> | undefined,
  length: number,
): Uint32Array | null {
  if (exclude === undefined || exclude.length === 0) return null;
  const mask = new Uint32Array((length + 31) >>> 5);
  for (let i = 0; i < exclude.length; i++) {
    const item = exclude[i];
    if (!Number.isInteger(item) || item < 0 || item >= length) {
      throw new RangeError(
        `Cannot take top-k: exclude[${i}] is ${item}, expected an integer in [0, ${length})`,
      );
    }
    mask[item >>> 5] |= 1 << (item & 31);
  }
  return mask;
}
