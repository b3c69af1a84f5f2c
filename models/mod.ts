/**
 * The model registry: a new model is one folder plus one line here. The shared
 * test in `registry_test.ts` runs every entry, so no test file needs an edit.
 *
 * @module
 */
import { bprMf } from "./bprmf/mod.ts";
import { cagcn, cagcnStar } from "./cagcn/mod.ts";
import { comirecDR } from "./comirec_dr/mod.ts";
import { comirecSA } from "./comirec_sa/mod.ts";
import { efficientRec } from "./efficientrec/mod.ts";
import { freedom } from "./freedom/mod.ts";
import { gru4rec } from "./gru4rec/mod.ts";
import { idsf } from "./idsf/mod.ts";
import { itemKnn } from "./itemknn/mod.ts";
import { lattice } from "./lattice/mod.ts";
import { lightGcn } from "./lightgcn/mod.ts";
import { miFair, miFairCagcn } from "./mifair/mod.ts";
import { mind } from "./mind/mod.ts";
import { mmgcn } from "./mmgcn/mod.ts";
import { mostPopular } from "./mostpop/mod.ts";
import { pimiRec, remiPimiRec } from "./pimirec/mod.ts";
import { re4 } from "./re4/mod.ts";
import { remi, remiIhn, remiRr } from "./remi/mod.ts";
import { comirecDRSimEmb, comirecSASimEmb, mindSimEmb, remiSimEmb } from "./simemb/mod.ts";
import { remiUmiHn, umi, umiHn } from "./umi/mod.ts";
import { vbpr } from "./vbpr/mod.ts";
import { youtubeDnn } from "./youtubednn/mod.ts";
import type { ModelSpec } from "./types.ts";

export * from "./types.ts";
export { loadModelSpec } from "./load.ts";

/** Every built-in model, keyed by its `--models` name. */
export const MODELS: Readonly<Record<string, ModelSpec<object>>> = {
  mostpop: mostPopular as ModelSpec<object>,
  itemknn: itemKnn as ModelSpec<object>,
  youtubednn: youtubeDnn as ModelSpec<object>,
  gru4rec: gru4rec as ModelSpec<object>,
  mind: mind as ModelSpec<object>,
  "comirec-sa": comirecSA as ModelSpec<object>,
  "comirec-dr": comirecDR as ModelSpec<object>,
  remi: remi as ModelSpec<object>,
  "remi-ihn": remiIhn as ModelSpec<object>,
  "remi-rr": remiRr as ModelSpec<object>,
  pimirec: pimiRec as ModelSpec<object>,
  "remi-pimirec": remiPimiRec as ModelSpec<object>,
  umi: umi as ModelSpec<object>,
  "umi-hn": umiHn as ModelSpec<object>,
  "remi-umi-hn": remiUmiHn as ModelSpec<object>,
  re4: re4 as ModelSpec<object>,
  "comirec-sa+simemb": comirecSASimEmb as ModelSpec<object>,
  "comirec-dr+simemb": comirecDRSimEmb as ModelSpec<object>,
  "mind+simemb": mindSimEmb as ModelSpec<object>,
  "remi+simemb": remiSimEmb as ModelSpec<object>,
  bprmf: bprMf as ModelSpec<object>,
  lightgcn: lightGcn as ModelSpec<object>,
  cagcn: cagcn as ModelSpec<object>,
  "cagcn-star": cagcnStar as ModelSpec<object>,
  mifair: miFair as ModelSpec<object>,
  "mifair-cagcn": miFairCagcn as ModelSpec<object>,
  efficientrec: efficientRec as ModelSpec<object>,
  idsf: idsf as ModelSpec<object>,
  vbpr: vbpr as ModelSpec<object>,
  mmgcn: mmgcn as ModelSpec<object>,
  lattice: lattice as ModelSpec<object>,
  freedom: freedom as ModelSpec<object>,
};

/**
 * What `deno task bench` runs without `--models`: the two classic baselines,
 * the single-vector and multi-interest references, and REMI, sized so the
 * default run on the embedded data takes under two minutes on two cores.
 */
export const DEFAULT_MODELS: readonly string[] = [
  "mostpop",
  "itemknn",
  "youtubednn",
  "comirec-sa",
  "remi",
];
