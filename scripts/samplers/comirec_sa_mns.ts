/**
 * ComiRec-SA trained with the `mns` sampler, as `comirec-sa-mns` (see `variant.ts`).
 *
 * @module
 */
import { comirecSA } from "../../models/comirec_sa/mod.ts";
import { samplerVariant } from "./variant.ts";

/** The variant. */
export const model = samplerVariant(comirecSA, "mns");
