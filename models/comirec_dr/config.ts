/**
 * ComiRec-DR's settings beyond the family's.
 *
 * @module
 */
import {
  checkSequentialConfig,
  oneOf,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import type { RoutingSoftmax } from "../_sequential/capsule.ts";

/** Config of the capsule models (ComiRec-DR, and MIND on top of it). */
export interface CapsuleConfig extends SequentialConfig {
  /**
   * Routing logits normalised over the history positions (REMI's code) or
   * over the interests (ComiRec's TensorFlow code). @default {"positions"}
   */
  routingSoftmax: RoutingSoftmax;
}

/** Config of ComiRec-DR. */
export interface ComiRecDrConfig extends CapsuleConfig {
  /**
   * `"per-position"`: one `K*d x d` capsule map per history position (`w` of
   * shape `[maxlen, K*d, d]`, as ComiRec's and REMI's code); `"shared"`: one
   * `d x K*d` map for every position (recbench before issue 12).
   * @default {"per-position"}
   */
  capsuleMap: "per-position" | "shared";
}

/** ComiRec-DR's defaults: the family's (lr 0.001 as REMI's and ComiRec's code). */
export const COMIREC_DR_DEFAULTS: Readonly<ComiRecDrConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  routingSoftmax: "positions",
  capsuleMap: "per-position",
};

/**
 * Checks a capsule model's config.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { checkCapsuleConfig, COMIREC_DR_DEFAULTS } from "./config.ts";
 * checkCapsuleConfig("comirec-dr", { ...COMIREC_DR_DEFAULTS });
 * ```
 */
export function checkCapsuleConfig<C extends CapsuleConfig>(name: string, c: C): C {
  checkSequentialConfig(name, c);
  oneOf(name, c, "routingSoftmax", ["positions", "interests"]);
  if ("capsuleMap" in c) {
    oneOf(name, c as unknown as ComiRecDrConfig, "capsuleMap", ["per-position", "shared"]);
  }
  return c;
}
