import { ok, strictEqual } from "node:assert/strict";
import { Progress } from "./progress.ts";
import { benchArgs, canRunDeno, deno } from "./_testing.ts";

/** A sink that records what is written, and a clock the test moves. */
function recorder(terminal: boolean) {
  const chunks: string[] = [];
  let now = 0;
  return {
    chunks,
    text: () => chunks.join(""),
    sink: {
      writeSync(p: Uint8Array) {
        chunks.push(new TextDecoder().decode(p));
        return p.length;
      },
      isTerminal: () => terminal,
    },
    now: () => now,
    tick: (ms: number) => {
      now += ms;
    },
  };
}

Deno.test("Progress in a log prints one line per finished cell and at most one every 30 s", () => {
  const r = recorder(false);
  const p = new Progress({ sink: r.sink, now: r.now });
  const cells = ["a", "b", "c"];
  for (const c of cells) p.expect(c, 1000);
  // 3 cells of 40 s each, a progress callback every 100 ms (as a training loop gives).
  for (const c of cells) {
    for (let it = 1; it <= 400; it++) {
      r.tick(100);
      p.advance(c, it * 2.5, `${c} | iter ${it}`);
    }
    p.finish(c);
    p.log(`done ${c}`);
  }
  const lines = r.text().split("\n").filter((l) => l.length > 0);
  strictEqual(lines.filter((l) => l.startsWith("done ")).length, 3);
  // 120 s of work: at most 4 periodic lines (t >= 30, 60, 90, 120 s).
  const periodic = lines.filter((l) => l.startsWith("["));
  ok(periodic.length >= 3 && periodic.length <= 4, lines.join("\n"));
  ok(!r.text().includes("\r"), "a log never gets carriage returns");
});

Deno.test("Progress in a terminal redraws one line cut to the terminal's width", () => {
  const r = recorder(true);
  const p = new Progress({ sink: r.sink, now: r.now, columns: () => 40 });
  p.expect("fit", 1000);
  for (let it = 1; it <= 50; it++) {
    r.tick(300);
    p.advance("fit", it * 10, `youtubednn on ml-latest-small (sequential, seed 1) | iter ${it}`);
  }
  ok(r.chunks.length >= 40);
  for (const chunk of r.chunks) {
    ok(!chunk.includes("\n"), JSON.stringify(chunk));
    // What stays on screen: after the carriage return, without the clear-line escape.
    const visible = chunk.replace(/^\r/, "").replace("\x1b[K", "");
    ok(visible.length <= 39, `${visible.length} columns: ${visible}`);
  }
  p.log("done youtubednn");
  ok(r.chunks.at(-1)!.startsWith("\r\x1b[Kdone youtubednn\n"));
});

Deno.test("Progress counts work: a trained model's iterations outweigh a popularity count", () => {
  const r = recorder(false);
  const p = new Progress({ sink: r.sink, now: r.now, logIntervalMs: 0 });
  // A trained model (1000 iterations, 50 test users) and MostPopular (no iterations, 50 users).
  p.expect("youtubednn:fit", 1000);
  p.expect("youtubednn:eval", 50);
  p.expect("mostpop:fit", 0);
  p.expect("mostpop:eval", 50);
  p.finish("mostpop:fit");
  p.finish("mostpop:eval");
  r.tick(1000);
  p.advance("youtubednn:fit", 0, "youtubednn");
  // A cell count would say 50% here; the work done is 50 of 1100 units.
  ok(r.text().startsWith("[  5%] youtubednn"), r.text());
  p.advance("youtubednn:fit", 1000, "youtubednn");
  ok(r.text().split("\n")[1].startsWith("[ 95%] youtubednn"), r.text());
  // Early stopping revises the work: 400 iterations were all it took.
  p.finish("youtubednn:fit", 400);
  strictEqual(p.share(), 450 / 500);
});

Deno.test("Progress with quiet prints failures and nothing else", () => {
  const r = recorder(false);
  const p = new Progress({ sink: r.sink, now: r.now, quiet: true, logIntervalMs: 0 });
  p.expect("a", 10);
  r.tick(60_000);
  p.advance("a", 5, "a");
  p.log("done a");
  p.fail("FAILED b: the reason");
  p.done();
  strictEqual(r.text(), "FAILED b: the reason\n");
});

Deno.test({
  name: "bench --quiet still prints a failed cell's reason",
  ignore: !canRunDeno,
}, async () => {
  const dir = await Deno.makeTempDir();
  const model = `${dir}/broken.ts`;
  await Deno.writeTextFile(
    model,
    `export const model = {
  name: "broken", title: "Broken", reference: "A test model.", deviations: "none",
  protocols: ["cf"], defaults: {}, configure: () => ({}),
  create: () => ({ interests: 1, fit() { throw new Error("broken on purpose"); },
    score() {}, parameterCount: () => 0 }),
};\n`,
  );
  const out = await new Deno.Command(deno, {
    args: benchArgs(
      "--quiet",
      "--models",
      `mostpop,${model}`,
      "--protocol",
      "cf",
      "--out",
      `${dir}/out`,
    ),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  strictEqual(out.code, 1);
  ok(stderr.includes("FAILED broken") && stderr.includes("broken on purpose"), stderr);
  ok(!stderr.includes("done mostpop"), stderr);
});
