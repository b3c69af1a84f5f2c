/**
 * The two item modalities IDSF reads from the data layer's side features, each
 * as a CSR bag of words with averaging weights (an empty row is a missing
 * modality):
 *
 * - `categories`: every categorical field (`genres` for MovieLens,
 *   `categories` for Amazon) in one vocabulary, fields in name order.
 * - `title`: lower-cased title words (runs of letters and digits), vocabulary
 *   sorted so the order does not depend on item order.
 *
 * and one dense modality per file the run was given (`--item-features [name=]PATH`)
 * ({@linkcode denseModality}): the file's rows, standardised per column.
 *
 * @module
 */
import type { DenseItemFeatures, ItemFeatures } from "../../data/dataset.ts";

/** One modality: a CSR bag over a vocabulary, weights `1 / row length`. */
export interface Modality {
  /** Vocabulary size (0 when no item has the modality). */
  vocab: number;
  /** Row pointers, length numItems + 1. */
  ptr: Int32Array;
  /** Vocabulary indices. */
  index: Int32Array;
  /** Averaging weights. */
  weights: Float32Array;
  /** 1 where the item has the modality. */
  present: Uint8Array;
}

function bags(rows: number[][], vocab: number): Modality {
  const ptr = new Int32Array(rows.length + 1);
  rows.forEach((r, i) => ptr[i + 1] = ptr[i] + r.length);
  return {
    vocab,
    ptr,
    index: Int32Array.from(rows.flat()),
    weights: Float32Array.from(rows.flatMap((r) => r.map(() => 1 / r.length))),
    present: Uint8Array.from(rows, (r) => r.length > 0 ? 1 : 0),
  };
}

/**
 * Lower-cased words of a title.
 *
 * @param title A title.
 * @returns Its distinct words, in order of first appearance.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { titleTokens } from "./modalities.ts";
 * deepStrictEqual(titleTokens("Toy Story (1995) toy"), ["toy", "story", "1995"]);
 * ```
 */
export function titleTokens(title: string): string[] {
  return [...new Set(title.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/**
 * The categorical and title modalities of `numItems` items.
 *
 * @param features The data layer's item features (absent: both modalities empty).
 * @param numItems Items.
 * @returns `{ categories, title }`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { itemModalities } from "./modalities.ts";
 * const m = itemModalities({ titles: ["A b", ""], fields: {} }, 2);
 * ok(m.title.vocab === 2 && m.title.present.join() === "1,0" && m.categories.vocab === 0);
 * ```
 */
export function itemModalities(
  features: ItemFeatures | undefined,
  numItems: number,
): { categories: Modality; title: Modality } {
  const fields = features?.fields ?? {};
  const names = Object.keys(fields).sort();
  let vocab = 0;
  const offsets = names.map((name) =>
    (vocab += fields[name].vocab.length) - fields[name].vocab.length
  );
  const cats = Array.from({ length: numItems }, (_, i) => {
    const row = new Set<number>();
    names.forEach((name, f) => {
      const fl = fields[name];
      if (i + 1 >= fl.ptr.length) return;
      for (let p = fl.ptr[i]; p < fl.ptr[i + 1]; p++) row.add(offsets[f] + fl.codes[p]);
    });
    return [...row].sort((a, b) => a - b);
  });
  const words = Array.from(
    { length: numItems },
    (_, i) => titleTokens(features?.titles?.[i] ?? ""),
  );
  const sorted = [...new Set(words.flat())].sort();
  const code = new Map(sorted.map((w, k) => [w, k]));
  const titles = words.map((ws) => ws.map((w) => code.get(w)!).sort((a, b) => a - b));
  return { categories: bags(cats, vocab), title: bags(titles, sorted.length) };
}

/** The dense modality's input: one standardised row per item (zeros where missing). */
export interface DenseModality {
  /** Feature columns F. */
  width: number;
  /** `[numItems, F]`, each column of the present rows at mean 0 and std 1 (0 if constant). */
  values: Float32Array;
  /** 1 where the item has a row. */
  present: Uint8Array;
}

/**
 * The dense features as IDSF's third modality input: every column
 * standardised over the items that have a row (mean 0, std 1; a constant
 * column becomes 0), so the learned projection starts at the scale of the
 * other modalities whatever units the file uses. Rows of items without one
 * stay zero (they are masked out anyway).
 *
 * @param dense The data layer's dense features (absent: no dense modality).
 * @param numItems Items.
 * @returns The input, or undefined.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { denseModality } from "./modalities.ts";
 * const m = denseModality({ modality: "dense", names: ["x"], values: Float32Array.of(10, 0, 30),
 *   present: Uint8Array.of(1, 0, 1), source: { file: "f.csv", sha256: "" } }, 3);
 * deepStrictEqual([...m!.values], [-1, 0, 1]);
 * ```
 */
export function denseModality(
  dense: DenseItemFeatures | undefined,
  numItems: number,
): DenseModality | undefined {
  if (!dense) return undefined;
  const F = dense.names.length, { present } = dense;
  if (dense.values.length !== numItems * F || present.length !== numItems) {
    throw new TypeError(
      `Dense item features have ${dense.values.length} values and ${present.length} rows, want ${numItems} x ${F}`,
    );
  }
  const values = new Float32Array(numItems * F);
  const rows = present.reduce((s, v) => s + v, 0);
  for (let c = 0; c < F; c++) {
    let sum = 0, sq = 0;
    for (let i = 0; i < numItems; i++) if (present[i]) sum += dense.values[i * F + c];
    const mean = sum / Math.max(rows, 1);
    for (let i = 0; i < numItems; i++) {
      if (present[i]) sq += (dense.values[i * F + c] - mean) ** 2;
    }
    const std = Math.sqrt(sq / Math.max(rows, 1));
    for (let i = 0; i < numItems; i++) {
      if (present[i]) values[i * F + c] = std > 0 ? (dense.values[i * F + c] - mean) / std : 0;
    }
  }
  return { width: F, values, present: present.slice() };
}
