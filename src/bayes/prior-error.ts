/**
 * `PriorError`: a prior that does not parse, names an unknown parameter class, coefficient or
 * distribution, has bad arguments, or would make the posterior improper. When the prior came from a
 * string (`"sd: student_t(3, 0, 10)"`), `text` is that string and `span` the `[start, end)` range
 * of the offending part, so a terminal can underline it (`caret()`).
 */
import { type ErrorCode, MixedError } from "../errors.ts";

export class PriorError extends MixedError {
  /** The prior string as given, or "" when the prior was built in code. */
  readonly text: string;
  readonly span: readonly [number, number];
  constructor(
    code: ErrorCode,
    message: string,
    text = "",
    span: readonly [number, number] = [0, 0],
    hint?: string,
  ) {
    super(code, message, hint);
    this.name = "PriorError";
    this.text = text;
    const start = Math.max(0, Math.min(span[0], text.length));
    this.span = [start, Math.max(start, Math.min(span[1], text.length))];
  }

  /** The prior text with a caret line under the offending part ("" when there is no text). */
  caret(indent = "  "): string {
    if (this.text === "") return "";
    const [s, e] = this.span;
    return `${indent}${this.text}\n${indent}${" ".repeat(s)}${"^".repeat(Math.max(1, e - s))}`;
  }
}
