// Tests of the tape itself (recording and the backward pass); each operation
// family has its own test beside it (`ops_*_test.ts`).
import { ok, throws } from "node:assert/strict";
import { TypeScriptBackend } from "./backend.ts";
import { Tape } from "./tape.ts";
import { Tensor } from "./tensor.ts";

const backend = new TypeScriptBackend();

Deno.test("backward() runs recorded steps in reverse and rejects a non-scalar loss", () => {
  const tape = new Tape(backend);
  const x = new Tensor(Float32Array.of(1, 2), [2], true);
  const order: string[] = [];
  const a = tape.custom(new Tensor(Float32Array.of(3, 4), [2], true), (g) => {
    order.push("a");
    x.gradient().set(g);
  });
  const b = tape.custom(new Tensor(Float32Array.of(7), [1], true), (g) => {
    order.push("b");
    a.gradient().fill(g[0]);
  });
  throws(() => tape.backward(a), TypeError);
  tape.backward(b);
  ok(order.join() === "b,a", order.join());
  ok(x.grad![0] === 1 && x.grad![1] === 1);
});

Deno.test("a tape that does not record computes values and keeps no backward step", () => {
  const tape = new Tape(backend, { record: false });
  const w = new Tensor(Float32Array.of(2), [1, 1], true);
  const y = tape.matmul(new Tensor(Float32Array.of(3), [1, 1]), w, 1, 1, 1);
  ok(!tape.recording && y.data[0] === 6);
  tape.backward(tape.sumAll(y));
  ok(w.grad === null);
});
