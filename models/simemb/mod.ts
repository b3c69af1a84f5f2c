/**
 * SimEmb on every multi-interest host of the sequential family: ComiRec-SA,
 * ComiRec-DR, MIND and REMI. Each takes its host's registry entry as it is
 * (defaults, checks, per-dataset settings) and adds SimEmb's settings.
 *
 * @module
 */
import type { SequentialConfig } from "../_sequential/config.ts";
import { ComiRecDR, comirecDR } from "../comirec_dr/mod.ts";
import { ComiRecSA, comirecSA } from "../comirec_sa/mod.ts";
import { MIND, mind } from "../mind/mod.ts";
import { remi } from "../remi/mod.ts";
import { mergeConfig, type ModelSpec } from "../types.ts";
import {
  checkSimEmbSettings,
  SIMEMB_SETTINGS,
  type SimEmbConfig,
  type SimEmbSettings,
} from "./config.ts";
import { type SequentialModelClass, withSimEmb } from "./model.ts";

export { cooccurrenceWeights } from "./cooccurrence.ts";
export { SIMEMB_SETTINGS, withSimEmb };
export type { SimEmbConfig, SimEmbSettings };

const REFERENCE =
  "Attribute Simulation for Item Embedding Enhancement in Multi-interest Recommendation, arXiv 2311.17374.";
const DEVIATIONS =
  "Inferred details: co-occurrence counted within T = 3 steps either side (T is `window`), every co-occurrence kept by default (`neighbors` = N keeps the N most frequent), the item itself added with count 1, rows normalised to sum 1; the attribute table has the host's embedding size.";

/**
 * The registry entry of SimEmb on a host: named `<host>+simemb`, the host's
 * config (validated by the host) plus `window` and `neighbors`.
 *
 * @param host The host's registry entry.
 * @param Host The host's model class.
 * @returns The entry.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { mind, MIND } from "../mind/mod.ts";
 * import { simEmbOn } from "./mod.ts";
 * const spec = simEmbOn(mind, MIND);
 * ok(spec.name === "mind+simemb" && spec.configure({ window: 5 }).window === 5);
 * ```
 */
export function simEmbOn<C extends SequentialConfig>(
  host: ModelSpec<C>,
  Host: SequentialModelClass,
): ModelSpec<C & SimEmbSettings> {
  const name = `${host.name}+simemb`;
  const Model = withSimEmb(Host);
  return {
    ...host,
    name,
    title: `${host.title} + SimEmb`,
    reference: REFERENCE,
    deviations: `Host: ${host.title} (${host.deviations}) ${DEVIATIONS}`,
    defaults: { ...host.defaults, ...SIMEMB_SETTINGS },
    configure: (o = {}) => {
      const own: Record<string, unknown> = {}, rest: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(o)) (k in SIMEMB_SETTINGS ? own : rest)[k] = v;
      const settings = checkSimEmbSettings(name, mergeConfig(name, SIMEMB_SETTINGS, own));
      return { ...host.configure(rest), ...settings };
    },
    create: (config) => new Model(config as SimEmbConfig),
  };
}

/** SimEmb item embeddings in ComiRec-SA. */
export const comirecSASimEmb: ModelSpec<SimEmbConfig> = simEmbOn(comirecSA, ComiRecSA);

/** SimEmb item embeddings in ComiRec-DR. */
export const comirecDRSimEmb: ModelSpec<SimEmbConfig> = simEmbOn(comirecDR, ComiRecDR);

/** SimEmb item embeddings in MIND. */
export const mindSimEmb: ModelSpec<SimEmbConfig> = simEmbOn(mind, MIND);

/** SimEmb item embeddings in REMI (ComiRec-SA with IHN and RR). */
export const remiSimEmb: ModelSpec<SimEmbConfig> = simEmbOn(remi, ComiRecSA);
