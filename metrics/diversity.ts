/**
 * Interest diversity of users: the entropy of the category labels of the
 * items in their training history (genres, categories, or item clusters).
 *
 * @module
 */

/** Item labels as CSR: labels of item `i` are `codes[ptr[i]..ptr[i+1])`. */
export interface ItemLabels {
  /** Row pointers, length numItems + 1. */
  ptr: Int32Array;
  /** Label codes (any non-negative integers). */
  codes: Int32Array;
}

/**
 * How an item with several labels counts in a user's label distribution.
 * `genre`: each of its labels counts 1 (the distribution of the user's
 * item-label pairs; the fairness paper's category distribution as recbench
 * reads it). `item`: each of its `m` labels counts `1 / m`, so every labelled
 * item weighs the same (recbench's former measure).
 */
export type LabelWeighting = "genre" | "item";

/** All weightings. */
export const LABEL_WEIGHTINGS: readonly LabelWeighting[] = ["genre", "item"];

/**
 * Entropy (natural log) of each user's label distribution. With the `item`
 * weighting an item with `m` labels adds `1 / m` to each of them; with `genre`
 * it adds 1 to each. Items without labels are skipped; a user with no labelled
 * item gets 0.
 *
 * @param userPtr Row pointers over users, length numUsers + 1.
 * @param items Items of each user (repeats count again).
 * @param labels The item labels.
 * @param options `weighting`: how a multi-label item counts (default `item`).
 * @returns Entropy per user, in nats.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { labelEntropy } from "./diversity.ts";
 * // item 0: label 0; item 1: label 1. User 0 has both -> ln 2; user 1 has item 0 twice -> 0.
 * const labels = { ptr: Int32Array.of(0, 1, 2), codes: Int32Array.of(0, 1) };
 * const h = labelEntropy(Int32Array.of(0, 2, 4), Int32Array.of(0, 1, 0, 0), labels);
 * ok(Math.abs(h[0] - Math.LN2) < 1e-12 && h[1] === 0);
 * ```
 */
export function labelEntropy(
  userPtr: Int32Array,
  items: Int32Array,
  labels: ItemLabels,
  options: { weighting?: LabelWeighting } = {},
): Float64Array {
  const weighting = options.weighting ?? "item";
  const numUsers = userPtr.length - 1;
  let maxCode = -1;
  for (const c of labels.codes) if (c > maxCode) maxCode = c;
  const mass = new Float64Array(maxCode + 1);
  const out = new Float64Array(numUsers);
  const used: number[] = [];
  for (let u = 0; u < numUsers; u++) {
    let total = 0;
    for (let p = userPtr[u]; p < userPtr[u + 1]; p++) {
      const i = items[p], a = labels.ptr[i], b = labels.ptr[i + 1];
      if (b === a) continue;
      const w = weighting === "genre" ? 1 : 1 / (b - a);
      for (let q = a; q < b; q++) {
        const c = labels.codes[q];
        if (mass[c] === 0) used.push(c);
        mass[c] += w;
      }
      total += weighting === "genre" ? b - a : 1;
    }
    let h = 0;
    used.sort((x, y) => x - y); // fixed summation order
    for (const c of used) {
      const pr = mass[c] / total;
      if (pr > 0) h -= pr * Math.log(pr);
      mass[c] = 0;
    }
    used.length = 0;
    out[u] = h === 0 ? 0 : h; // no -0
  }
  return out;
}
