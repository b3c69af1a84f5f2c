/**
 * `--preset idsf`: "ID Embedding as Subtle Features of Content and Structure
 * for Multimodal Recommendation" (arXiv 2311.05956; summary:
 * `/work/shared/reference/papers/idsf.md`), with the authors' code's settings
 * as `models/idsf/README.md` lists them.
 *
 * @module
 */
import type { Preset } from "../presets.ts";

const AUTHORS = "the authors' code (models/idsf/README.md)";

/** IDSF's comparison on Amazon Baby, Sports and Clothing. */
export const IDSF_PRESET: Preset = {
  name: "idsf",
  paper:
    "ID Embedding as Subtle Features of Content and Structure for Multimodal Recommendation (IDSF), arXiv 2311.05956",
  reproduces:
    "the main comparison (Recall and Precision @10, @20) on Amazon Baby, Sports and Clothing",
  protocols: {
    value: ["cf"],
    why: "per-user random split 8:1:1, all-item ranking (PROTOCOLS.md, IDSF row)",
  },
  cfOrder: { value: "random", why: "PROTOCOLS.md: per-user random split 8:1:1" },
  seeds: { value: [1], why: "the paper reports one run per cell" },
  budget: {
    maxIterations: {
      value: 100_000,
      why:
        "the summary gives no budget; chosen: about 1,000 epochs of Amazon Baby's ~128k training pairs " +
        "at batch 1024 (~125 batches each), an upper bound that early stopping ends sooner",
    },
    evalEvery: {
      value: 1250,
      why: "chosen: every 10 epochs of Amazon Baby (the summary is silent)",
    },
    patience: { value: 20, why: "chosen: 200 epochs without improvement (the summary is silent)" },
  },
  tuneMetric: { value: "recall@20", why: "the paper's headline metric" },
  datasets: [
    {
      name: "amazon-baby",
      stats: {
        users: 19445,
        items: 7050,
        interactions: 160792,
        why:
          "the 5-core set as the multimodal papers (LATTICE, FREEDOM) report it; not checked here against the files",
      },
      why:
        "the paper's Baby (Amazon 2014, 5-core); pass its text and image features with --item-features",
      config: {
        idsf: {
          lossRatio: { value: 0.3, why: `${AUTHORS}: README run for Baby` },
          gamma: { value: 0.3, why: `${AUTHORS}: README run for Baby` },
        },
      },
    },
    {
      name: "amazon-sports-and-outdoors",
      stats: {
        users: 35598,
        items: 18357,
        interactions: 296337,
        why:
          "the 5-core set as the multimodal papers (LATTICE, FREEDOM) report it; not checked here against the files",
      },
      why: "the paper's Sports (Amazon 2014, 5-core)",
      config: {
        idsf: {
          lossRatio: { value: 1, why: `${AUTHORS}: README run for Sports` },
          gamma: { value: 0.3, why: `${AUTHORS}: README run for Sports` },
        },
      },
    },
    {
      name: "amazon-clothing-shoes-and-jewelry",
      stats: {
        users: 39387,
        items: 23033,
        interactions: 278677,
        why:
          "the 5-core set as the multimodal papers (LATTICE, FREEDOM) report it; not checked here against the files",
      },
      why: "the paper's Clothing (Amazon 2014, 5-core)",
      config: {
        idsf: {
          lossRatio: { value: 1, why: `${AUTHORS}: README run for Clothing` },
          gamma: { value: 1, why: `${AUTHORS}: README run for Clothing` },
        },
      },
    },
  ],
  models: [
    { name: "bprmf", why: "the paper's general CF baseline (BPR-MF)" },
    { name: "lightgcn", why: "the paper's graph baseline (LightGCN)" },
    {
      name: "vbpr",
      why:
        "the paper's multimodal baseline VBPR (models/vbpr/README.md says how recbench's differs)",
    },
    {
      name: "mmgcn",
      why: "the paper's multimodal baseline MMGCN (models/mmgcn/README.md)",
    },
    {
      name: "lattice",
      why: "the paper's multimodal baseline LATTICE (models/lattice/README.md)",
    },
    {
      name: "freedom",
      why: "the paper's multimodal baseline FREEDOM (models/freedom/README.md)",
    },
    {
      name: "idsf",
      why: "the paper's model",
      set: {
        dim: { value: 128, why: `${AUTHORS}: embedding size 128` },
        lr: { value: 0.0005, why: `${AUTHORS}: learning rate 5e-4` },
        batchSize: { value: 1024, why: `${AUTHORS}: batch 1024` },
      },
    },
  ],
  notes: [
    "IDSF reads the text and visual features only from --item-features (e.g. text=PATH visual=image_features_Baby.b); " +
    "without them it falls back to the dataset's categories and title words (models/idsf/README.md).",
    "The summary prints no per-model figures, so reports/published/ has none for this preset.",
  ],
};
