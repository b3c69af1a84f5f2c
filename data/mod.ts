/**
 * Raw files -> interactions: loaders, preparation, splits and seeded randomness.
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./errors.ts";
export * from "./rng.ts";
export * from "./log_builder.ts";
export * from "./prepare.ts";
export * from "./checksum.ts";
export * from "./split.ts";
export * from "./synthetic.ts";
export * from "./movielens.ts";
export * from "./datasets.ts";
export * from "./gowalla.ts";
export * from "./retailrocket.ts";
export * from "./amazon.ts";
export * from "./recbole.ts";
export * from "./given_split.ts";
export * from "./item_features.ts";
export * from "./sources.ts";
export * from "./cache.ts";
export * from "./load.ts";
export * from "./info.ts";
export * from "./fetch.ts";
