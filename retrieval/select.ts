/**
 * Picks the exact ranker a run uses: ONNX Runtime where it loads, else the
 * TypeScript reference (same lists), with the reason recorded.
 *
 * @module
 */
import { createTypeScriptRanker, type Ranker } from "./exact.ts";
import { createOrtRanker } from "./ort_exact.ts";

/** Options of {@linkcode createExactRanker}. */
export interface ExactRankerOptions {
  /** `"typescript"` skips ONNX Runtime. @default {"onnxruntime"} */
  backend?: "onnxruntime" | "typescript";
  /** ONNX Runtime intra-op threads. @default {2} */
  threads?: number;
}

/**
 * The exact ranker: ONNX Runtime, falling back to TypeScript (whose reports
 * then carry the reason in `note`).
 *
 * @param options Backend and threads.
 * @returns The ranker.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { createExactRanker } from "./select.ts";
 * ok((await createExactRanker({ backend: "typescript" })).name === "exact-typescript");
 * ```
 */
export async function createExactRanker(options: ExactRankerOptions = {}): Promise<Ranker> {
  if (options.backend === "typescript") return createTypeScriptRanker();
  try {
    return await createOrtRanker({ threads: options.threads ?? 2 });
  } catch (error) {
    const ts = createTypeScriptRanker();
    const note = `onnxruntime-node did not load (${(error as Error).message})`;
    return {
      name: ts.name,
      rank(e, o) {
        const r = ts.rank(e, o);
        return { lists: r.lists, report: { ...r.report, note } };
      },
    };
  }
}
