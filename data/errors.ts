/**
 * Errors that callers are meant to catch when reading data.
 *
 * @module
 */

/**
 * A data file could not be parsed. Carries the file and the 1-based line.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { DataFormatError } from "./errors.ts";
 * const e = new DataFormatError("expected 4 fields, found 3", { file: "u.data", line: 12 });
 * ok(e.message === "u.data line 12: expected 4 fields, found 3");
 * ```
 */
export class DataFormatError extends SyntaxError {
  /** Path of the offending file. */
  readonly file: string;
  /** 1-based line number (0 when the problem is the file as a whole). */
  readonly line: number;

  /**
   * @param detail What is wrong.
   * @param where The file and line.
   */
  constructor(detail: string, where: { file: string; line: number }) {
    super(
      where.line > 0 ? `${where.file} line ${where.line}: ${detail}` : `${where.file}: ${detail}`,
    );
    this.name = "DataFormatError";
    this.file = where.file;
    this.line = where.line;
  }
}
