/**
 * A reader for Python literals as `repr()` writes them (the McAuley 2014
 * Amazon meta files are Python dicts, not JSON): dicts, lists, tuples,
 * single- or double-quoted strings with escapes, numbers, `True`, `False`,
 * `None`. Nothing is evaluated.
 *
 * @module
 */

/**
 * Parses one Python literal.
 *
 * @param text The literal, e.g. `{'asin': '0001048791', 'salesRank': {'Books': 6334800}}`.
 * @returns The value: objects for dicts (keys as strings), arrays for lists and tuples.
 * @throws {SyntaxError} With the character position of the problem.
 * @example
 * ```ts
 * import { deepStrictEqual } from "node:assert/strict";
 * import { parsePythonLiteral } from "./_pyliteral.ts";
 * deepStrictEqual(parsePythonLiteral("{'a': [\"it's\", 1.5, True, None]}"), { a: ["it's", 1.5, true, null] });
 * ```
 */
export function parsePythonLiteral(text: string): unknown {
  const p = new Parser(text);
  const value = p.value();
  p.space();
  if (p.i !== text.length) p.fail("unexpected text after the value");
  return value;
}

class Parser {
  i = 0;
  constructor(readonly s: string) {}

  fail(what: string): never {
    throw new SyntaxError(`${what} at position ${this.i + 1}`);
  }

  space(): void {
    while (this.i < this.s.length && " \t\r\n".includes(this.s[this.i])) this.i++;
  }

  value(): unknown {
    this.space();
    const c = this.s[this.i];
    if (c === "{") return this.dict();
    if (c === "[") return this.sequence("]");
    if (c === "(") return this.sequence(")");
    if (c === "'" || c === '"') return this.string();
    if (c === "u" && (this.s[this.i + 1] === "'" || this.s[this.i + 1] === '"')) {
      this.i++;
      return this.string();
    }
    for (const [word, v] of [["True", true], ["False", false], ["None", null]] as const) {
      if (this.s.startsWith(word, this.i)) {
        this.i += word.length;
        return v;
      }
    }
    const m = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 64));
    if (m) {
      this.i += m[0].length;
      return Number(m[0]);
    }
    return this.fail(
      c === undefined ? "unexpected end of text" : `unexpected ${JSON.stringify(c)}`,
    );
  }

  dict(): Record<string, unknown> {
    this.i++;
    const out: Record<string, unknown> = {};
    this.space();
    if (this.s[this.i] === "}") {
      this.i++;
      return out;
    }
    for (;;) {
      const key = this.value();
      if (typeof key !== "string" && typeof key !== "number") {
        this.fail("a dict key must be a string or number");
      }
      this.space();
      if (this.s[this.i] !== ":") this.fail('expected ":"');
      this.i++;
      Object.defineProperty(out, String(key), {
        value: this.value(),
        enumerable: true,
        writable: true,
        configurable: true,
      });
      this.space();
      const c = this.s[this.i++];
      if (c === "}") return out;
      if (c !== ",") this.i--, this.fail('expected "," or "}"');
      this.space();
      if (this.s[this.i] === "}") {
        this.i++;
        return out;
      }
    }
  }

  sequence(close: string): unknown[] {
    this.i++;
    const out: unknown[] = [];
    this.space();
    if (this.s[this.i] === close) {
      this.i++;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.s[this.i++];
      if (c === close) return out;
      if (c !== ",") this.i--, this.fail(`expected "," or "${close}"`);
      this.space();
      if (this.s[this.i] === close) {
        this.i++;
        return out;
      }
    }
  }

  string(): string {
    const quote = this.s[this.i++];
    let out = "";
    for (;;) {
      const c = this.s[this.i++];
      if (c === undefined) this.fail("unterminated string");
      if (c === quote) return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.s[this.i++];
      const hex = (n: number) => {
        const h = this.s.slice(this.i, this.i + n);
        if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) this.fail("bad escape");
        this.i += n;
        return parseInt(h, 16);
      };
      switch (e) {
        case "n":
          out += "\n";
          break;
        case "t":
          out += "\t";
          break;
        case "r":
          out += "\r";
          break;
        case "x":
          out += String.fromCharCode(hex(2));
          break;
        case "u":
          out += String.fromCharCode(hex(4));
          break;
        case "U":
          out += String.fromCodePoint(hex(8));
          break;
        case "\\":
        case "'":
        case '"':
          out += e;
          break;
        case "\n":
          break;
        default:
          out += "\\" + e;
      }
    }
  }
}
