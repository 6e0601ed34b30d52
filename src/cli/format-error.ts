/**
 * One-paragraph error messages for the terminal: `error[CODE]: message`, the formula with a caret
 * line for formula errors, and the hint. Stack traces only with --debug. Whatever a message
 * quotes from the user's input, what reaches the terminal has its control characters escaped and
 * is capped in length (the library quotes with `quote()`; this is the last line of defence).
 */
import { FormulaError, MixedError } from "../index.ts";
import { escapeText } from "../util/quote.ts";

/** Longest message or hint written, in characters. */
export const MESSAGE_MAX = 2000;

export function formatError(e: unknown, debug: boolean): string {
  if (e instanceof MixedError) {
    const head = e.hint ? e.message.slice(0, e.message.length - e.hint.length - 2) : e.message;
    let out = `error[${e.code}]: ${escapeText(head, MESSAGE_MAX)}\n`;
    if (e instanceof FormulaError) out += `${e.caret("  ")}\n`;
    if (e.hint) out += `  help: ${escapeText(e.hint, MESSAGE_MAX)}\n`;
    if (debug && e.stack) out += `${e.stack}\n`;
    return out;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  let out = `error[internal]: ${escapeText(err.message, MESSAGE_MAX)}\n  this is a bug in mixedmodels; please report it with the command you ran (rerun with --debug for details)\n`;
  if (debug && err.stack) out += `${err.stack}\n`;
  return out;
}
