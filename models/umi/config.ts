/**
 * UMI's settings beyond the family's, with the defaults of the authors' code.
 *
 * @module
 */
import {
  checkSequentialConfig,
  oneOf,
  SEQUENTIAL_DEFAULTS,
  type SequentialConfig,
} from "../_sequential/config.ts";
import { checkPositiveIntegers } from "../types.ts";

/** Config of UMI, UMI_HN and REMI on UMI_HN. */
export interface UmiConfig extends SequentialConfig {
  /**
   * What conditions the routing and the interest refinement: `"auto"` the
   * dataset's user fields named in `profileFields` where it has any, else a
   * user-ID embedding; `"features"` the fields (an error without them);
   * `"user-id"` a user-ID embedding (zero at the start, so users never
   * trained on, as every held-out user of the sequential protocol, read a zero
   * profile); `"none"` no profile (REMI's UMI_HN: its datasets have none).
   * @default {"auto"}
   */
  profile: "auto" | "features" | "user-id" | "none";
  /** Comma-separated user fields read as the profile (UMI's code: gender, age, occupation). @default {"gender,age,occupation"} */
  profileFields: string;
  /** Embedding size of each profile field. @default {8} */
  profileDim: number;
  /** Hidden units of the user-guided and the profile attention networks. @default {8} */
  attentionUnits: number;
  /** Capsule routing rounds. @default {3} */
  routingRounds: number;
  /**
   * UMI's harder negatives: every negative is scored by the interest closest
   * to it (the positive by the one closest to the target), instead of by the
   * target's interest. @default {true}
   */
  hardNegatives: boolean;
}

/**
 * UMI's defaults: the family's (d 64, K 4, batch 128, 1,280 shared negatives,
 * Adam 1e-3), Glorot-uniform values and zero biases as the authors'
 * TensorFlow code draws them (`init: "reference"` means that here).
 */
export const UMI_DEFAULTS: Readonly<UmiConfig> = {
  ...SEQUENTIAL_DEFAULTS,
  profile: "auto",
  profileFields: "gender,age,occupation",
  profileDim: 8,
  attentionUnits: 8,
  routingRounds: 3,
  hardNegatives: true,
};

/**
 * Checks UMI's settings.
 *
 * @param name Model name, for messages.
 * @param c The config.
 * @returns The same config.
 * @example
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { checkUmiConfig, UMI_DEFAULTS } from "./config.ts";
 * throws(() => checkUmiConfig("umi", { ...UMI_DEFAULTS, profile: "zip" as "none" }), /profile/);
 * ```
 */
export function checkUmiConfig<C extends UmiConfig>(name: string, c: C): C {
  checkSequentialConfig(name, c);
  checkPositiveIntegers(name, c, ["profileDim", "attentionUnits", "routingRounds"]);
  oneOf(name, c, "profile", ["auto", "features", "user-id", "none"]);
  if (c.dim < 2) throw new RangeError(`${name}: dim must be at least 2, got ${c.dim}`);
  return c;
}
