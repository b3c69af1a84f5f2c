import { ok } from "node:assert/strict";
import { TypeScriptBackend } from "../engine/backend.ts";
import { cosineKnn, knnAdjacency, weightedSum } from "./knn.ts";

Deno.test("cosineKnn() keeps each item's k most similar items, itself first", () => {
  const v = Float32Array.of(1, 0, 0.8, 0.6, 0, 1, -1, -0.1);
  const knn = cosineKnn(v, 2, { k: 2, backend: new TypeScriptBackend() });
  // Cosines: (0,1) 0.8, (1,2) 0.6, (0,2) 0, (0,3) -0.995, (1,3) -0.856, (2,3) -0.0995.
  ok(knn.neighbours.join() === "0,1,1,0,2,1,3,2", knn.neighbours.join());
  const a = knnAdjacency(knn, { weighted: true });
  // Row 3 keeps item 2 at cosine -0.0995, clamped to 0: only itself counts.
  ok(a.weights[a.ptr[3]] === 1 && a.weights[a.ptr[3] + 1] === 0);
});

Deno.test("cosineKnn() gives an item without the modality only itself, and nobody else it", () => {
  const v = Float32Array.of(1, 0, 0.9, 0.1, 0.8, 0.2);
  const knn = cosineKnn(v, 2, {
    k: 2,
    backend: new TypeScriptBackend(),
    present: Uint8Array.of(1, 0, 1),
  });
  ok(knn.neighbours.join() === "0,2,1,-1,2,0", knn.neighbours.join());
});

Deno.test("knnAdjacency() normalises by row sums, D^-1/2 A D^-1/2, unweighted", () => {
  // Row 0 keeps 0 and 1, row 1 keeps 1 and 0, row 2 keeps 2 and 0: row sums 2, 2, 2.
  const knn = {
    k: 2,
    neighbours: Int32Array.of(0, 1, 1, 0, 2, 0),
    similarity: new Float32Array(6),
  };
  const a = knnAdjacency(knn);
  ok(a.weights.every((w) => Math.abs(w - 0.5) < 1e-7));
  const s = weightedSum([a, a], [0.1, 0.9]);
  ok(s.index.join() === "0,1,0,1,0,2" && Math.abs(s.weights[0] - 0.5) < 1e-6);
});
