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
 * @module
 */
import type { ItemFeatures } from "../../data/dataset.ts";

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
 * import { titleTokens } from "./_modalities.ts";
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
 * import { itemModalities } from "./_modalities.ts";
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
