/**
 * Seeded pseudo-random numbers: one generator type, and independent streams
 * derived from `(seed, label)` so that split, init, sampling and batch order
 * never share a stream (adding a model does not shift another model's draws).
 *
 * The generator is xoshiro128** seeded through SplitMix32; the label is hashed
 * with FNV-1a. All arithmetic is 32-bit integer, so results are identical on
 * every platform.
 *
 * @module
 */

function splitMix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Hashes a string to an unsigned 32-bit integer (FNV-1a over UTF-16 code units).
 *
 * @param text The string to hash.
 * @returns The 32-bit hash.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { hashLabel } from "./rng.ts";
 * ok(hashLabel("split") === hashLabel("split"));
 * ```
 */
export function hashLabel(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * A seeded generator (xoshiro128**). Never use `Math.random` in data, models
 * or metrics: take an `Rng` from the caller instead.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Rng } from "./rng.ts";
 * const a = new Rng(42), b = new Rng(42);
 * ok(a.uint32() === b.uint32());
 * ```
 */
export class Rng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;

  /**
   * @param seed Any integer; it is reduced to 32 bits.
   * @param salt A second 32-bit word mixed into the seed (used by {@linkcode deriveRng}).
   */
  constructor(seed: number, salt = 0) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`Rng seed must be a finite number, got ${seed}`);
    }
    const st = { s: (Math.trunc(seed) ^ Math.imul(salt | 0, 0x27d4eb2d)) | 0 };
    splitMix32(st);
    st.s = (st.s ^ salt) | 0;
    this.#a = splitMix32(st) | 0;
    this.#b = splitMix32(st) | 0;
    this.#c = splitMix32(st) | 0;
    this.#d = splitMix32(st) | 0;
    if ((this.#a | this.#b | this.#c | this.#d) === 0) this.#d = 1;
  }

  /**
   * The next unsigned 32-bit integer.
   *
   * @returns An integer in [0, 2^32).
   */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.#b, 5), 7), 9) >>> 0;
    const t = this.#b << 9;
    this.#c ^= this.#a;
    this.#d ^= this.#b;
    this.#b ^= this.#c;
    this.#a ^= this.#d;
    this.#c ^= t;
    this.#d = rotl(this.#d, 11);
    return result;
  }

  /**
   * The generator's state (four 32-bit words), for a training checkpoint.
   *
   * @returns A copy of the state.
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { Rng } from "./rng.ts";
   * const a = new Rng(7);
   * const saved = a.state();
   * const first = a.uint32();
   * const b = new Rng(1);
   * b.setState(saved);
   * ok(b.uint32() === first);
   * ```
   */
  state(): Int32Array {
    return Int32Array.of(this.#a, this.#b, this.#c, this.#d);
  }

  /**
   * Puts back a state from {@linkcode Rng.state}: the stream continues from there.
   *
   * @param state Four 32-bit words, not all zero.
   */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4 || ((state[0] | state[1] | state[2] | state[3]) === 0)) {
      throw new RangeError(
        `Rng.setState() needs four 32-bit words, not all zero; got [${Array.from(state)}]`,
      );
    }
    this.#a = state[0] | 0;
    this.#b = state[1] | 0;
    this.#c = state[2] | 0;
    this.#d = state[3] | 0;
  }

  /**
   * A float in [0, 1) with 32 random bits.
   *
   * @returns A number in [0, 1).
   */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /**
   * An unbiased integer in [0, n).
   *
   * @param n Exclusive upper bound, 1 <= n <= 2^32.
   * @returns An integer in [0, n).
   */
  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296) || !Number.isInteger(n)) {
      throw new RangeError(`Rng.int() bound must be an integer in [1, 2^32], got ${n}`);
    }
    const limit = 4294967296 - (4294967296 % n);
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x % n;
  }

  /**
   * A standard normal draw (Box-Muller, one value per call).
   *
   * @returns A number drawn from N(0, 1).
   */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /**
   * Shuffles an array in place (Fisher-Yates).
   *
   * @param values The array to shuffle.
   * @returns The same array.
   */
  shuffle<T extends { length: number; [i: number]: unknown }>(values: T): T {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = values[i];
      values[i] = values[j];
      values[j] = tmp;
    }
    return values;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * Derives an independent stream from a run seed and a label such as
 * `"split"`, `"init:itemknn"` or `"sampling"`.
 *
 * @param seed The run seed (from `--seeds`).
 * @param label What the stream is for.
 * @returns A fresh generator; the same `(seed, label)` always gives the same stream.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { deriveRng } from "./rng.ts";
 * const split = deriveRng(1, "split");
 * const init = deriveRng(1, "init");
 * ok(split.uint32() !== init.uint32());
 * ```
 */
export function deriveRng(seed: number, label: string): Rng {
  return new Rng(seed, hashLabel(label));
}
