/**
 * `--preset lightgcn`: He et al., LightGCN, SIGIR 2020, Table 3 on the
 * authors' published splits, trained as LightGCN-PyTorch trains (its
 * `code/parse.py` defaults), MF as NGCF reports it.
 *
 * @module
 */
import type { Preset } from "../presets.ts";

/** Where the training settings come from. */
const RUN = "the authors' Gowalla run command (kuandeng/LightGCN README)";

/** LightGCN's Table 3. */
export const LIGHTGCN_PRESET: Preset = {
  name: "lightgcn",
  paper:
    "He et al., LightGCN: Simplifying and Powering Graph Convolution Network for Recommendation, SIGIR 2020",
  reproduces: "Table 3 (LightGCN and MF on Gowalla; Yelp2018 and Amazon-Book when you have them)",
  protocols: {
    value: ["cf"],
    why: "all-item ranking of each user's held-out items (full ranking)",
  },
  split: {
    value: "given",
    why:
      "the authors' published train.txt / test.txt, evaluated as given (no validation part: models stop " +
      "on the training loss, as the split has nothing else to stop on)",
  },
  seeds: {
    value: [2020],
    why: "LightGCN-PyTorch's --seed default 2020 (initialisation and sampling; the split is given)",
  },
  budget: {
    maxIterations: {
      value: 396_000,
      why:
        "1000 epochs (the authors' Gowalla run command --epoch 1000; LightGCN-PyTorch --epochs 1000), " +
        "each ceil(810,128 / 2048) = 396 batches on Gowalla " +
        "(Yelp2018 and Amazon-Book have about 610 and 1,170 batches per epoch: pass --max-iterations for them)",
    },
    evalEvery: {
      value: 3960,
      why: "LightGCN-PyTorch tests every 10 epochs (396 batches each on Gowalla)",
    },
    patience: {
      value: 5,
      why:
        "the authors' TensorFlow code stops after 5 checks of 10 epochs without improvement (its README's " +
        "Gowalla log: 'Early stopping is trigger at step: 5'); its check reads test Recall@20, recbench's " +
        "the training loss (the given split has no validation)",
    },
  },
  datasets: [
    {
      name: "lightgcn-gowalla",
      why: "Table 3: Gowalla as published with LightGCN",
      stats: { users: 29_858, items: 40_981, interactions: 1_027_370, why: "the split's files" },
    },
    {
      name: "lightgcn-yelp2018",
      why: "Table 3: Yelp2018 as published with LightGCN",
      stats: {
        users: 31_668,
        items: 38_048,
        interactions: 1_561_406,
        why:
          "LightGCN's dataset table (not checked here: only Gowalla's files are on this machine)",
      },
    },
    {
      name: "lightgcn-amazon-book",
      why: "Table 3: Amazon-Book as published with LightGCN",
      stats: {
        users: 52_643,
        items: 91_599,
        interactions: 2_984_108,
        why:
          "LightGCN's dataset table (not checked here: only Gowalla's files are on this machine)",
      },
    },
  ],
  models: [
    {
      name: "bprmf",
      why:
        "Table 3's MF row is NGCF's (Wang et al., SIGIR 2019, Table 3); trained here as LightGCN-PyTorch's mf",
    },
    {
      name: "lightgcn",
      why: "Table 3: LightGCN",
      set: {
        layers: { value: 3, why: `${RUN}: layer_size [64,64,64]; LightGCN-PyTorch --layer 3` },
        dim: { value: 64, why: `${RUN}: embed_size 64; LightGCN-PyTorch --recdim 64` },
        lr: { value: 0.001, why: `${RUN}: lr 0.001; LightGCN-PyTorch --lr 0.001` },
        l2: { value: 0.0001, why: `${RUN}: regs [1e-4]; LightGCN-PyTorch --decay 1e-4` },
        batchSize: {
          value: 2048,
          why: `${RUN}: batch_size 2048; LightGCN-PyTorch --bpr_batch 2048`,
        },
      },
    },
  ],
  notes: [
    "NGCF, Mult-VAE and GRMF (Table 3's other rows) are not recbench models.",
    "The paper's early stopping reads test Recall@20; recbench never reads test data to stop.",
  ],
};
