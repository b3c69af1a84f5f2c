/**
 * Writes a trained model as an ONNX file plus its item-id file, following
 * `docs/onnx-contract.md`, so that `--models onnx:PATH` evaluates it again.
 *
 * @module
 */
import { encodeModel } from "../engine/onnx_proto.ts";
import type { Model, ProtocolName } from "../types.ts";

/** The item-id file beside an ONNX model (`model.onnx` -> `model.json`). */
export interface OnnxSidecar {
  /** Contract version. */
  contract: "recbench-onnx/1";
  /** Protocol the model is judged in. */
  protocol: ProtocolName;
  /** Raw item id of each row of `item_embeddings`, in row order. */
  items: string[];
  /** `"cf"` exports: raw user id of each dense user index the `user` input takes. */
  users?: string[];
  /** Where it came from (free text). */
  source?: string;
  /**
   * What recbench trained it on (dataset, checksum, protocol, seed, split
   * config), so that evaluating it on other users is flagged.
   */
  trainedOn?: Record<string, unknown>;
}

/**
 * The item-id file's path for an ONNX path.
 *
 * @param onnxPath Path ending in `.onnx`.
 * @returns The `.json` path beside it.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { sidecarPath } from "./onnx.ts";
 * ok(sidecarPath("out/m.onnx") === "out/m.json");
 * ```
 */
export function sidecarPath(onnxPath: string): string {
  return onnxPath.replace(/\.onnx$/, "") + ".json";
}

/**
 * Exports a trained model; false (nothing written) when it has no export.
 *
 * @param model A fitted model.
 * @param path Destination `.onnx` path.
 * @param meta Protocol, raw item ids in the model's dense order (and user ids for
 *   `"cf"`), source note.
 * @returns Whether files were written.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { exportOnnx } from "./onnx.ts";
 * import { MostPopular } from "../mostpop/mod.ts";
 * ok(!(await exportOnnx(new MostPopular(), "/nonexistent/m.onnx", { protocol: "cf", items: [] })));
 * ```
 */
export async function exportOnnx(
  model: Model,
  path: string,
  meta: {
    protocol: ProtocolName;
    items: readonly string[];
    users?: readonly string[];
    source?: string;
    trainedOn?: Record<string, unknown>;
  },
): Promise<boolean> {
  const graph = model.exportEncoder?.();
  if (!graph) return false;
  await Deno.writeFile(path, encodeModel(graph));
  const sidecar: OnnxSidecar = {
    contract: "recbench-onnx/1",
    protocol: meta.protocol,
    items: [...meta.items],
    ...(meta.users ? { users: [...meta.users] } : {}),
    ...(meta.source ? { source: meta.source } : {}),
    ...(meta.trainedOn ? { trainedOn: meta.trainedOn } : {}),
  };
  await Deno.writeTextFile(sidecarPath(path), JSON.stringify(sidecar) + "\n");
  return true;
}
