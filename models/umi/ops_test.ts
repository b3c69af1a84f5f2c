import { ok } from "node:assert/strict";
import { Rng } from "../../data/rng.ts";
import { checkGradient } from "../engine/_gradcheck.ts";
import {
  capsuleCoefficients,
  dualAttention,
  maxOverInterests,
  profileEmbed,
  repeatRows,
  routingStart,
} from "./ops.ts";

Deno.test("repeatRows() passes finite differences", () => {
  checkGradient("repeatRows", [[3, 2]], (tape, [x]) => repeatRows(tape, x, 4));
});

Deno.test("dualAttention() passes finite differences in the user-guided weights", () => {
  const c = Float32Array.from({ length: 2 * 3 * 4 }, (_, i) => (i % 5) / 5); // B 2, K 3, L 4
  checkGradient("dualAttention", [[8, 1]], (tape, [w]) => dualAttention(tape, c, w, 2));
});

Deno.test("maxOverInterests() passes finite differences (the gradient goes to the chosen interest)", () => {
  checkGradient("maxOverInterests", [[2, 3, 5]], (tape, [s]) => maxOverInterests(tape, s, 2, 3), {
    h: 1e-3,
  });
});

Deno.test("profileEmbed() passes finite differences, multi-valued fields and users without values included", () => {
  // Users: 0 reads rows 0,1 (field 0, mean) and 3 (field 1); 1 reads row 2 (field 0); 2 reads nothing.
  const index = {
    fields: 2,
    ptr: Int32Array.of(0, 3, 4, 4),
    rows: Int32Array.of(0, 1, 3, 2),
    slots: Int32Array.of(0, 0, 1, 0),
    weights: Float32Array.of(0.5, 0.5, 1, 1),
  };
  checkGradient(
    "profileEmbed",
    [[4, 3]],
    (tape, [t]) => profileEmbed(tape, t, Int32Array.of(0, 2, 1, 0), index),
  );
});

Deno.test("capsuleCoefficients() sums to 1 over the interests at items, 0 at padding, and follows agreement", () => {
  // B 1, L 3 (last padded), K 2, d 2: position 0 predicts (5, 0) for interest 0 and (0, 0) for
  // interest 1; after routing, position 0 must lean to interest 0 whatever the random start.
  const u = Float32Array.of(5, 0, 0, 0, 0, 1, 0, 1, 9, 9, 9, 9);
  for (let seed = 1; seed <= 5; seed++) {
    const c = capsuleCoefficients(u, Float32Array.of(1, 1, 1), Uint8Array.of(1, 1, 0), {
      B: 1,
      L: 3,
      K: 2,
      d: 2,
      rounds: 3,
      start: routingStart(new Rng(seed), 6),
    });
    // c is [B, K, L].
    ok(Math.abs(c[0] + c[3] - 1) < 1e-6 && Math.abs(c[1] + c[4] - 1) < 1e-6);
    ok(c[2] === 0 && c[5] === 0);
    ok(c[0] > 0.9, `seed ${seed}: position 0 routes ${c[0]} to interest 0`);
  }
});
