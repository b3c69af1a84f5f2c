/**
 * UMI (Chai et al., SIGIR 2022) as the authors' TensorFlow code computes it
 * (named by the paper's components; its full text is not in the reference
 * folder, so no equation numbers are cited):
 *
 * 1. User profile `p`: each profile field's embedding (`profileDim`), fields
 *    side by side (a multi-valued field: the mean of its values).
 * 2. User-guided attention network: a weight per history position,
 *    `w_l = sigmoid(W_b relu(W_a [h_l; p] + b_a) + b_b)`.
 * 3. Dual-attentive capsule network: predictions `u_lk = (h_l W)_k` (one
 *    `d x d` map per interest, no bias); `routingRounds` rounds of routing on
 *    stopped gradients from random logits (`c` = softmax over the
 *    interests); the interests `v_k = squash(sum_l c_lk w_l u_lk)`.
 * 4. Interest refinement: each interest re-weights the profile's fields,
 *    `a_k = sigmoid(W_d relu(W_c [p; v_k] + b_c) + b_d)` (one weight per
 *    field), `p_k = a_k (.) p`; the user's k-th vector is
 *    `W_2 relu(W_1 [p_k; v_k] + b_1) + b_2` (`d/2` hidden units).
 * 5. Harder negatives: each negative is scored by the interest closest to it
 *    (`max_k v_k . e_j`), the positive by the one closest to the target.
 *
 * Without a profile (`profile: "none"`, REMI's UMI_HN) steps 2 and 4 read
 * only the item / the interest, and step 4's re-weighting drops out.
 *
 * @module
 */
import type { Rng } from "../../data/rng.ts";
import { deriveRng } from "../../data/rng.ts";
import { stateArray, type TrainingState } from "../engine/checkpoint.ts";
import { type EncodeContext, type Encoded, glorot, SequentialModel } from "../_sequential/base.ts";
import type { Tape } from "../engine/tape.ts";
import type { Tensor } from "../engine/tensor.ts";
import type { TrainingData } from "../types.ts";
import type { UmiConfig } from "./config.ts";
import {
  capsuleCoefficients,
  dualAttention,
  maxOverInterests,
  profileEmbed,
  type ProfileIndex,
  repeatRows,
  routingStart,
} from "./ops.ts";
import type { GraphSpec } from "../engine/onnx_proto.ts";
import { type EncoderShape, umiGraph } from "../export/encoders.ts";

/** The profile a fitted model reads: which rows, and how its table starts. */
interface Profile {
  index: ProfileIndex;
  /** Rows of each field's block, in order (for the per-field Glorot draw). */
  blocks: number[];
  /** "features" or "user-id" (zero start). */
  kind: "features" | "user-id";
  /** Field names read (features only). */
  names: string[];
}

/**
 * Which profile a config gives on this data.
 *
 * @param config The config.
 * @param data Training data.
 * @returns The profile, or undefined for `profile: "none"`.
 */
function profileOf(config: UmiConfig, data: TrainingData): Profile | undefined {
  if (config.profile === "none") return undefined;
  const available = data.userFeatures?.fields ?? {};
  const names = config.profileFields.split(",").map((s) => s.trim()).filter((s) => s in available);
  if (config.profile === "features" && names.length === 0) {
    throw new RangeError(
      `umi: profile "features" needs one of the user fields "${config.profileFields}", the data has ${
        JSON.stringify(Object.keys(available).sort())
      }`,
    );
  }
  const U = data.numUsers;
  if (config.profile === "user-id" || names.length === 0) {
    const ptr = Int32Array.from({ length: U + 1 }, (_, u) => u);
    return {
      kind: "user-id",
      names: [],
      blocks: [U],
      index: {
        fields: 1,
        ptr,
        rows: Int32Array.from({ length: U }, (_, u) => u),
        slots: new Int32Array(U),
        weights: new Float32Array(U).fill(1),
      },
    };
  }
  const ptr = new Int32Array(U + 1);
  const rows: number[] = [], slots: number[] = [], weights: number[] = [];
  for (let u = 0; u < U; u++) {
    let offset = 0;
    names.forEach((name, f) => {
      const field = available[name];
      const from = field.ptr[u], to = field.ptr[u + 1];
      for (let p = from; p < to; p++) {
        rows.push(offset + field.codes[p]);
        slots.push(f);
        weights.push(1 / (to - from));
      }
      offset += field.vocab.length;
    });
    ptr[u + 1] = rows.length;
  }
  return {
    kind: "features",
    names,
    blocks: names.map((n) => available[n].vocab.length),
    index: {
      fields: names.length,
      ptr,
      rows: Int32Array.from(rows),
      slots: Int32Array.from(slots),
      weights: Float32Array.from(weights),
    },
  };
}

