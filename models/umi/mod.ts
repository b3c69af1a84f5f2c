/**
 * UMI, its hard-negative variant UMI_HN as REMI's tables report it, and REMI
 * on UMI_HN (REMI's Table 3).
 *
 * @module
 */
import { mergeConfig, type ModelSpec } from "../types.ts";
import { checkUmiConfig, UMI_DEFAULTS, type UmiConfig } from "./config.ts";
import { Umi } from "./model.ts";

export { Umi };
export * from "./config.ts";

const REFERENCE =
  "Chai et al., User-Aware Multi-Interest Learning for Candidate Matching in Recommenders, SIGIR 2022.";
const DEVIATIONS =
  "As the authors' TensorFlow code (user-guided attention, dual-attentive capsule routing with random starts, profile refinement, harder negatives), but on the family's 1,280 shared uniform negatives per batch with accidental hits masked (the code: negatives drawn per user), Glorot init; profile: the dataset's gender/age/occupation fields, else a zero-started user-ID embedding (held-out users of the sequential protocol then read a zero profile); ONNX export without a profile only; see models/umi/README.md.";

function umiSpec(
  name: string,
  title: string,
  defaults: UmiConfig,
  reference: string,
  deviations: string,
): ModelSpec<UmiConfig> {
  return {
    name,
    title,
    reference,
    deviations,
    protocols: ["sequential"],
    defaults,
    configure: (o) => {
      const c = checkUmiConfig(name, mergeConfig(name, defaults, o));
      if (typeof c.hardNegatives !== "boolean") {
        throw new TypeError(`${name}: hardNegatives must be a boolean`);
      }
      return c;
    },
    create: (config) => new Umi(config),
  };
}

/** UMI with the user profile (demographics where the data has them). */
export const umi: ModelSpec<UmiConfig> = umiSpec("umi", "UMI", UMI_DEFAULTS, REFERENCE, DEVIATIONS);

/** UMI_HN: UMI's network and harder negatives without a profile, as REMI's baseline. */
export const umiHn: ModelSpec<UmiConfig> = umiSpec(
  "umi-hn",
  "UMI_HN",
  { ...UMI_DEFAULTS, profile: "none" },
  `${REFERENCE} The variant of REMI's tables (Xie et al., RecSys 2023): harder negatives, no profile.`,
  `No user profile (REMI: its datasets have none). ${DEVIATIONS}`,
);

/** REMI (IHN beta 1, RR lambda 100) on UMI_HN, as REMI's Table 3. */
export const remiUmiHn: ModelSpec<UmiConfig> = umiSpec(
  "remi-umi-hn",
  "REMI (on UMI_HN)",
  { ...UMI_DEFAULTS, profile: "none", beta: 1, lambda: 100 },
  `Xie et al., Rethinking Multi-Interest Learning for Candidate Matching in Recommender Systems, RecSys 2023 (Table 3), on ${REFERENCE}`,
  `REMI's IHN (beta 1, on the harder negatives' logits) and RR (lambda 100, on UMI's dual attention c_lk w_l, the routing weights that carry a gradient); UMI_HN as models/umi/README.md. ${DEVIATIONS}`,
);
