/**
 * ComiRec-SA trained with the `uniform` sampler, as `comirec-sa-uniform` (see `variant.ts`).
 *
 * @module
 */
import { comirecSA } from "../../models/comirec_sa/mod.ts";
import { samplerVariant } from "./variant.ts";

/** The variant. */
export const model = samplerVariant(comirecSA, "uniform");
