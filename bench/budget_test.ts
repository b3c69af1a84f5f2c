import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import { trainingDataFromRows } from "../models/_testing.ts";
import { cellBudget, runPreset } from "./budget.ts";
import { parseBenchArgs } from "./cli.ts";

// 3 users with 4, 3 and 3 distinct items (the repeated 0 counts once): 10 training pairs.
const data = trainingDataFromRows([[0, 1, 2, 3, 0], [1, 2, 4], [0, 3, 4]], 5);
const paperEngine = { maxIterations: 1_000_000, evalEvery: 1_000, patience: 50 };

Deno.test("--budget paper gives cf cells 1,000 epochs, a validation every 10, patience 50", () => {
  const b = cellBudget(runPreset("paper", {}), paperEngine, {
    protocol: "cf",
    train: data,
    config: { batchSize: 4 },
  });
  // ceil(10 pairs / 4) = 3 batches per epoch, counted by hand.
  deepStrictEqual(b, { maxIterations: 3000, evalEvery: 30, patience: 50, batchesPerEpoch: 3 });
});

Deno.test("--budget paper leaves sequential cells the engine's budget", () => {
  const b = cellBudget(runPreset("paper", {}), paperEngine, {
    protocol: "sequential",
    train: data,
    config: { batchSize: 4 },
  });
  strictEqual(b, paperEngine);
});

Deno.test("explicit budget flags override the preset, and --tune-budget still caps cf cells", () => {
  const run = runPreset("paper", { patience: 5, evalEvery: 7 });
  const cell = { protocol: "cf", train: data, config: { batchSize: 4 } };
  deepStrictEqual(cellBudget(run, { ...paperEngine, patience: 5, evalEvery: 7 }, cell), {
    maxIterations: 3000,
    evalEvery: 7,
    patience: 5,
    batchesPerEpoch: 3,
  });
  strictEqual(cellBudget(run, { ...paperEngine, maxIterations: 100 }, cell).maxIterations, 100);
});

Deno.test("the command line takes --budget paper under explicit flags and refuses unknown names", () => {
  const o = parseBenchArgs(["--budget", "paper", "--patience", "5"]);
  ok(o !== "help");
  strictEqual(o.budgetPreset, "paper");
  deepStrictEqual(o.budget, { patience: 5 });
  throws(() => parseBenchArgs(["--budget", "huge"]), /--budget must be paper, got "huge"/);
  throws(() => runPreset("huge", {}), RangeError);
});

Deno.test("the command line takes --checkpoint-every (0: off) and --keep-checkpoints", () => {
  const o = parseBenchArgs(["--checkpoint-every", "500", "--keep-checkpoints"]);
  ok(o !== "help");
  deepStrictEqual(o.checkpoints, { every: 500, keep: true });
  const off = parseBenchArgs(["--checkpoint-every", "0"]);
  ok(off !== "help");
  deepStrictEqual(off.checkpoints, { every: 0 });
  throws(() => parseBenchArgs(["--checkpoint-every=2.5"]), /positive integer/);
});
