/**
 * Checks that mark a grid cell whose numbers should not be read at face value:
 * a model whose scores tie every item (an empty `score()` silently becomes the
 * tie rule), and an `onnx:` model evaluated on another dataset, seed or split
 * than it was trained on (its training users may be this split's test users).
 *
 * @module
 */
import type { EvaluationSet } from "../data/split.ts";
import type { Model } from "../models/types.ts";

/**
 * Whether a model scores every item the same for each of the first `limit`
 * queries (and every interest): then every item ties and the ranking is the
 * shared tie rule, not the model. NaN scores count as constant too.
 *
 * @param model A fitted model.
 * @param set Queries to score (the validation users).
 * @param numItems Items.
 * @param limit Queries scored. @default {64}
 * @returns `true` when no scored row separates any two items; `false` without queries.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { constantScores } from "./cell_checks.ts";
 * const set = { queries: [{ user: 0, history: Int32Array.of(1) }], targets: [new Set([2])] };
 * const flat = { interests: 1, fit() {}, score() {}, parameterCount: () => 0 };
 * ok(constantScores(flat, set, 3));
 * ```
 */
export function constantScores(
  model: Pick<Model, "interests" | "score">,
  set: Pick<EvaluationSet, "queries">,
  numItems: number,
  limit = 64,
): boolean {
  const queries = set.queries.slice(0, limit);
  if (queries.length === 0 || numItems < 2) return false;
  const out = new Float32Array(queries.length * model.interests * numItems);
  model.score(queries, out);
  for (let row = 0; row < out.length; row += numItems) {
    const first = out[row];
    for (let i = row + 1; i < row + numItems; i++) {
      const v = out[i];
      if (v !== first && !(Number.isNaN(v) && Number.isNaN(first))) return false;
    }
  }
  return true;
}

/** What an exported model was trained on (written beside it by `--export-onnx`). */
export interface TrainedOn {
  /** Dataset name. */
  dataset: string;
  /** Dataset checksum, when recorded. */
  checksum?: string;
  /** Protocol. */
  protocol: string;
  /** Split and training seed. */
  seed: number;
  /** The split's config (seed, ratios, maxlen, ...), when recorded. */
  split?: Record<string, unknown>;
}

/**
 * What an `onnx:` file's item-id file says it was trained on: its `trainedOn`
 * record, else the `source` text recbench wrote before that record existed
 * (`... trained by recbench on D (P, seed S)`); `undefined` for a file from
 * elsewhere.
 *
 * @param sidecar The parsed item-id file.
 * @returns The origin, if recorded.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { recordedOrigin } from "./cell_checks.ts";
 * ok(recordedOrigin({ source: "remi trained by recbench on ml-1m (sequential, seed 2)" })?.seed === 2);
 * ok(recordedOrigin({ source: "a model from a paper" }) === undefined);
 * ```
 */
export function recordedOrigin(
  sidecar: { trainedOn?: TrainedOn; source?: string },
): TrainedOn | undefined {
  if (sidecar.trainedOn) return sidecar.trainedOn;
  const m = / trained by recbench on (\S+) \((\w+), seed (-?\d+)\)$/.exec(sidecar.source ?? "");
  return m ? { dataset: m[1], protocol: m[2], seed: Number(m[3]) } : undefined;
}

/**
 * How a cell differs from what its `onnx:` model was trained on, as one
 * sentence, or `undefined` when it matches (or nothing was recorded).
 *
 * @param origin What the file records.
 * @param cell The cell's dataset, checksum, protocol, seed and split config.
 * @returns The warning.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { originMismatch } from "./cell_checks.ts";
 * const origin = { dataset: "ml-1m", protocol: "cf", seed: 1 };
 * ok(originMismatch(origin, { dataset: "ml-1m", checksum: "c", protocol: "cf", seed: 2 })?.includes("seed 1"));
 * ok(originMismatch(origin, { dataset: "ml-1m", checksum: "c", protocol: "cf", seed: 1 }) === undefined);
 * ```
 */
export function originMismatch(
  origin: TrainedOn,
  cell: {
    dataset: string;
    checksum: string;
    protocol: string;
    seed: number;
    split?: Record<string, unknown>;
  },
): string | undefined {
  const differs: string[] = [];
  if (origin.dataset !== cell.dataset) differs.push(`dataset ${origin.dataset}`);
  else if (origin.checksum !== undefined && origin.checksum !== cell.checksum) {
    differs.push(`other data (checksum ${origin.checksum.slice(0, 12)})`);
  }
  if (origin.protocol !== cell.protocol) differs.push(`protocol ${origin.protocol}`);
  if (origin.seed !== cell.seed) differs.push(`seed ${origin.seed}`);
  else if (
    origin.split && cell.split && JSON.stringify(sorted(origin.split)) !==
      JSON.stringify(sorted(cell.split))
  ) {
    differs.push(`another split (${JSON.stringify(sorted(origin.split))})`);
  }
  if (differs.length === 0) return undefined;
  return `trained on ${differs.join(", ")} but evaluated on ${cell.dataset} (${cell.protocol}, ` +
    `seed ${cell.seed}): its training users' interactions may be in this test set, ` +
    `so these numbers are not a held-out test`;
}

function sorted(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}
