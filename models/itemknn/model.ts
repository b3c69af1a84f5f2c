/**
 * ItemKNN: item-item cosine similarity over the binary training matrix, cut
 * to the top `neighbors` per item. With `pruning: "target"` (RecBole's
 * ItemKNN) each candidate item keeps its most similar items and a query's
 * score is `X . W`; with `"history"` each history item contributes its own
 * most similar items.
 *
 * @module
 */
import type { FitContext, Model, Query, TrainingData } from "../types.ts";
import type { ItemKnnConfig } from "./config.ts";

/**
 * Item-based nearest neighbours (Sarwar et al., WWW 2001; Deshpande and Karypis, TOIS 2004).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ItemKNN } from "./model.ts";
 * const m = new ItemKNN({ neighbors: 10, shrink: 0, pruning: "target" });
 * ok(m.parameterCount() === 0);
 * ```
 */
export class ItemKNN implements Model {
  readonly interests = 1;
  readonly #config: ItemKnnConfig;
  #ptr = new Int32Array(1);
  #nbr = new Int32Array(0);
  #sim = new Float32Array(0);
  #numItems = 0;

  /** @param config Neighbours and shrinkage. */
  constructor(config: ItemKnnConfig) {
    this.#config = config;
  }

  /**
   * Builds the neighbour lists.
   *
   * @param data Training data.
   * @param context Progress reporting.
   */
  fit(data: TrainingData, context?: FitContext): void {
    const nItems = data.numItems;
    this.#numItems = nItems;
    // Distinct items per user (a repeated item counts once), and item -> users.
    const userPtr = new Int32Array(data.numUsers + 1);
    const userItems: number[] = [];
    const mark = new Int32Array(nItems).fill(-1);
    for (let u = 0; u < data.numUsers; u++) {
      for (let e = data.userPtr[u]; e < data.userPtr[u + 1]; e++) {
        const i = data.items[e];
        if (mark[i] !== u) {
          mark[i] = u;
          userItems.push(i);
        }
      }
      userPtr[u + 1] = userItems.length;
    }
    const itemCount = new Int32Array(nItems);
    for (const i of userItems) itemCount[i]++;
    const itemPtr = new Int32Array(nItems + 1);
    for (let i = 0; i < nItems; i++) itemPtr[i + 1] = itemPtr[i] + itemCount[i];
    const itemUsers = new Int32Array(userItems.length);
    const fill = itemPtr.slice(0, nItems);
    for (let u = 0; u < data.numUsers; u++) {
      for (let e = userPtr[u]; e < userPtr[u + 1]; e++) itemUsers[fill[userItems[e]]++] = u;
    }
    const k = this.#config.neighbors;
    const shrink = this.#config.shrink;
    const co = new Float64Array(nItems);
    const touched = new Int32Array(nItems);
    // Top-k list of each item i: cand[ptr[i]..ptr[i+1]) (similarity is symmetric).
    const ptr = new Int32Array(nItems + 1);
    const nbrs: number[] = [];
    const sims: number[] = [];
    const cand: number[] = [];
    for (let i = 0; i < nItems; i++) {
      let nTouched = 0;
      for (let p = itemPtr[i]; p < itemPtr[i + 1]; p++) {
        const u = itemUsers[p];
        for (let e = userPtr[u]; e < userPtr[u + 1]; e++) {
          const j = userItems[e];
          if (j === i) continue;
          if (co[j] === 0) touched[nTouched++] = j;
          co[j]++;
        }
      }
      cand.length = 0;
      for (let t = 0; t < nTouched; t++) {
        const j = touched[t];
        cand.push(j);
        co[j] = co[j] / (Math.sqrt(itemCount[i] * itemCount[j]) + shrink);
      }
      // Most similar first; ties by lower item index.
      cand.sort((a, b) => co[b] - co[a] || a - b);
      const keep = Math.min(k, cand.length);
      for (let t = 0; t < keep; t++) {
        nbrs.push(cand[t]);
        sims.push(co[cand[t]]);
      }
      for (let t = 0; t < nTouched; t++) co[touched[t]] = 0;
      ptr[i + 1] = nbrs.length;
      if ((i & 1023) === 0) context?.progress(i / nItems, "item similarities");
    }
    const lists: NeighbourLists = { ptr, nbr: Int32Array.from(nbrs), sim: Float64Array.from(sims) };
    // "history": history item j adds its own list. "target": W[i][j] is kept
    // when i is in j's list, so history item i adds every j whose list holds i.
    const rows = this.#config.pruning === "history" ? lists : transposeLists(lists, nItems);
    this.#ptr = rows.ptr;
    this.#nbr = rows.nbr;
    this.#sim = Float32Array.from(rows.sim);
  }

  /**
   * Sums, over each query's distinct history items, the similarities kept
   * from that history item to every candidate (`X . W`).
   *
   * @param queries Queries.
   * @param out Destination.
   */
  score(queries: readonly Query[], out: Float32Array): void {
    const n = this.#numItems;
    const seen = new Int32Array(n).fill(-1);
    for (let q = 0; q < queries.length; q++) {
      const base = q * n;
      for (const j of queries[q].history) {
        if (seen[j] === q) continue;
        seen[j] = q;
        for (let p = this.#ptr[j]; p < this.#ptr[j + 1]; p++) {
          out[base + this.#nbr[p]] += this.#sim[p];
        }
      }
    }
  }

  /**
   * ItemKNN stores similarities, not learned parameters.
   *
   * @returns 0.
   */
  parameterCount(): number {
    return 0;
  }
}

interface NeighbourLists {
  ptr: Int32Array<ArrayBuffer>;
  nbr: Int32Array<ArrayBuffer>;
  sim: Float64Array<ArrayBuffer>;
}

/** The lists of `W` transposed: row `i` holds `(j, s)` for each `(i, s)` in list `j`; rows ascend by `j`. */
function transposeLists(w: NeighbourLists, nItems: number): NeighbourLists {
  const ptr = new Int32Array(nItems + 1);
  for (const i of w.nbr) ptr[i + 1]++;
  for (let i = 0; i < nItems; i++) ptr[i + 1] += ptr[i];
  const nbr = new Int32Array(w.nbr.length);
  const sim = new Float64Array(w.nbr.length);
  const fill = ptr.slice(0, nItems);
  for (let j = 0; j < nItems; j++) {
    for (let p = w.ptr[j]; p < w.ptr[j + 1]; p++) {
      const at = fill[w.nbr[p]]++;
      nbr[at] = j;
      sim[at] = w.sim[p];
    }
  }
  return { ptr, nbr, sim };
}
