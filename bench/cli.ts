/**
 * Command-line parsing for `deno task bench`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { DATA_FLAG_SPECS, DATA_FLAGS_USAGE, dataOptionsFrom } from "../data/cli_options.ts";
import { type ProtocolName, PROTOCOLS } from "../data/split.ts";
import { LABEL_WEIGHTINGS, type LabelWeighting } from "../metrics/diversity.ts";
import type { BenchOptions } from "./run.ts";
import { parseShard, shardFromSlurm } from "./shard.ts";
import { tuneOptionsFrom } from "./tune.ts";
import { BUDGET_PRESETS } from "./budget.ts";
import { applyPreset, presetFor, PRESETS } from "./presets.ts";

/** Usage text. */
export const USAGE = `Usage: deno task bench [options]

  --datasets a,b        datasets to run (default: synthetic, the embedded data)
  --data-dir DIR        folder holding the original dataset files (DIR/<name>/ or DIR itself)
  --models a,b          registered model names, module paths like ./my_model.ts, or
                        onnx:PATH (a model exported to ONNX, see docs/onnx-contract.md)
                        (default: mostpop,itemknn,youtubednn,comirec-sa,remi;
                        "all" runs every registered model). The last model is the focus:
                        the report's "Improv." column compares it with the best other
                        model (change it afterwards with deno task report DIR --focus)
  --protocol p[,q]      sequential, cf, or both (default: sequential,cf)
  --seeds 1,2,3         split and training seeds (default: 1)
  --out DIR             output folder for results.json and report.md (default: out/bench)
  --overwrite           replace what --out holds when it is a run of another grid or revision
                        (without it such a folder is refused; the same grid resumes)
  --cf-order ORDER      random or temporal per-user split in the cf protocol (default: random)
  --maxlen N            sequential protocol: a query's history is the last N items of the
                        first 80% of the sequence (default: 20, as ComiRec and REMI on Books)
  --exclude-history     remove history items from sequential candidates (labelled in the report)
  --fairness-weighting W  cf fairness: genre (default; each genre of an item counts 1, the
                        user's distribution over item-genre pairs) or item (an item's m genres
                        weigh 1/m each, recbench's former measure)
  --max-iterations N    training budget of iterative models, the same for all (default: 1000;
                        reference code: 1,000,000)
  --eval-every N        iterations between validations (default: 250; reference: 1,000)
  --patience N          stop once more than N validations in a row did not improve (default: 3; reference: 50)
  --budget paper        the papers' budgets: sequential family 1,000,000 iterations, validation every
                        1,000, patience 50; cf family 1,000 epochs, validation every 10 epochs,
                        patience 50 (explicit --max-iterations/--eval-every/--patience override it)
  --checkpoint-every N  save each training cell's state to OUT/checkpoints/ every N iterations
                        (default: at each validation; 0: no checkpoints); a killed or stopped
                        run, rerun with the same command, resumes the cell from it with the same
                        results. SIGTERM/SIGINT during training save one at once, then exit
  --keep-checkpoints    keep a finished cell's checkpoint (default: removed when the cell ends)
  --backend NAME        onnxruntime (default; falls back to typescript if it cannot load) or typescript
  --validation MODE     how validation ranks during training: exact (default: the models' embeddings
                        through the exact ranker, the same lists as score) or score (model.score)
  --threads N           CPU threads: ONNX Runtime's and the cf models' graph propagation (default: 2;
                        no result depends on it)
  --set model.key=value override a model config value (repeatable)
  --tune model.key=v1,v2,...  tune on validation (repeatable; several keys make a grid): every
                        point trains on the training part and is scored on the validation users
                        only; the best point (ties: the first in grid order) alone is scored on test
  --tune-metric M       validation metric that chooses (default: recall@50 sequential, recall@20 cf)
  --tune-budget N       each grid point trains at most N iterations; the chosen point is retrained
                        with the full budget (labelled in the report)
  --retrieval MODE      score (default: model.score + the shared top-K), exact (from the models'
                        embeddings through ONNX Runtime MatMul + TopK, the same lists), or ann
                        (usearch HNSW; metrics then come from ANN and the report adds its recall of
                        the exact top-50, queries/s and build time)
  --ann-connectivity M  HNSW graph degree (default: 16)
  --ann-expansion-add N HNSW build candidate list (default: 128)
  --ann-expansion-search N  HNSW search candidate list (default: 128)
  --export-onnx DIR     write each trained model's encoder and item table as ONNX into DIR
                        (evaluate one again with --models onnx:DIR/FILE.onnx)
  --item-features [NAME=]PATH  dense item features, an IDSF modality (other models ignore them;
                        repeat with names for several, e.g. text=t.npy visual=image_features_Baby.b),
                        matched by raw item id: a .csv or .csv.gz (header item_id,<name1>,...,
                        then one row of numbers per item) or a .npy (float32/float64, shape
                        (rows, features)) with its rows' item ids in PATH.ids, one a line, or
                        Amazon 2014 image features (.b: 10-byte ASIN + 4096 float32 per record).
                        Rows for unknown items and items without a row are counted in the report
  --preset NAME         a paper's protocol: datasets, protocol, models, per-dataset settings, budget
                        and grids as the paper states them (${Object.keys(PRESETS).join(", ")}; see
                        docs/presets.md); every explicit flag overrides the value it names
  --list                print what would run (models x datasets x grid points x seeds), missing
                        datasets and how to get them, and the projected wall time; trains nothing
  --shard I/N           run the I-th of N deterministic slices of the grid into OUT/shard-I-of-N
                        (default: from SLURM_ARRAY_TASK_ID/COUNT in a Slurm job array, else all);
                        merge with deno task report --merge OUT_MERGED OUT/shard-*
  --quiet               no progress lines (a failed cell's reason is still printed)
  --help                this text

Data options (as for deno task data):
${DATA_FLAGS_USAGE}`;

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = value.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  if (parts.length === 0) throw new TypeError(`Expected a comma-separated list, got "${value}"`);
  return parts;
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`--${flag} must be a positive integer, got "${raw}"`);
  }
  return n;
}

