/**
 * The model registry: a new model is one folder plus one line here. The shared
 * test in `registry_test.ts` runs every entry, so no test file needs an edit.
 *
 * @module
 */
import { itemKnn } from "./itemknn/mod.ts";
import { mostPopular } from "./mostpop/mod.ts";
import type { ModelSpec } from "./types.ts";

export * from "./types.ts";
export { loadModelSpec } from "./load.ts";

/** Every built-in model, keyed by its `--models` name. */
export const MODELS: Readonly<Record<string, ModelSpec<object>>> = {
  mostpop: mostPopular as ModelSpec<object>,
  itemknn: itemKnn as ModelSpec<object>,
};
