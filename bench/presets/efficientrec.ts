/**
 * `--preset efficientrec`: "EfficientRec: an unlimited user-item scale
 * recommendation system based on clustering and users interaction embedding
 * profile" (arXiv 2401.09693; summary:
 * `/work/shared/reference/papers/efficientrec.md`; the notebook's values as
 * `models/efficientrec/README.md` lists them).
 *
 * @module
 */
import type { Preset } from "../presets.ts";

/** EfficientRec's comparison on MovieLens and BookCrossing. */
export const EFFICIENTREC_PRESET: Preset = {
  name: "efficientrec",
  paper:
    "EfficientRec: an unlimited user-item scale recommendation system based on clustering and users interaction embedding profile, arXiv 2401.09693",
  reproduces: "Precision@50 and train / inference time on MovieLens and BookCrossing",
  protocols: { value: ["cf"], why: "PROTOCOLS.md: per-user split on MovieLens and BookCrossing" },
  cfOrder: {
    value: "random",
    why: "the summary does not give the split order; chosen: random 8:1:1, the cf family's default",
  },
  seeds: { value: [1], why: "one run per cell (the summary reports no spread)" },
  budget: {
    maxIterations: {
      value: 10_000,
      why:
        "the summary gives no budget (the notebook trains 3 epochs on half the warm users each); chosen: " +
        "10,000 batches of 256 with early stopping",
    },
    evalEvery: { value: 500, why: "chosen (the summary is silent)" },
    patience: { value: 5, why: "chosen (the summary is silent)" },
  },
  tuneMetric: { value: "precision@50", why: "the paper's metric, Precision@50" },
  datasets: [
    {
      name: "ml-1m",
      why:
        "the paper's MovieLens (the summary does not say which size; chosen: ml-1m, which has the " +
        "demographics EfficientRec's user part reads)",
      stats: { users: 6040, items: 3706, interactions: 1_000_209, why: "MovieLens 1M's README" },
    },
    {
      name: "bookcrossing",
      why:
        "the paper's BookCrossing (author, publisher, year as item fields; age and country as user fields)",
    },
  ],
  models: [
    { name: "mostpop", why: "the popularity baseline" },
    { name: "itemknn", why: "classic collaborative filtering, which the paper contrasts in cost" },
    { name: "bprmf", why: "matrix factorisation with a user-ID table, which EfficientRec removes" },
    { name: "efficientrec", why: "the paper's model" },
  ],
  notes: [
    "The summary prints no per-model figures, so reports/published/ has none for this preset.",
  ],
};
