/**
 * Reading a saved fit's JSON (`restoreLmm`, `restoreGlmm`): type guards for its fields, the
 * data-mismatch error, and short lists of names for messages.
 */
import { SpecError } from "../errors.ts";
import { quote } from "./quote.ts";

export type Json = Record<string, unknown>;

export const isString = (v: unknown): v is string => typeof v === "string";
export const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
export const isBoolean = (v: unknown): v is boolean => typeof v === "boolean";
export const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const isNumberRecord = (v: unknown): v is Record<string, number> =>
  isObject(v) && Object.values(v).every((x) => typeof x === "number");

/** Field `name` of `json` when `ok` accepts it; otherwise the error `bad` makes of the reason. */
export function field<T>(
  json: Json,
  name: string,
  ok: (v: unknown) => v is T,
  what: string,
  bad: (message: string) => Error,
): T {
  const v = json[name];
  if (!ok(v)) throw bad(`the field ${quote(name)} is ${v === undefined ? "missing" : `not ${what}`}`);
  return v;
}

/** `E_FIT_DATA_MISMATCH`: the data given are not the data the saved fit was fitted to. */
export function dataMismatch(message: string): SpecError {
  return new SpecError(
    "E_FIT_DATA_MISMATCH",
    `the data do not match the saved fit: ${message}`,
    "restore the fit with the data it was fitted to (same rows, columns, levels and schema), or fit the model again",
  );
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Up to 8 quoted names, then the count. */
export function listText(xs: readonly string[]): string {
  const shown = xs.slice(0, 8).map((x) => quote(x));
  return `${shown.join(", ")}${xs.length > 8 ? `, … (${xs.length})` : ""}`;
}
