/**
 * ComiRec-SA trained with the `srns` sampler, as `comirec-sa-srns` (see `variant.ts`).
 *
 * @module
 */
import { comirecSA } from "../../models/comirec_sa/mod.ts";
import { samplerVariant } from "./variant.ts";

/** The variant. */
export const model = samplerVariant(comirecSA, "srns");
