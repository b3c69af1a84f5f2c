/**
 * Item modalities as fixed dense matrices, the input the multimodal graph
 * models (VBPR, MMGCN, LATTICE, FREEDOM) take where their papers take
 * pretrained text and image vectors:
 *
 * - each dense file (`--item-features [name=]PATH`): its rows standardised per
 *   column ({@linkcode denseModality}) for learned projections, and as given
 *   for the kNN graphs;
 * - the dataset's categorical fields and title words ({@linkcode itemModalities}),
 *   which have no encoder here: each item's bag as a TF-IDF vector (binary
 *   term frequency, smoothed IDF `ln((1 + n) / (1 + df)) + 1`, row L2
 *   normalised); a vocabulary wider than {@linkcode BAG_WIDTH} is reduced by a
 *   fixed Gaussian random projection (entries N(0, 1/width), drawn from a
 *   stream that depends only on the modality's name, never on the run's
 *   seed), which keeps inner products in expectation (Johnson-Lindenstrauss).
 *
 * A modality no item has is left out. Items without the modality have a zero
 * row and `present` 0.
 *
 * @module
 */
import type { ItemFeatures } from "../../data/dataset.ts";
import { deriveRng, type Rng } from "../../data/rng.ts";
import type { Tape } from "../engine/tape.ts";
import { Tensor } from "../engine/tensor.ts";
import { denseModality, itemModalities, type Modality } from "./modalities.ts";
import { takeRows } from "./propagate.ts";

/** Widest a bag-of-words modality stays before the random projection. */
export const BAG_WIDTH = 128;

/** One item modality as a dense `[numItems, width]` matrix. */
export interface FeatureMatrix {
  /** `categories`, `title`, or the dense file's modality name. */
  name: string;
  /** Columns F. */
  width: number;
  /**
   * `[numItems, width]`, zero rows where the item lacks the modality; dense
   * files standardised per column (the input of learned projections).
   */
  values: Float32Array;
  /**
   * `[numItems, width]` as the file gives it (bags: the same array as
   * `values`): what the modality kNN graphs compare, as MMRec compares raw
   * features.
   */
  raw: Float32Array;
  /** 1 where the item has the modality. */
  present: Uint8Array;
  /** How the matrix was made, for reports (`tfidf`, `tfidf+projection`, `dense`). */
  kind: "tfidf" | "tfidf+projection" | "dense";
}

/**
 * A bag modality as TF-IDF rows, projected to `width` columns when its
 * vocabulary is wider.
 *
 * @param name Modality name (labels the projection's stream).
 * @param bag The CSR bag.
 * @param width Widest kept as is.
 * @returns The matrix.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { itemModalities } from "./modalities.ts";
 * import { tfidfMatrix } from "./features.ts";
 * const { title } = itemModalities({ titles: ["a b", "a"], fields: {} }, 2);
 * const m = tfidfMatrix("title", title, 128);
 * ok(m.width === 2 && m.kind === "tfidf");
 * ```
 */
export function tfidfMatrix(name: string, bag: Modality, width: number): FeatureMatrix {
  const N = bag.present.length, V = bag.vocab;
  const df = new Float64Array(V);
  for (let p = 0; p < bag.index.length; p++) df[bag.index[p]]++;
  const n = bag.present.reduce((s, v) => s + v, 0);
  const idf = Float64Array.from(df, (f) => Math.log((1 + n) / (1 + f)) + 1);
  const project = V > width;
  const F = project ? width : V;
  let basis: Float32Array | undefined;
  if (project) {
    const rng = deriveRng(0, `features:projection:${name}`);
    const s = 1 / Math.sqrt(width);
    basis = Float32Array.from({ length: V * width }, () => s * rng.normal());
  }
  const values = new Float32Array(N * F);
  for (let i = 0; i < N; i++) {
    let norm = 0;
    for (let p = bag.ptr[i]; p < bag.ptr[i + 1]; p++) norm += idf[bag.index[p]] ** 2;
    if (norm === 0) continue;
    const inv = 1 / Math.sqrt(norm), o = i * F;
    for (let p = bag.ptr[i]; p < bag.ptr[i + 1]; p++) {
      const t = bag.index[p], w = idf[t] * inv;
      if (!basis) {
        values[o + t] += w;
        continue;
      }
      for (let c = 0; c < F; c++) values[o + c] += w * basis[t * F + c];
    }
  }
  return {
    name,
    width: F,
    values,
    raw: values,
    present: bag.present.slice(),
    kind: project ? "tfidf+projection" : "tfidf",
  };
}

