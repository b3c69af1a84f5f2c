// Tests of the tape's the GRU step (`ops_recurrent.ts`). Finite-difference checks
// (`_gradcheck.ts`): the analytic gradient of loss = sum(op(inputs) * R), R a
// fixed random tensor, against central differences within
// 2e-3 + 2e-2 * |numeric| (float32 values, step 1e-2).
import { checkGradient } from "./_gradcheck.ts";

Deno.test("two chained gruStep() calls match finite differences, masked steps included", () => {
  const [B, L, d] = [3, 2, 2];
  const mask = Uint8Array.of(1, 1, 1, 0, 0, 1);
  checkGradient("gru", [[B, L, 3 * d], [B, d], [d, 3 * d], [3 * d]], (tp, [x, h0, u, bias]) => {
    const h1 = tp.gruStep(x, 0, h0, u, bias, mask);
    return tp.gruStep(x, 1, h1, u, bias, mask);
  }, { scale: 0.7 });
});
