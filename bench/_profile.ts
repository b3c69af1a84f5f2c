/**
 * `bench:speed --profile`: where a training step's time goes. Wraps the tape's
 * operations (forward, and the backward each one records), the optimiser step
 * and the backend's calls with timers, for one benchmark process only; the
 * wrapped code computes exactly what it computed before.
 *
 * @module
 */
import type { Backend } from "../models/engine/backend.ts";
import { Adam } from "../models/engine/adam.ts";
import { Tape } from "../models/engine/tape.ts";
import process from "node:process";

/** Process CPU milliseconds (every thread: ONNX Runtime's too). */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Milliseconds and calls per label. */
export class Profile {
  readonly #ms = new Map<string, { ms: number; cpu: number; calls: number }>();

  /**
   * Runs `f` and adds its wall and process CPU time under `label`.
   *
   * @param label What runs.
   * @param f The work.
   * @returns Its result.
   */
  time<T>(label: string, f: () => T): T {
    const t = performance.now(), c = cpuMs();
    try {
      return f();
    } finally {
      const e = this.#ms.get(label) ?? { ms: 0, cpu: 0, calls: 0 };
      e.ms += performance.now() - t;
      e.cpu += cpuMs() - c;
      e.calls++;
      this.#ms.set(label, e);
    }
  }

  /**
   * The table, slowest first, in milliseconds per iteration.
   *
   * @param iterations Iterations the times cover.
   * @param wallMs Their wall time, for the shares.
   * @returns Printable lines.
   */
  lines(iterations: number, wallMs: number): string[] {
    const head = "   wall ms/it  share  CPU ms/it  calls/it";
    return [
      head,
      ...[...this.#ms.entries()].sort((a, b) => b[1].cpu - a[1].cpu).map(([label, e]) =>
        `${(e.ms / iterations).toFixed(3).padStart(12)} ${
          (100 * e.ms / wallMs).toFixed(1).padStart(5)
        }% ${(e.cpu / iterations).toFixed(3).padStart(10)} ${
          (e.calls / iterations).toFixed(1).padStart(9)
        }  ${label}`
      ),
    ];
  }
}

const UNTIMED = new Set(["constructor", "custom", "backward", "constant", "recording"]);

/**
 * Times every tape operation (its forward as `op`, its recorded backward as
 * `op backward`; an operation built from others also counts inside them) and
 * `Adam.step`, until the returned function undoes it.
 *
 * @param profile Where times go.
 * @returns Restores the original methods.
 */
export function profileTraining(profile: Profile): () => void {
  const restore: (() => void)[] = [];
  const proto = Tape.prototype as unknown as Record<string, unknown>;
  let current = "";
  for (const name of Object.getOwnPropertyNames(Tape.prototype)) {
    const d = Object.getOwnPropertyDescriptor(Tape.prototype, name);
    if (UNTIMED.has(name) || typeof d?.value !== "function") continue;
    const original = d.value as (...args: unknown[]) => unknown;
    proto[name] = function (this: Tape, ...args: unknown[]) {
      const outer = current;
      current = name;
      try {
        return profile.time(name, () => original.apply(this, args));
      } finally {
        current = outer;
      }
    };
    restore.push(() => proto[name] = original);
  }
  const custom = Tape.prototype.custom;
  Tape.prototype.custom = function (this: Tape, output, backward) {
    const label = `${current || "custom"} backward`;
    return custom.call(this, output, (g) => profile.time(label, () => backward(g)));
  };
  restore.push(() => Tape.prototype.custom = custom);
  const step = Adam.prototype.step;
  Adam.prototype.step = function (this: Adam) {
    profile.time("Adam.step", () => step.call(this));
  };
  restore.push(() => Adam.prototype.step = step);
  return () => restore.forEach((r) => r());
}

/**
 * The backend with every call timed under `backend <call> <shape>`.
 *
 * @param b The backend.
 * @param profile Where times go.
 * @returns The timed backend.
 */
export function profileBackend(b: Backend, profile: Profile): Backend {
  const timed = <T>(label: string, f: () => T): T => profile.time(`backend ${label}`, f);
  const flags = (o?: { transA?: boolean; transB?: boolean }) =>
    `${o?.transA ? "T" : "N"}${o?.transB ? "T" : "N"}`;
  const run = b.runGraph?.bind(b);
  return {
    name: b.name,
    threads: b.threads,
    gemm: (a, x, m, k, n, o) =>
      timed(`gemm ${flags(o)} ${m}x${k}x${n}`, () => b.gemm(a, x, m, k, n, o)),
    bmm: (a, x, s, m, k, n, o) =>
      timed(`bmm ${flags(o)} ${s}x${m}x${k}x${n}`, () => b.bmm(a, x, s, m, k, n, o)),
    unary: (fn, x) => timed(`unary ${fn} ${x.length}`, () => b.unary(fn, x)),
    ...(run
      ? {
        runGraph: (name, build, feeds, outputs) =>
          timed(`graph ${name}`, () => run(name, build, feeds, outputs)),
      }
      : {}),
  } as Backend;
}