/**
 * Every modality of the training data's items as a dense matrix: categories
 * and title words (TF-IDF, projected past {@linkcode BAG_WIDTH} columns), then
 * one per dense file.
 *
 * @param features The data layer's item features (absent: no modality).
 * @param numItems Items.
 * @param options `width`: the projection width (default {@linkcode BAG_WIDTH}).
 * @returns The modalities some item has, in that order.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { itemFeatureMatrices } from "./features.ts";
 * const m = itemFeatureMatrices({ titles: ["a b", ""], fields: {} }, 2);
 * ok(m.length === 1 && m[0].name === "title" && m[0].present.join() === "1,0");
 * ```
 */
export function itemFeatureMatrices(
  features: ItemFeatures | undefined,
  numItems: number,
  options: { width?: number } = {},
): FeatureMatrix[] {
  const width = options.width ?? BAG_WIDTH;
  const out: FeatureMatrix[] = [];
  const { categories, title } = itemModalities(features, numItems);
  for (const [name, bag] of [["categories", categories], ["title", title]] as const) {
    if (bag.vocab > 0 && bag.present.some((v) => v === 1)) {
      out.push(tfidfMatrix(name, bag, width));
    }
  }
  for (const file of features?.dense ?? []) {
    const m = denseModality(file, numItems)!;
    const raw = new Float32Array(file.values.length);
    for (let i = 0; i < numItems; i++) {
      if (!m.present[i]) continue;
      raw.set(file.values.subarray(i * m.width, (i + 1) * m.width), i * m.width);
    }
    out.push({
      name: file.modality,
      width: m.width,
      values: m.values,
      raw,
      present: m.present,
      kind: "dense",
    });
  }
  return out;
}

/**
 * The modalities side by side, `[numItems, sum of widths]` (VBPR's `f_i`).
 *
 * @param matrices The modalities.
 * @param numItems Items.
 * @returns The concatenation and its width.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { concatFeatures } from "./features.ts";
 * const v = Float32Array.of(1, 2);
 * const a = { name: "a", width: 1, values: v, raw: v, present: Uint8Array.of(1, 1), kind: "dense" as const };
 * ok(concatFeatures([a, a], 2).values.join() === "1,1,2,2");
 * ```
 */
export function concatFeatures(
  matrices: readonly FeatureMatrix[],
  numItems: number,
): { values: Float32Array; width: number } {
  const width = matrices.reduce((s, m) => s + m.width, 0);
  const values = new Float32Array(numItems * width);
  let offset = 0;
  for (const m of matrices) {
    for (let i = 0; i < numItems; i++) {
      values.set(m.values.subarray(i * m.width, (i + 1) * m.width), i * width + offset);
    }
    offset += m.width;
  }
  return { values, width };
}

/**
 * A learned linear map of one modality, `x W + b` (PyTorch's `nn.Linear` of
 * MMRec's `image_trs` / `text_trs`): `W` normal with PyTorch's default
 * spread (std `1 / sqrt(3F)`, the standard deviation of its uniform
 * initialisation), `b` zero.
 */
export class FeatureProjection {
  /** `[F, out]`. */
  readonly w: Tensor;
  /** `[out]`. */
  readonly b: Tensor;
  /** The fixed input `[numItems, F]`. */
  readonly x: Tensor;

  /**
   * @param m The modality.
   * @param out Output width.
   * @param rng The `init` stream.
   */
  constructor(readonly m: FeatureMatrix, readonly out: number, rng: Rng) {
    const F = m.width, std = 1 / Math.sqrt(3 * F);
    this.w = new Tensor(Float32Array.from({ length: F * out }, () => std * rng.normal()), [
      F,
      out,
    ], true);
    this.b = new Tensor(new Float32Array(out), [out], true);
    this.x = new Tensor(m.values, [m.values.length / F, F]);
  }

  /** The parameters (for the optimiser). */
  get parameters(): Tensor[] {
    return [this.w, this.b];
  }

  /**
   * The projection of some items (all when `ids` is absent).
   *
   * @param tape The tape.
   * @param ids Item ids.
   * @returns `[ids.length or numItems, out]`.
   */
  apply(tape: Tape, ids?: Int32Array): Tensor {
    const x = ids ? takeRows(tape, this.x, ids) : this.x;
    const rows = x.size / this.m.width;
    return tape.add(tape.matmul(x, this.w, rows, this.m.width, this.out), this.b);
  }
}
