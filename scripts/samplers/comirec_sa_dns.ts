/**
 * ComiRec-SA trained with the `dns` sampler, as `comirec-sa-dns` (see `variant.ts`).
 *
 * @module
 */
import { comirecSA } from "../../models/comirec_sa/mod.ts";
import { samplerVariant } from "./variant.ts";

/** The variant. */
export const model = samplerVariant(comirecSA, "dns");