/**
 * The UMI encoder on the shared sequential training loop.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { Umi } from "./model.ts";
 * import { UMI_DEFAULTS } from "./config.ts";
 * ok(new Umi({ ...UMI_DEFAULTS }).interests === 4);
 * ```
 */
export class Umi extends SequentialModel {
  #profile: Profile | undefined;
  #table: Tensor | undefined;
  #expand: Float32Array = new Float32Array(0);
  #routingRng!: Rng;
  #p: Record<string, Tensor> = {};

  /** @param config The config. */
  constructor(override readonly config: UmiConfig) {
    super(config);
  }

  /** The profile in use after `fit`: its kind and fields (for reports and tests). */
  get profile(): { kind: "features" | "user-id" | "none"; fields: string[] } {
    return { kind: this.#profile?.kind ?? "none", fields: this.#profile?.names ?? [] };
  }

  /** TensorFlow's default for `get_variable`: Glorot uniform over `[numItems, d]`. */
  protected override referenceItemInit(numItems: number, rng: Rng): Float32Array {
    const d = this.config.dim;
    return glorot(rng, numItems, d, numItems * d);
  }

  /** @inheritdoc */
  protected override prepare(data: TrainingData): void {
    this.#profile = profileOf(this.config, data);
  }

  #weight(name: string, shape: [number, number], fanIn: number, rng: Rng): Tensor {
    return this.parameter(name, shape, rng, {
      reference: (r, n) => glorot(r, fanIn, shape[1], n),
      glorot: [fanIn, shape[1]],
    });
  }

