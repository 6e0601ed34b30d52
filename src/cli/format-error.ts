/**
 * One-paragraph error messages for the terminal: `error[CODE]: message`, the formula with a caret
 * line for formula errors, and the hint. Stack traces only with --debug.
 */
import { FormulaError, MixedError } from "../index.ts";

export function formatError(e: unknown, debug: boolean): string {
  if (e instanceof MixedError) {
    const head = e.hint ? e.message.slice(0, e.message.length - e.hint.length - 2) : e.message;
    let out = `error[${e.code}]: ${head}\n`;
    if (e instanceof FormulaError) out += `${e.caret("  ")}\n`;
    if (e.hint) out += `  help: ${e.hint}\n`;
    if (debug && e.stack) out += `${e.stack}\n`;
    return out;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  let out = `error[internal]: ${err.message}\n  this is a bug in mixedmodels; please report it with the command you ran (rerun with --debug for details)\n`;
  if (debug && err.stack) out += `${err.stack}\n`;
  return out;
}
