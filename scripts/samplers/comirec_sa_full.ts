/**
 * ComiRec-SA trained with the `full` sampler, as `comirec-sa-full` (see `variant.ts`).
 *
 * @module
 */
import { comirecSA } from "../../models/comirec_sa/mod.ts";
import { samplerVariant } from "./variant.ts";

/** The variant. */
export const model = samplerVariant(comirecSA, "full");
