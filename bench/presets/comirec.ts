/**
 * `--preset comirec`: Cen et al., ComiRec, KDD 2020, its main comparison on
 * Amazon Books (the figures quoted in `/work/shared/reference/PROTOCOLS.md`)
 * with the settings of the authors' code (THUDM/ComiRec `src/train.py`).
 *
 * @module
 */
import type { Preset } from "../presets.ts";

/** ComiRec's main comparison. */
export const COMIREC_PRESET: Preset = {
  name: "comirec",
  paper: "Cen et al., Controllable Multi-Interest Framework for Recommendation (ComiRec), KDD 2020",
  reproduces: "the main results table on Amazon Books (Taobao pending)",
  protocols: {
    value: ["sequential"],
    why:
      "ComiRec's protocol: users split 8:1:1, the first 80% of a test user's sequence infers, the rest are targets",
  },
  seeds: {
    value: [1],
    why:
      "the paper reports one run per cell; its split seed is fixed in its preprocessing, recbench's comes " +
      "from --seeds: add seeds for a spread",
  },
  budget: {
    maxIterations: {
      value: 1_000_000,
      why: "ComiRec's code: --max_iter 1000 (thousands of iterations)",
    },
    evalEvery: { value: 1000, why: "ComiRec's code: test_iter 1000 on Books" },
    patience: { value: 50, why: "ComiRec's code: --patience 50 validations on Recall@50" },
  },
  datasets: [
    {
      name: "amazon-books",
      why: "the paper's Amazon Books (McAuley 2014, 5-core)",
      maxlen: { value: 20, why: "ComiRec's code: maxlen 20 and batch 128 on Books" },
      stats: {
        users: 603_668,
        items: 367_982,
        interactions: 8_898_041,
        why: "REMI's Table 1 for the same preprocessing (ComiRec's script)",
      },
    },
    {
      name: "taobao",
      why: "the paper's Taobao (maxlen 50, batch 256, validation every 500 in its code)",
      pending:
        "recbench has no Taobao loader (UserBehavior.csv); ComiRec's own split of it can be read as " +
        "comirec:taobao with --split given once you have it",
    },
  ],
  models: [
    { name: "mostpop", why: "main table: MostPopular" },
    { name: "youtubednn", why: "main table: YouTube DNN" },
    { name: "gru4rec", why: "main table: GRU4Rec" },
    {
      name: "mind",
      why: "main table: MIND",
      set: { interests: { value: 4, why: "ComiRec's code: --num_interest 4 (default)" } },
    },
    {
      name: "comirec-dr",
      why: "main table: ComiRec-DR",
      set: { interests: { value: 4, why: "ComiRec's code: --num_interest 4 (default)" } },
    },
    {
      name: "comirec-sa",
      why: "main table: ComiRec-SA",
      set: {
        interests: { value: 4, why: "ComiRec's code: --num_interest 4 (default)" },
        lr: { value: 0.001, why: "ComiRec's code: --learning_rate 0.001 (default)" },
      },
    },
  ],
  notes: [
    "The paper's controllable aggregation (its lambda on diversity) is not part of recbench's ComiRec models; " +
    "the main table is printed without it.",
  ],
};
