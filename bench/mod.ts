/**
 * Grid of runs -> results JSON: the shared evaluation path, the runner, the
 * metric gate.
 *
 * @module
 */
export * from "./evaluate.ts";
export * from "./results.ts";
export * from "./run.ts";
export * from "./cli.ts";
export * from "./progress.ts";
export * from "./provenance.ts";
export * from "./shard.ts";
export * from "./per_user.ts";
export * from "./memory.ts";
export {
  type Baselines,
  baselinesFrom,
  compareWithBaselines,
  formatMovements,
  type Movement,
  toleranceFor,
} from "./regress.ts";
