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
  /** Why the requested backend was not used, if it was not. */
  fallback?: string;
}

/**
 * Creates the engine; ONNX Runtime falls back to TypeScript (same results up
 * to float rounding, slower) with the reason recorded.
 *
 * @param options Backend name, threads and budget overrides.
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
  if (options.backend === "typescript") return { backend: new TypeScriptBackend(), budget };
  try {
    return { backend: await createOrtBackend({ threads: options.threads ?? 2 }), budget };
  } catch (error) {
    return {
      backend: new TypeScriptBackend(),
      budget,
      fallback: `onnxruntime-node did not load (${(error as Error).message})`,
    };
  }
}
