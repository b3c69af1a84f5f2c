import { deepStrictEqual, ok, throws } from "node:assert/strict";
import { datasetSource } from "../data/datasets.ts";
import { MODELS } from "../models/mod.ts";
import { parseBenchArgs } from "./cli.ts";
import { applyPreset, type Preset, presetFor, PRESETS } from "./presets.ts";
import { describePlan, MEASURED_SPEEDS, projectCellSeconds } from "./presets_plan.ts";
import { runBench } from "./run.ts";
import type { BenchOptions } from "./run.ts";
import { renderPreset } from "../reports/preset.ts";
import type { ResultsFile } from "./results.ts";

const parsed = (args: string[]): BenchOptions => {
  const o = parseBenchArgs(args);
  if (o === "help") throw new Error("help");
  return o;
};

/** Every sourced value of a preset, as [where, why]. */
function whys(p: Preset): [string, string][] {
  const out: [string, string][] = [
    ["protocols", p.protocols.why],
    ["seeds", p.seeds.why],
    ...Object.entries(p.budget).map(([k, s]) => [`budget.${k}`, s.why] as [string, string]),
  ];
  for (const d of p.datasets) {
    out.push([d.name, d.why]);
    if (d.maxlen) out.push([`${d.name} maxlen`, d.maxlen.why]);
    for (const [m, keys] of Object.entries(d.config ?? {})) {
      for (const [k, s] of Object.entries(keys)) out.push([`${d.name} ${m}.${k}`, s.why]);
    }
  }
  for (const m of p.models) {
    out.push([m.name, m.why]);
    for (const [k, s] of Object.entries({ ...m.set, ...m.tune })) {
      out.push([`${m.name}.${k}`, s.why]);
    }
  }
  return out;
}

