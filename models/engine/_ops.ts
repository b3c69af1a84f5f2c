/**
 * Helpers shared by the tape's operation files (`ops_*.ts`).
 *
 * @module
 */
import type { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";

/** A result tensor that needs a gradient when any input does. */
export function output(data: Float32Array, shape: readonly number[], ...inputs: Tensor[]): Tensor {
  return new Tensor(data, shape, inputs.some((t) => t.requiresGrad));
}

/** Adds a freshly computed gradient into a tensor's gradient (adopting it when there is none yet). */
export function accumulate(t: Tensor, g: Float32Array): void {
  if (t.grad === null) t.grad = g;
  else addInto(t.grad, g);
}

/** `target += scale * source`. */
export function addInto(target: Float32Array, source: Float32Array, scale = 1): void {
  if (scale === 1) { for (let i = 0; i < target.length; i++) target[i] += source[i]; }
  else for (let i = 0; i < target.length; i++) target[i] += scale * source[i];
}

/**
 * Records a one-input element-wise operation whose result `out` is already
 * computed; `backward` adds into the input's gradient `g` from the output's `gy`.
 */
export function elementwise(
  tape: Tape,
  a: Tensor,
  out: Float32Array,
  backward: (g: Float32Array, gy: Float32Array) => void,
): Tensor {
  const y = output(out, a.shape, a);
  tape.custom(y, (gy) => {
    if (a.requiresGrad) backward(a.gradient(), gy);
  });
  return y;
}
