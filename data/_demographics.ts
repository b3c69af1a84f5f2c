/**
 * User demographics shared by the loaders that read them (MovieLens
 * `users.dat` / `u.user`, BookCrossing `BX-Users.csv`): one table of
 * categorical values by raw user id, refusing a user listed twice, and the
 * age groups of ml-1m's `users.dat`, used to bucket the numeric ages of the
 * other files so that every dataset's `age` field means the same.
 *
 * @module
 */
import type { RawUserFeatures } from "./dataset.ts";
import { DataFormatError } from "./errors.ts";
import type { Where } from "./_records.ts";

/**
 * The age groups of ml-1m's `users.dat`, by their code (the lower bound):
 * 1 = under 18, 18 = 18-24, 25 = 25-34, 35 = 35-44, 45 = 45-49, 50 = 50-55,
 * 56 = 56 and over.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { AGE_GROUPS } from "./_demographics.ts";
 * ok(AGE_GROUPS.length === 7 && AGE_GROUPS[0] === 1);
 * ```
 */
export const AGE_GROUPS: readonly number[] = [1, 18, 25, 35, 45, 50, 56];

/**
 * The ml-1m age group code of an age in years.
 *
 * @param age Years (a non-negative number).
 * @returns The group's code as text, e.g. `"25"` for 30.
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { ageGroup } from "./_demographics.ts";
 * ok(ageGroup(17) === "1" && ageGroup(18) === "18" && ageGroup(49) === "45" && ageGroup(80) === "56");
 * ```
 */
export function ageGroup(age: number): string {
  let code = AGE_GROUPS[0];
  for (const g of AGE_GROUPS) if (age >= g) code = g;
  return String(code);
}

/** Demographic values by raw user id, one row per user. */
export class Demographics {
  readonly #fields: Record<string, Map<string, string[]>>;
  readonly #lines = new Map<string, number>();

  /**
   * @param names The field names, e.g. `["gender", "age"]`.
   */
  constructor(names: readonly string[]) {
    this.#fields = Object.fromEntries(names.map((n) => [n, new Map<string, string[]>()]));
  }

  /**
   * Adds one user's row; a field left out or empty means no value.
   *
   * @param user Raw user id.
   * @param values Value by field name.
   * @param where The file and line, for errors.
   * @throws {DataFormatError} If the user already had a row.
   */
  add(user: string, values: Record<string, string | undefined>, where: Where): void {
    const first = this.#lines.get(user);
    if (first !== undefined) {
      throw new DataFormatError(`user id ${user} already appeared on line ${first}`, where);
    }
    this.#lines.set(user, where.line);
    for (const [name, byId] of Object.entries(this.#fields)) {
      const v = values[name];
      if (v !== undefined && v !== "") byId.set(user, [v]);
    }
  }

  /** Users with a row. */
  get size(): number {
    return this.#lines.size;
  }

  /**
   * The table for an interaction log.
   *
   * @param source The file read.
   * @returns The raw user features.
   */
  finish(source: string): RawUserFeatures {
    return { fields: this.#fields, source };
  }
}
