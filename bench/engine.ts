/**
 * The training engine a run gives its models: the compute backend (ONNX
 * Runtime with a fixed thread count, or plain TypeScript where it cannot load)
 * and one training budget for every iterative model.
 *
 * @module
 */
import { type Backend, TypeScriptBackend } from "../models/engine/backend.ts";
import { createOrtBackend } from "../models/engine/ort_backend.ts";
import { DEFAULT_BUDGET } from "../models/_sequential/base.ts";
import type { TrainingBudget } from "../models/types.ts";

/** A run's engine. */
export interface Engine {
  /** Dense products. */
  backend: Backend;
  /** Budget for iterative models. */
  budget: TrainingBudget;
  /**
   * CPU threads: ONNX Runtime's intra-op threads and the threads models use
   * for their own loops (graph propagation); no result depends on it.
   */
  threads: number;
  /** Why the requested backend was not used, if it was not. */
  fallback?: string;
}

/**
 * Creates the engine; ONNX Runtime falls back to TypeScript (same results up
 * to float rounding, slower) with the reason recorded.
 *
 * @param options Backend name, threads (default 2, the cores of the machine
 *   it was tuned on) and budget overrides.
 * @returns The engine.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { createEngine } from "./engine.ts";
 * const e = await createEngine({ backend: "typescript", budget: { maxIterations: 10 } });
 * ok(e.backend.name === "typescript" && e.budget.maxIterations === 10);
 * ```
 */
export async function createEngine(
  options: {
    backend?: "onnxruntime" | "typescript";
    threads?: number;
    budget?: Partial<TrainingBudget>;
  } = {},
): Promise<Engine> {
  const budget = { ...DEFAULT_BUDGET, ...options.budget };
  for (const [key, value] of Object.entries(budget)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`Training budget ${key} must be a positive integer, got ${value}`);
    }
  }
  const threads = options.threads ?? 2;
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`Engine threads must be a positive integer, got ${threads}`);
  }
  if (options.backend === "typescript") {
    return { backend: new TypeScriptBackend(), budget, threads };
  }
  try {
    return { backend: await createOrtBackend({ threads }), budget, threads };
  } catch (error) {
    return {
      backend: new TypeScriptBackend(),
      budget,
      threads,
      fallback: `onnxruntime-node did not load (${(error as Error).message})`,
    };
  }
}
