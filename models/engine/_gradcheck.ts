/**
 * Test helper: the finite-difference check of `models/engine/tape_test.ts`,
 * shared by every hand-written backward pass. The loss is
 * `sum(op(inputs) * R)` with R a fixed random tensor; each input value is
 * moved by ±h and the central difference compared with the tape's gradient.
 *
 * @module
 */
import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { TypeScriptBackend } from "./backend.ts";
import { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";

/** Builds the checked operation from its inputs. */
export type Build = (tape: Tape, inputs: Tensor[]) => Tensor;

/**
 * Throws when the tape's gradient of any input differs from central differences
 * by more than `2e-3 + 2e-2 * |numeric|`.
 *
 * @param name For messages.
 * @param shapes Input shapes (values drawn from N(0, scale²)).
 * @param build The operation.
 * @param options Input scale, step h and the seed of the random values.
 * @example
 * ```ts
 * import { checkGradient } from "./_gradcheck.ts";
 * checkGradient("scale", [[3]], (tape, [x]) => tape.scale(x, 2));
 * ```
 */
export function checkGradient(
  name: string,
  shapes: number[][],
  build: Build,
  options: { scale?: number; h?: number; seed?: number } = {},
): void {
  const backend = new TypeScriptBackend();
  const rng = new Rng(options.seed ?? 123);
  const s = options.scale ?? 1, h = options.h ?? 1e-2;
  const randn = (n: number, sc: number) =>
    Float32Array.from({ length: n }, () => sc * rng.normal());
  const inputs = shapes.map((sh) => new Tensor(randn(sh.reduce((a, b) => a * b, 1), s), sh, true));
  const R = randn(build(new Tape(backend), inputs).size, 1);
  const lossOf = (tape: Tape) => {
    const y = build(tape, inputs);
    return tape.sumAll(tape.mul(y, tape.constant(R, y.shape)));
  };
  const tape = new Tape(backend);
  tape.backward(lossOf(tape));
  for (const [k, t] of inputs.entries()) {
    const analytic = t.grad ?? new Float32Array(t.size);
    for (let i = 0; i < t.size; i++) {
      const x = t.data[i];
      t.data[i] = x + h;
      const up = lossOf(new Tape(backend)).data[0];
      t.data[i] = x - h;
      const down = lossOf(new Tape(backend)).data[0];
      t.data[i] = x;
      const numeric = (up - down) / (2 * h);
      ok(
        Math.abs(analytic[i] - numeric) <= 2e-3 + 2e-2 * Math.abs(numeric),
        `${name}: input ${k} index ${i}: analytic ${analytic[i]} vs numeric ${numeric}`,
      );
    }
  }
}
