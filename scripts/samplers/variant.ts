/**
 * A family model trained with another negative sampler, under its own name
 * (`comirec-sa-dns`) so that one bench run holds every sampler and its
 * report compares them with significance tests. The variant draws the host's
 * random streams (`comirec-sa:init`, `comirec-sa:batch-order`, ...), so the
 * samplers of one seed start from the same parameters and see the same
 * batches; `uniform` reproduces the host's own cell exactly.
 *
 * Usage: `--models scripts/samplers/comirec_sa_uniform.ts,scripts/samplers/comirec_sa_dns.ts,...`
 * (see `models/_sequential/README.md`, "Samplers").
 *
 * @module
 */
import { deriveRng } from "../../data/rng.ts";
import type { SamplerName, SequentialConfig } from "../../models/_sequential/config.ts";
import type { ModelSpec } from "../../models/types.ts";

/**
 * The host with `sampler` as its default, named `<host>-<sampler>`.
 *
 * @param host A sequential-family model spec.
 * @param sampler The sampler.
 * @returns The variant's spec.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { comirecSA } from "../../models/comirec_sa/mod.ts";
 * import { samplerVariant } from "./variant.ts";
 * const spec = samplerVariant(comirecSA, "dns");
 * ok(spec.name === "comirec-sa-dns" && spec.configure({}).sampler === "dns");
 * ```
 */
export function samplerVariant<C extends SequentialConfig>(
  host: ModelSpec<C>,
  sampler: SamplerName,
): ModelSpec<C> {
  return {
    ...host,
    name: `${host.name}-${sampler}`,
    title: `${host.title} (${sampler})`,
    defaults: { ...host.defaults, sampler },
    configure: (o = {}) => host.configure({ sampler, ...o }),
    create: (config) => {
      const model = host.create(config);
      const fit = model.fit.bind(model);
      model.fit = (data, context) =>
        fit(data, { ...context, rng: (label) => deriveRng(context.seed, `${host.name}:${label}`) });
      return model;
    },
  };
}
