/**
 * Results JSON -> Markdown: paper tables with significance tests, charts,
 * merging shard results.
 *
 * @module
 */
export * from "./charts.ts";
export * from "./compare.ts";
export * from "./markdown.ts";
export * from "./merge.ts";
export * from "./significance.ts";
export * from "./stats.ts";
export * from "./write.ts";
