/**
 * Resolves `--models` entries: a registry name, or a path to a module outside
 * the repository that exports a {@linkcode ModelSpec} named `model`.
 *
 * @module
 */
import { isAbsolute, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { ModelSpec } from "./types.ts";
import { ONNX_PREFIX, onnxModelSpec } from "./export/onnx_model.ts";

/**
 * True if a `--models` entry names a module file rather than a registry key.
 *
 * @param ref The entry.
 * @returns Whether it is a path.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { isModulePath } from "./load.ts";
 * ok(isModulePath("./my_model.ts") && !isModulePath("itemknn"));
 * ```
 */
export function isModulePath(ref: string): boolean {
  return ref.startsWith("./") || ref.startsWith("../") || isAbsolute(ref) ||
    ref.startsWith("file:") || /\.(ts|js|mjs|mts)$/.test(ref);
}

/**
 * Finds a model spec by registry name or loads it from a module path.
 *
 * @param ref Registry key or module path (relative to the working directory).
 * @param registry The built-in models.
 * @returns The spec.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { loadModelSpec } from "./load.ts";
 * import { MODELS } from "./mod.ts";
 * const spec = await loadModelSpec("mostpop", MODELS);
 * ok(spec.title === "MostPopular");
 * ```
 */
export async function loadModelSpec(
  ref: string,
  registry: Readonly<Record<string, ModelSpec<object>>>,
): Promise<ModelSpec<object>> {
  if (ref.startsWith(ONNX_PREFIX)) return await onnxModelSpec(ref);
  if (!isModulePath(ref)) {
    const spec = registry[ref];
    if (!spec) {
      throw new RangeError(
        `Unknown model "${ref}" (registered: ${
          Object.keys(registry).join(", ")
        }; or give a path like ./my_model.ts)`,
      );
    }
    return spec;
  }
  const url = ref.startsWith("file:") ? ref : pathToFileURL(resolve(ref)).href;
  let mod: Record<string, unknown>;
  try {
    mod = await import(url);
  } catch (cause) {
    throw new Error(`Cannot load model module "${ref}": ${(cause as Error).message}`, { cause });
  }
  const spec = mod.model as ModelSpec<object> | undefined;
  if (!spec || typeof spec !== "object") {
    throw new TypeError(`Model module "${ref}" must export a ModelSpec named "model"`);
  }
  for (const key of ["name", "title", "reference", "deviations"] as const) {
    if (typeof spec[key] !== "string") {
      throw new TypeError(`Model module "${ref}": model.${key} must be a string`);
    }
  }
  for (const key of ["configure", "create"] as const) {
    if (typeof spec[key] !== "function") {
      throw new TypeError(`Model module "${ref}": model.${key} must be a function`);
    }
  }
  if (!Array.isArray(spec.protocols) || spec.protocols.length === 0) {
    throw new TypeError(
      `Model module "${ref}": model.protocols must list "sequential" and/or "cf"`,
    );
  }
  if (registry[spec.name]) {
    throw new RangeError(
      `Model module "${ref}" is named "${spec.name}", which a built-in model already uses`,
    );
  }
  return spec;
}