function parseValue(raw: string): unknown {
  if (raw === "true" || raw === "false") return raw === "true";
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

/**
 * Parses bench arguments.
 *
 * @param args Command-line arguments.
 * @param env Reads an environment variable (for a Slurm array's shard).
 * @returns Options, or `"help"`.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { parseBenchArgs } from "./cli.ts";
 * const o = parseBenchArgs(["--seeds", "1,2", "--protocol", "cf"]);
 * ok(o !== "help" && o.seeds?.length === 2);
 * ```
 */
export function parseBenchArgs(
  args: string[],
  env: (name: string) => string | undefined = () => undefined,
): BenchOptions | "help" {
  const { values, positionals } = parseArgs({
    args,
    strict: true,
    allowPositionals: true,
    options: {
      datasets: { type: "string" },
      "data-dir": { type: "string" },
      models: { type: "string" },
      protocol: { type: "string" },
      seeds: { type: "string" },
      out: { type: "string" },
      overwrite: { type: "boolean" },
      "cf-order": { type: "string" },
      "exclude-history": { type: "boolean" },
      "fairness-weighting": { type: "string" },
      maxlen: { type: "string" },
      "max-iterations": { type: "string" },
      "eval-every": { type: "string" },
      patience: { type: "string" },
      "checkpoint-every": { type: "string" },
      budget: { type: "string" },
      "keep-checkpoints": { type: "boolean" },
      backend: { type: "string" },
      threads: { type: "string" },
      validation: { type: "string" },
      set: { type: "string", multiple: true },
      tune: { type: "string", multiple: true },
      "tune-metric": { type: "string" },
      "tune-budget": { type: "string" },
      retrieval: { type: "string" },
      "ann-connectivity": { type: "string" },
      "ann-expansion-add": { type: "string" },
      "ann-expansion-search": { type: "string" },
      "export-onnx": { type: "string" },
      "item-features": { type: "string", multiple: true },
      quiet: { type: "boolean" },
      shard: { type: "string" },
      preset: { type: "string" },
      list: { type: "boolean" },
      help: { type: "boolean" },
      ...DATA_FLAG_SPECS,
    },
  });
  if (values.help) return "help";
  if (positionals.length > 0) throw new TypeError(`Unexpected argument "${positionals[0]}"`);
  const protocols = list(values.protocol)?.map((p) => {
    if (!PROTOCOLS.includes(p as ProtocolName)) {
      throw new RangeError(`Unknown protocol "${p}" (known: ${PROTOCOLS.join(", ")})`);
    }
    return p as ProtocolName;
  });
  const seeds = list(values.seeds)?.map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new RangeError(`Seeds must be integers, got "${s}"`);
    return n;
  });
  const order = values["cf-order"];
  if (order !== undefined && order !== "random" && order !== "temporal") {
    throw new RangeError(`--cf-order must be random or temporal, got "${order}"`);
  }
  const modelConfig: Record<string, Record<string, unknown>> = {};
  for (const s of values.set ?? []) {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(s);
    if (!m) throw new TypeError(`--set expects model.key=value, got "${s}"`);
    (modelConfig[m[1]] ??= {})[m[2]] = parseValue(m[3]);
  }
  const options: BenchOptions = {};
  const datasets = list(values.datasets);
  if (datasets) options.datasets = datasets;
  if (values["data-dir"] !== undefined) options.dataDir = values["data-dir"];
  const models = list(values.models);
  if (models) options.models = models;
  if (protocols) options.protocols = protocols;
  if (seeds) options.seeds = seeds;
  if (values.out !== undefined) options.out = values.out;
  if (values.overwrite) options.overwrite = true;
  if (order !== undefined) options.cfOrder = order;
  if (values["exclude-history"]) options.excludeHistory = true;
  const weighting = values["fairness-weighting"];
  if (weighting !== undefined) {
    if (!LABEL_WEIGHTINGS.includes(weighting as LabelWeighting)) {
      throw new RangeError(
        `--fairness-weighting must be ${LABEL_WEIGHTINGS.join(" or ")}, got "${weighting}"`,
      );
    }
    options.fairnessWeighting = weighting as LabelWeighting;
  }
  const budget: Record<string, number> = {};
  for (
    const [flag, key] of [
      ["max-iterations", "maxIterations"],
      ["eval-every", "evalEvery"],
      ["patience", "patience"],
    ] as const
  ) {
    const raw = values[flag];
    if (raw !== undefined) budget[key] = positiveInt(flag, raw);
  }
  if (Object.keys(budget).length > 0) options.budget = budget;
  if (values.budget !== undefined) {
    if (!(values.budget in BUDGET_PRESETS)) {
      throw new RangeError(
        `--budget must be ${Object.keys(BUDGET_PRESETS).join(" or ")}, got "${values.budget}"`,
      );
    }
    options.budgetPreset = values.budget;
  }
  const every = values["checkpoint-every"];
  if (every !== undefined || values["keep-checkpoints"]) {
    options.checkpoints = {
      ...(every !== undefined
        ? { every: every.trim() === "0" ? 0 : positiveInt("checkpoint-every", every) }
        : {}),
      ...(values["keep-checkpoints"] ? { keep: true } : {}),
    };
  }
  if (values.backend !== undefined) {
    if (values.backend !== "onnxruntime" && values.backend !== "typescript") {
      throw new RangeError(`--backend must be onnxruntime or typescript, got "${values.backend}"`);
    }
    options.backend = values.backend;
  }
  if (values.validation !== undefined) {
    if (values.validation !== "exact" && values.validation !== "score") {
      throw new RangeError(`--validation must be exact or score, got "${values.validation}"`);
    }
    options.validation = values.validation;
  }
  if (values.threads !== undefined) options.threads = positiveInt("threads", values.threads);
  if (values.maxlen !== undefined) options.maxlen = positiveInt("maxlen", values.maxlen);
  if (Object.keys(modelConfig).length > 0) options.modelConfig = modelConfig;
  const tune = tuneOptionsFrom(values, parseValue, values.preset !== undefined);
  if (tune) options.tune = tune;
  if (values.retrieval !== undefined) {
    const r = values.retrieval;
    if (r !== "score" && r !== "exact" && r !== "ann") {
      throw new RangeError(`--retrieval must be score, exact or ann, got "${r}"`);
    }
    options.retrieval = r;
  }
  const ann: Record<string, number> = {};
  for (
    const [flag, key] of [
      ["ann-connectivity", "connectivity"],
      ["ann-expansion-add", "expansionAdd"],
      ["ann-expansion-search", "expansionSearch"],
    ] as const
  ) {
    const raw = values[flag];
    if (raw === undefined) continue;
    const n = positiveInt(flag, raw);
    if (options.retrieval !== "ann") throw new RangeError(`--${flag} needs --retrieval ann`);
    ann[key] = n;
  }
  if (Object.keys(ann).length > 0) options.ann = ann;
  if (values["export-onnx"] !== undefined) options.exportOnnx = values["export-onnx"];
  const features = values["item-features"] ?? [];
  if (features.length > 0) options.itemFeatures = features.length === 1 ? features[0] : features;
  if (values.quiet) options.quiet = true;
  Object.assign(options, dataOptionsFrom(values));
  const shard = values.shard !== undefined ? parseShard(values.shard) : shardFromSlurm(env);
  if (shard && shard.count > 1) options.shard = shard;
  if (values.list) options.list = true;
  return values.preset !== undefined ? applyPreset(presetFor(values.preset), options) : options;
}