Deno.test("every preset names registered models and known datasets, with valid configs and a source for every value", () => {
  for (const p of Object.values(PRESETS)) {
    ok(presetFor(p.name) === p);
    for (const [where, why] of whys(p)) ok(why.trim().length > 10, `${p.name} ${where}: no why`);
    for (const m of p.models.filter((m) => !m.pending)) {
      const spec = MODELS[m.name];
      ok(spec, `${p.name}: model ${m.name} is not registered and not pending`);
      for (const protocol of p.protocols.value) {
        ok(spec.protocols.includes(protocol), `${p.name}: ${m.name} lacks ${protocol}`);
      }
      const set = Object.fromEntries(Object.entries(m.set ?? {}).map(([k, s]) => [k, s.value]));
      spec.configure(set);
      for (const [key, s] of Object.entries(m.tune ?? {})) {
        for (const v of s.value) spec.configure({ ...set, [key]: v });
      }
      for (const d of p.datasets) {
        const extra = d.config?.[m.name] ?? {};
        spec.configure({
          ...set,
          ...Object.fromEntries(Object.entries(extra).map(([k, s]) => [k, s.value])),
        });
      }
    }
    for (const d of p.datasets.filter((d) => !d.pending)) datasetSource(d.name);
    for (const d of p.datasets) {
      for (const model of Object.keys(d.config ?? {})) {
        ok(p.models.some((m) => m.name === model), `${p.name}: ${d.name} configures ${model}`);
      }
    }
  }
  throws(() => presetFor("nope"), /Unknown preset "nope" \(known: remi/);
});

Deno.test("--preset remi fills the paper's values: datasets, budget, grids, per-dataset maxlen and beta", () => {
  const o = parsed(["--preset", "remi"]);
  deepStrictEqual(o.datasets, ["amazon-books", "gowalla", "retailrocket"]);
  deepStrictEqual(o.protocols, ["sequential"]);
  deepStrictEqual(o.budget, { maxIterations: 1_000_000, evalEvery: 1000, patience: 50 });
  deepStrictEqual(o.tune?.grid["comirec-sa"], { interests: [2, 4, 6, 8] });
  deepStrictEqual(o.tune?.grid.mind, { interests: [2, 4, 6, 8], lr: [0.001, 0.003, 0.005] });
  ok(o.tune?.metric === "recall@50");
  deepStrictEqual(o.datasetSettings?.gowalla, {
    maxlen: 40,
    models: {
      remi: { beta: 1 },
      "remi-ihn": { beta: 1 },
      "remi-pimirec": { beta: 1 },
      "remi-umi-hn": { beta: 1 },
    },
  });
  deepStrictEqual(o.tune?.grid.re4, { interests: [2, 4, 6, 8], lr: [0.001, 0.003, 0.005] });
  ok(o.models?.at(-1) === "remi" && o.models.includes("remi-ihn") && o.models.includes("remi-rr"));
  deepStrictEqual(o.preset?.skipped, []);
  // MI-Fair's datasets without a loader are pending: not run, recorded as skipped with their reason.
  const mifair = parsed(["--preset", "mifair"]);
  ok(!mifair.datasets?.includes("epinions"), "pending datasets are not run");
  ok(mifair.models?.includes("cagcn-star") && mifair.models.includes("mifair-cagcn"));
  deepStrictEqual(mifair.preset?.skipped.map((s) => `${s.kind} ${s.name}`), [
    "dataset epinions",
    "dataset cosmetics",
    "dataset anime",
  ]);
  ok(o.preset?.values.every((v) => v.overriddenBy === undefined));
});

Deno.test("explicit flags override a preset's values and the record says which", () => {
  const o = parsed([
    "--preset",
    "remi",
    "--datasets",
    "gowalla",
    "--models",
    "comirec-sa,remi",
    "--max-iterations",
    "7",
    "--set",
    "comirec-sa.interests=4",
    "--set",
    "remi.beta=4",
  ]);
  deepStrictEqual(o.datasets, ["gowalla"]);
  deepStrictEqual(o.models, ["comirec-sa", "remi"]);
  deepStrictEqual(o.budget, { maxIterations: 7, evalEvery: 1000, patience: 50 });
  // --set comirec-sa.interests replaces the preset's grid of that key; mind is not run.
  ok(o.tune === undefined || !("comirec-sa" in o.tune.grid), JSON.stringify(o.tune));
  deepStrictEqual(o.modelConfig?.["comirec-sa"], { interests: 4 });
  deepStrictEqual(o.modelConfig?.remi, { beta: 4, interests: 4, lambda: 100, lr: 0.001 });
  // Gowalla keeps its maxlen; its beta gives way to --set; other datasets' settings are dropped.
  deepStrictEqual(o.datasetSettings, { gowalla: { maxlen: 40 } });
  const v = (key: string) => o.preset!.values.find((x) => x.key === key);
  ok(
    v("budget.maxIterations")?.overriddenBy === 7 &&
      v("budget.evalEvery")?.overriddenBy === undefined,
  );
  ok(v("tune comirec-sa.interests")?.overriddenBy === 4);
  ok(v("gowalla: set remi.beta")?.overriddenBy === 4);
  ok(v("tune mind.lr")?.overriddenBy === null, "a model --models leaves out is marked dropped");
  ok(v("amazon-books: maxlen")?.overriddenBy === null);
  deepStrictEqual(v("datasets")?.overriddenBy, ["gowalla"]);
});

Deno.test("a preset's grid takes --tune-budget without --tune; a preset without a grid refuses it", () => {
  const o = parsed([
    "--preset",
    "remi",
    "--tune-budget",
    "5",
    "--tune",
    "comirec-sa.interests=2,4",
  ]);
  ok(o.tune?.budget === 5);
  deepStrictEqual(o.tune?.grid["comirec-sa"], { interests: [2, 4] }, "--tune wins over the preset");
  ok(
    o.preset?.values.find((v) => v.key === "tune comirec-sa.interests")?.overriddenBy !== undefined,
  );
  throws(() => parsed(["--preset", "lightgcn", "--tune-budget", "5"]), /tunes nothing/);
  throws(() => parsed(["--tune-budget", "5"]), /needs --tune/);
  throws(() => parsed(["--preset", "nope"]), /Unknown preset/);
});

Deno.test("--list prints models x datasets x points x seeds, missing datasets with how to get them, pending entries and a projection", async () => {
  const o = parsed(["--preset", "remi", "--seeds", "1,2"]);
  const text = await describePlan(o);
  // 3 datasets x 2 seeds x (mostpop, gru4rec, youtubednn, remi-pimirec, remi-umi-hn, remi-ihn,
  // remi-rr, remi: 1 each; mind and re4 12 points + 1; comirec-sa, umi-hn, pimirec 4 points + 1)
  // = 6 x 49 = 294 trainings.
  ok(text.includes("Trainings: 294 "), text);
  ok(text.includes("amazon-books: MISSING, get it with: deno task data:fetch amazon-books"), text);
  ok(text.includes("retailrocket: MISSING, get it by hand: Kaggle"), text);
  const mifair = await describePlan(parsed(["--preset", "mifair"]));
  ok(mifair.includes("epinions: not available, skipped"), mifair);
  ok(text.includes("mind: 12 points (interests in {2, 4, 6, 8} x lr in {0.001, 0.003, 0.005})"));
  ok(/total \d/.test(text) && text.includes(MEASURED_SPEEDS.measured.date), text);
  const lightgcn = await describePlan(parsed(["--preset", "lightgcn"]));
  ok(
    lightgcn.includes(
      "lightgcn-gowalla: MISSING, get it with: deno task data:fetch lightgcn-gowalla",
    ),
  );
  ok(lightgcn.includes("Trainings: 6 "), lightgcn);
  ok(text.includes("Validations are "), "the sequential plan says what share validations take");
  ok(
    lightgcn.includes("no validation users (given split)") && !lightgcn.includes("Validations are"),
  );
  for (const name of Object.keys(PRESETS)) {
    const plan = await describePlan(parsed(["--preset", name]));
    ok(plan.startsWith(`Preset ${name}:`) && plan.includes("Trainings: "), plan);
  }
});

Deno.test("projectCellSeconds() adds training, validations and test, scaled to the dataset", () => {
  const ref = MEASURED_SPEEDS.reference.cf;
  const budget = { maxIterations: 100, evalEvery: 50, patience: 1 };
  const speed = { secondsPerIteration: 0.5, evalSecondsPerUser: 0.01 };
  // Same size as the reference: 100 x 0.5 s + (2 validations + 1 test) x 610 users x 0.01 s.
  const same = projectCellSeconds(speed, "cf", ref, budget);
  ok(Math.abs(same - (50 + 3 * ref.users * 0.01)) < 1e-9, String(same));
  const twice = projectCellSeconds(speed, "cf", {
    users: 2 * ref.users,
    items: 2 * ref.items,
    interactions: 2 * ref.interactions,
  }, budget);
  // Training doubles, ranking (users x items) quadruples.
  ok(Math.abs(twice - (100 + 3 * ref.users * 0.01 * 4)) < 1e-9, String(twice));
});

Deno.test("per-dataset settings reach the cells: maxlen and model config, under --set", async () => {
  const run = (modelConfig?: Record<string, Record<string, unknown>>) =>
    runBench({
      models: ["remi"],
      protocols: ["sequential"],
      quiet: true,
      out: Deno.makeTempDirSync(),
      budget: { maxIterations: 2, evalEvery: 2, patience: 1 },
      datasetSettings: { synthetic: { maxlen: 7, models: { remi: { beta: 3 } } } },
      ...(modelConfig ? { modelConfig } : {}),
    });
  const [r] = (await run()).results;
  // The cell must train, not only be configured (at 2 threads a shared item table once made it fail).
  ok(r.state !== "errored", JSON.stringify(r));
  ok(r.config.protocol.maxlen === 7, JSON.stringify(r.config.protocol));
  ok(r.config.model.beta === 3);
  const [s] = (await run({ remi: { beta: 5 } })).results;
  ok(s.config.model.beta === 5, "--set wins over the dataset's setting");
});

Deno.test("the report names the preset, every value with its source and the overridden ones", () => {
  const o = parsed(["--preset", "lightgcn", "--max-iterations", "20"]);
  const file = { results: [], grid: { options: { preset: o.preset } } } as unknown as ResultsFile;
  const text = renderPreset(file).join("\n");
  ok(text.includes("## Preset `lightgcn`"), text);
  ok(text.includes("| budget.maxIterations | `396000` |") && text.includes("| `20` |"), text);
  ok(text.includes("Overridden: budget.maxIterations."), text);
  ok(text.includes('| split | `"given"` |'), text);
  ok(renderPreset({ results: [] } as unknown as ResultsFile).length === 0);
  ok(applyPreset(presetFor("lightgcn"), {}).split === "given");
});

Deno.test("docs/presets.md is current (regenerate: deno run --allow-read --allow-write bench/presets_doc.ts)", async () => {
  const { HAND_WRITTEN_MARKER, presetsDoc } = await import("./presets_doc.ts");
  const text = (await Deno.readTextFile(new URL("../docs/presets.md", import.meta.url)))
    .split(HAND_WRITTEN_MARKER)[0];
  // deno fmt pads tables and rewraps paragraphs: compare up to whitespace.
  const norm = (s: string) =>
    s.replace(/-{3,}/g, "---").replace(/ *\| */g, "|").replace(/\s+/g, " ").trim();
  ok(
    norm(text) === norm(presetsDoc()),
    "docs/presets.md differs from bench/presets/: regenerate it (then deno fmt docs/presets.md)",
  );
});

Deno.test("--budget paper, an explicit flag, wins over a preset's budget", () => {
  const o = parsed(["--preset", "mifair", "--budget", "paper"]);
  ok(o.budgetPreset === "paper" && o.budget === undefined, JSON.stringify(o.budget));
  ok(
    o.preset?.values.find((v) => v.key === "budget.maxIterations")?.overriddenBy ===
      "--budget paper",
  );
  const p = parsed(["--preset", "mifair", "--budget", "paper", "--patience", "7"]);
  ok(p.budget?.patience === 7 && p.budget.maxIterations === undefined, JSON.stringify(p.budget));
});