  #bias(name: string, size: number, rng: Rng): Tensor {
    return this.parameter(name, [size], rng, {
      reference: (_r, n) => new Float32Array(n),
      glorot: "zeros",
    });
  }

  /** @inheritdoc */
  protected init(_numItems: number, rng: Rng): void {
    const d = this.config.dim, K = this.interests, U = this.config.attentionUnits;
    const e = this.config.profileDim, prof = this.#profile;
    const F = prof?.index.fields ?? 0, P = F * e, half = Math.max(1, Math.floor(d / 2));
    this.#table = undefined;
    if (prof) {
      const rows = prof.blocks.reduce((a, b) => a + b, 0);
      const values = new Float32Array(rows * e);
      if (prof.kind === "features") {
        let at = 0;
        for (const n of prof.blocks) {
          values.set(glorot(rng, n, e, n * e), at);
          at += n * e;
        }
      }
      this.#table = this.parameter("profile", [rows, e], rng, {
        reference: () => values,
        glorot: "zeros",
      });
      if (prof.kind === "features") this.#table.data.set(values);
      this.#expand = new Float32Array(F * P);
      for (let f = 0; f < F; f++) this.#expand.fill(1, f * P + f * e, f * P + (f + 1) * e);
    }
    const p: Record<string, Tensor> = {};
    p.wah = this.#weight("guide.w_item", [d, U], d + P, rng);
    if (P > 0) p.wap = this.#weight("guide.w_profile", [P, U], d + P, rng);
    p.ba = this.#bias("guide.b1", U, rng);
    p.wb = this.#weight("guide.w2", [U, 1], U, rng);
    p.bb = this.#bias("guide.b2", 1, rng);
    p.wu = this.#weight("capsule.w", [d, K * d], d, rng);
    if (P > 0) {
      p.wcp = this.#weight("refine.w_profile", [P, U], P + d, rng);
      p.wcv = this.#weight("refine.w_interest", [d, U], P + d, rng);
      p.bc = this.#bias("refine.b1", U, rng);
      p.wd = this.#weight("refine.w2", [U, F], U, rng);
      p.bd = this.#bias("refine.b2", F, rng);
      p.wo1p = this.#weight("out.w1_profile", [P, half], P + d, rng);
    }
    p.wo1v = this.#weight("out.w1_interest", [d, half], P + d, rng);
    p.bo1 = this.#bias("out.b1", half, rng);
    p.wo2 = this.#weight("out.w2", [half, d], half, rng);
    p.bo2 = this.#bias("out.b2", d, rng);
    this.#p = p;
    this.#routingRng = deriveRng(rng.uint32(), "routing");
  }

  /** Its own routing stream, for checkpoints. */
  protected override checkpointState(): TrainingState {
    return { routing: this.#routingRng.state() };
  }

  /** @inheritdoc */
  protected override restoreState(state: TrainingState): void {
    this.#routingRng.setState(stateArray(state.routing, Int32Array, "routing stream", 4));
  }

  /**
   * The ONNX graph of UMI without a profile (UMI_HN and REMI on it); none with
   * a profile (the export contract has no per-query profile input yet).
   */
  protected override encoderGraph(items: Float32Array, shape: EncoderShape): GraphSpec | undefined {
    if (this.#profile) return undefined;
    const p = this.#p;
    return umiGraph(
      {
        items,
        guide: [p.wah.data, p.ba.data, p.wb.data, p.bb.data],
        capsule: p.wu.data,
        out: [p.wo1v.data, p.bo1.data, p.wo2.data, p.bo2.data],
      },
      shape,
      this.config.routingRounds,
    );
  }

  /**
   * UMI's initial routing logits for the next `batch` queries, from the
   * stream `encode` draws them from (so an exported graph fed these sees the
   * numbers the in-process encoder would).
   *
   * @param batch Queries.
   * @returns `routing_init [batch, K, L]`.
   */
  override encoderExtraInputs(batch: number): Record<string, Float32Array> {
    return { routing_init: routingStart(this.#routingRng, batch * this.interests * this.maxlen) };
  }

  /** @inheritdoc */
  protected override negativeLogits(
    tape: Tape,
    parts: { interests: Tensor; readout: Tensor; negatives: Tensor },
    batch: number,
    count: number,
  ): Tensor {
    if (!this.config.hardNegatives) return super.negativeLogits(tape, parts, batch, count);
    const K = this.interests, d = this.config.dim;
    const scores = tape.matmul(parts.interests, parts.negatives, batch * K, d, count, {
      transB: true,
    });
    return maxOverInterests(tape, scores, batch, K);
  }

  /** @inheritdoc */
  protected encode(
    tape: Tape,
    history: Int32Array,
    mask: Uint8Array,
    batch: number,
    context: EncodeContext,
  ): Encoded {
    const d = this.config.dim, K = this.interests, L = this.maxlen, B = batch, p = this.#p;
    const U = this.config.attentionUnits, half = p.bo1.size;
    const F = this.#profile?.index.fields ?? 0, P = F * this.config.profileDim;
    const h = this.embed(tape, history); // [B*L, d]
    const profile = this.#table && this.#profile
      ? profileEmbed(tape, this.#table, context.users, this.#profile.index)
      : undefined; // [B, P]
    // User-guided attention: one weight per position.
    let pre = tape.matmul(h, p.wah, B * L, d, U);
    if (profile) pre = tape.add(pre, repeatRows(tape, tape.matmul(profile, p.wap, B, P, U), L));
    const hiddenW = tape.relu(tape.add(pre, p.ba));
    const w = tape.sigmoid(tape.add(tape.matmul(hiddenW, p.wb, B * L, U, 1), p.bb)); // [B*L, 1]
    // Dual-attentive capsule routing.
    const u = tape.matmul(h, p.wu, B * L, d, K * d); // [B, L, K, d]
    const c = capsuleCoefficients(u.data, w.data, mask, {
      B,
      L,
      K,
      d,
      rounds: this.config.routingRounds,
      start: routingStart(this.#routingRng, B * K * L),
    });
    const routing = dualAttention(tape, c, w, B); // [B, K, L]
    const uk = tape.transpose(u, B, L, K, d); // [B, K, L, d]
    const v = tape.squash(tape.bmm(routing, uk, B * K, 1, L, d), B * K); // [B*K, d]
    // Interest refinement with the profile, then the output layers.
    let pre1 = tape.matmul(v, p.wo1v, B * K, d, half);
    if (profile) {
      const pk = repeatRows(tape, profile, K); // [B*K, P]
      const hiddenR = tape.relu(
        tape.add(
          tape.add(tape.matmul(pk, p.wcp, B * K, P, U), tape.matmul(v, p.wcv, B * K, d, U)),
          p.bc,
        ),
      );
      const a = tape.sigmoid(tape.add(tape.matmul(hiddenR, p.wd, B * K, U, F), p.bd)); // [B*K, F]
      const spread = tape.matmul(a, tape.constant(this.#expand, [F, P]), B * K, F, P);
      const refined = tape.mul(pk, spread);
      pre1 = tape.add(pre1, tape.matmul(refined, p.wo1p, B * K, P, half));
    }
    const hidden = tape.relu(tape.add(pre1, p.bo1));
    const interests = tape.add(tape.matmul(hidden, p.wo2, B * K, half, d), p.bo2);
    return { interests, routing };
  }
}
