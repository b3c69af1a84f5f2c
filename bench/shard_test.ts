import { deepStrictEqual, ok, strictEqual, throws } from "node:assert/strict";
import type { CompletedResult, ResultsFile } from "./results.ts";
import {
  canonicalJson,
  cellKey,
  type GridSpec,
  parseShard,
  planGrid,
  resumableCells,
  shardFromSlurm,
} from "./shard.ts";

const spec: GridSpec = {
  datasets: ["d1", "d2"],
  protocols: ["sequential", "cf"],
  seeds: [1, 2, 3],
  models: [
    { name: "a", protocols: ["sequential", "cf"] },
    { name: "b", protocols: ["cf"] },
    { name: "c", protocols: ["sequential", "cf"] },
  ],
  options: { maxlen: 20 },
};

Deno.test("planGrid() slices cover the grid exactly once, in run order, for any shard count", () => {
  const whole = planGrid(spec).cells;
  // 2 datasets x (sequential: 3 seeds x 2 models + cf: 3 seeds x 3 models) = 30 cells.
  strictEqual(whole.length, 30);
  strictEqual(whole[0], "d1/sequential/1/a");
  ok(!whole.includes("d1/sequential/1/b"), "b does not support sequential");
  for (const count of [1, 2, 3, 7, 30, 31]) {
    const slices = Array.from({ length: count }, (_, i) => planGrid(spec, { index: i + 1, count }));
    const all = slices.flatMap((s) => s.cells);
    strictEqual(all.length, whole.length, `count ${count}`);
    deepStrictEqual([...all].sort(), [...whole].sort(), `count ${count}`);
    for (const s of slices) {
      // Each slice keeps the whole grid's order.
      deepStrictEqual(s.cells, whole.filter((k) => s.cells.includes(k)));
      ok(Math.abs(s.cells.length - whole.length / count) < 1, `balanced at count ${count}`);
    }
  }
});

Deno.test("planGrid() gives the same slice every time", () => {
  deepStrictEqual(planGrid(spec, { index: 2, count: 3 }), planGrid(spec, { index: 2, count: 3 }));
});

Deno.test("parseShard() accepts I/N with 1 <= I <= N and refuses anything else", () => {
  deepStrictEqual(parseShard("3/3"), { index: 3, count: 3 });
  throws(() => parseShard("0/3"), RangeError);
  throws(() => parseShard("4/3"), RangeError);
  throws(() => parseShard("2"), TypeError);
  throws(() => parseShard("a/b"), TypeError);
});

Deno.test("shardFromSlurm() maps a job array's task to a 1-based shard", () => {
  const env = (vars: Record<string, string>) => (k: string) => vars[k];
  deepStrictEqual(
    shardFromSlurm(env({ SLURM_ARRAY_TASK_ID: "0", SLURM_ARRAY_TASK_COUNT: "3" })),
    { index: 1, count: 3 },
  );
  deepStrictEqual(
    shardFromSlurm(
      env({ SLURM_ARRAY_TASK_ID: "5", SLURM_ARRAY_TASK_MIN: "3", SLURM_ARRAY_TASK_COUNT: "3" }),
    ),
    { index: 3, count: 3 },
  );
  strictEqual(shardFromSlurm(env({ SLURM_JOB_ID: "7" })), undefined);
});

Deno.test("canonicalJson() ignores key order but not values", () => {
  strictEqual(
    canonicalJson({ a: 1, b: { c: 2, d: 3 } }),
    canonicalJson({ b: { d: 3, c: 2 }, a: 1 }),
  );
  ok(canonicalJson({ a: 1 }) !== canonicalJson({ a: 2 }));
});

function previousRun(
  plan: ReturnType<typeof planGrid>,
  done: number,
  revision = "r1",
): ResultsFile {
  const results = plan.cells.slice(0, done).map((key, i) => {
    const [dataset, protocol, seed, model] = key.split("/");
    const base = {
      model,
      dataset,
      protocol: protocol as "cf",
      seed: Number(seed),
      config: { model: {}, protocol: {} },
      datasetChecksum: "",
      revision,
      deno: "",
    };
    return i === 1
      ? { ...base, state: "errored" as const, error: "boom" }
      : ({ ...base, state: "completed", metrics: {} } as unknown as CompletedResult);
  });
  return {
    schema: 1,
    seeds: plan.seeds,
    datasets: {},
    models: {},
    results,
    grid: plan,
    provenance: {
      revision,
      command: "",
      packages: {},
      runtime: { deno: "", v8: "", typescript: "", os: "", arch: "" },
    },
  };
}

Deno.test("resumableCells() keeps the completed cells of an interrupted run and reruns errored ones", () => {
  const plan = planGrid(spec);
  const { kept } = resumableCells(previousRun(plan, 5), plan, "r1");
  deepStrictEqual([...kept.keys()], [plan.cells[0], plan.cells[2], plan.cells[3], plan.cells[4]]);
  strictEqual(cellKey(kept.get(plan.cells[0])!), plan.cells[0]);
});

Deno.test("resumableCells() starts afresh after a finished run, another revision or another grid", () => {
  const plan = planGrid(spec);
  strictEqual(resumableCells(previousRun(plan, plan.cells.length), plan, "r1").kept.size, 0);
  strictEqual(resumableCells(previousRun(plan, 5, "r0"), plan, "r1").kept.size, 0);
  const other = planGrid({ ...spec, options: { maxlen: 50 } });
  strictEqual(resumableCells(previousRun(plan, 5), other, "r1").kept.size, 0);
  const otherShard = planGrid(spec, { index: 1, count: 2 });
  strictEqual(resumableCells(previousRun(plan, 5), otherShard, "r1").kept.size, 0);
  strictEqual(resumableCells(undefined, plan, "r1").kept.size, 0);
});
