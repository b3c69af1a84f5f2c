/**
 * Results JSON -> Markdown.
 *
 * @module
 */
export * from "./markdown.ts";
export * from "./stats.ts";
