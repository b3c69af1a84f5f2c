/**
 * MIND's settings beyond the family's.
 *
 * @module
 */
import { SEQUENTIAL_DEFAULTS } from "../_sequential/config.ts";
import type { CapsuleConfig } from "../comirec_dr/config.ts";

/** Config of MIND. */
export interface MindConfig extends CapsuleConfig {
  /**
   * A `d x d` layer without bias and a ReLU on each capsule. REMI's and
   * ComiRec's code use it on Books only (set there by the per-dataset
   * settings). @default {false}
   */
  reluLayer: boolean;
}

/** MIND's defaults (lr 0.001 on every dataset, as REMI's code). */
export const MIND_DEFAULTS: Readonly<MindConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  routingSoftmax: "positions",
  reluLayer: false,
};
