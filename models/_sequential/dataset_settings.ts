/**
 * The settings REMI's and ComiRec's reference runs use per dataset (REMI's
 * `src/train.py` and README: maxlen 20 / 40 / 20, REMI's beta 10 / 1 / 0.1 on
 * Books / Gowalla / RetailRocket; MIND's ReLU layer on Books only, as both
 * codes' `get_model`). The runner applies them when those datasets run,
 * under anything given with `--maxlen` or `--set`.
 *
 * @module
 */

/** One dataset's reference settings. */
export interface DatasetSettings {
  /** The dataset as REMI's code names it. */
  reference: string;
  /** History length of the sequential protocol. */
  maxlen: number;
  /** Model config values, applied to each model whose defaults have the key (beta: only where IHN is on). */
  config: Readonly<Record<string, unknown>>;
}

const BOOKS: DatasetSettings = {
  reference: "book",
  maxlen: 20,
  config: { beta: 10, reluLayer: true },
};
const GOWALLA: DatasetSettings = { reference: "gowalla", maxlen: 40, config: { beta: 1 } };
const ROCKET: DatasetSettings = { reference: "rocket", maxlen: 20, config: { beta: 0.1 } };

/** Reference settings by recbench dataset name. */
export const REFERENCE_DATASET_SETTINGS: Readonly<Record<string, DatasetSettings>> = {
  "amazon-books": BOOKS,
  gowalla: GOWALLA,
  "recbole:gowalla": GOWALLA,
  retailrocket: ROCKET,
  "recbole:retailrocket-view": ROCKET,
};

/**
 * The reference settings that apply to one model on one dataset: the keys
 * its defaults have, and `beta` only for models whose default beta is on
 * (REMI and its IHN ablation, not the RR-only one).
 *
 * @param dataset recbench dataset name.
 * @param defaults The model's default config.
 * @returns The config values to apply (empty for other datasets and models).
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { referenceModelSettings } from "./dataset_settings.ts";
 * deepStrictEqual(referenceModelSettings("amazon-books", { beta: 1, lambda: 100 }), { beta: 10 });
 * deepStrictEqual(referenceModelSettings("amazon-books", { beta: 0, lambda: 100 }), {});
 * deepStrictEqual(referenceModelSettings("ml-1m", { beta: 1 }), {});
 * ```
 */
export function referenceModelSettings(
  dataset: string,
  defaults: Readonly<object>,
): Record<string, unknown> {
  const s = REFERENCE_DATASET_SETTINGS[dataset];
  if (!s) return {};
  const d = defaults as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(s.config)) {
    if (!(key in d)) continue;
    if (key === "beta" && !((d.beta as number) > 0)) continue;
    out[key] = value;
  }
  return out;
}
