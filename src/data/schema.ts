/**
 * The dataset schema: the `.meta.json` that sits next to a CSV (`x.csv` → `x.meta.json`) and fixes
 * column types, factor level order, ordered factors and contrasts, as in the bundled `data/` folder.
 *
 * `parseSchema` validates the JSON and throws `DataError("E_DATA_BAD_SCHEMA")` naming the offending
 * field (`columns[2].levels[4]`). Unknown fields are ignored so the format can grow.
 */
import { DataError } from "../errors.ts";
import type { ContrastName } from "./column.ts";
import { escapeText, quote } from "../util/quote.ts";

export type SchemaColumnType = "factor" | "numeric" | "integer";

export interface SchemaColumn {
  readonly name: string;
  readonly type: SchemaColumnType;
  /** Factors only: an ordered factor (R's `ordered()`). false for non-factors. */
  readonly ordered: boolean;
  /** Factors only: contrasts named in the schema, or null for R's default. */
  readonly contrasts: ContrastName | null;
  /** Factors only: the level order. null = not given (levels inferred from the data, sorted). */
  readonly levels: readonly string[] | null;
}

export interface DatasetSchema {
  readonly name: string;
  /** CSV file name the schema describes (informational). */
  readonly file: string | null;
  /** Row and column counts recorded when the schema was written (informational). */
  readonly nrow: number | null;
  readonly ncol: number | null;
  readonly columns: readonly SchemaColumn[];
  /** Where the data come from. */
  readonly origin: string | null;
  readonly notes: string | null;
}

const TYPES: readonly SchemaColumnType[] = ["factor", "numeric", "integer"];
const CONTRASTS: readonly ContrastName[] = [
  "contr.treatment",
  "contr.sum",
  "contr.helmert",
  "contr.poly",
  "contr.SAS",
];

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A JSON value as it appears in the schema, escaped and capped for a message. */
function shown(v: unknown): string {
  return escapeText(JSON.stringify(v) ?? String(v), 60);
}

function bad(source: string, field: string, problem: string): DataError {
  return new DataError(
    "E_DATA_BAD_SCHEMA",
    `schema ${escapeText(source, 200)}: field '${field}' ${problem}`,
    "fix the schema file, or remove it (or omit --schema) to infer column types from the data",
  );
}

function optString(o: Json, key: string, source: string, where: string): string | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "string") throw bad(source, where, `must be a string or null, not ${shown(v)}`);
  return v;
}

function optCount(o: Json, key: string, source: string): number | null {
  const v = o[key];
  if (v === undefined || v === null) return null;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0) {
    throw bad(source, key, `must be a non-negative integer, not ${shown(v)}`);
  }
  return v;
}

function parseLevels(c: Json, source: string, where: string): readonly string[] | null {
  const raw = c.levels;
  if (raw === undefined || raw === null) return null;
  if (!Array.isArray(raw)) throw bad(source, `${where}.levels`, "must be an array of strings");
  const seen = new Set<string>();
  raw.forEach((lv, i) => {
    if (typeof lv !== "string") {
      throw bad(source, `${where}.levels[${i}]`, `must be a string, not ${shown(lv)}`);
    }
    if (seen.has(lv)) throw bad(source, `${where}.levels[${i}]`, `repeats the level ${quote(lv)}`);
    seen.add(lv);
  });
  const n = c.nlevels;
  if (n !== undefined && n !== null && n !== raw.length) {
    throw bad(source, `${where}.nlevels`, `is ${shown(n)} but 'levels' lists ${raw.length} levels`);
  }
  return raw as string[];
}

function parseColumn(c: unknown, i: number, source: string): SchemaColumn {
  const where = `columns[${i}]`;
  if (!isObject(c)) throw bad(source, where, "must be an object with 'name' and 'type'");
  const name = c.name;
  if (typeof name !== "string" || name === "")
    throw bad(source, `${where}.name`, "must be a non-empty string");
  const type = c.type;
  if (typeof type !== "string" || !TYPES.includes(type as SchemaColumnType)) {
    throw bad(source, `${where}.type`, `must be one of ${TYPES.join(", ")}, not ${shown(type)}`);
  }
  if (type !== "factor") {
    return { name, type: type as SchemaColumnType, ordered: false, contrasts: null, levels: null };
  }
  const ordered = c.ordered ?? false;
  if (typeof ordered !== "boolean") {
    throw bad(source, `${where}.ordered`, `must be true or false, not ${shown(ordered)}`);
  }
  const contrasts = c.contrasts ?? null;
  if (contrasts !== null && !CONTRASTS.includes(contrasts as ContrastName)) {
    throw bad(
      source,
      `${where}.contrasts`,
      `must be one of ${CONTRASTS.join(", ")} or null, not ${shown(contrasts)}`,
    );
  }
  return {
    name,
    type: "factor",
    ordered,
    contrasts: contrasts as ContrastName | null,
    levels: parseLevels(c, source, where),
  };
}

/**
 * Parse and validate a `.meta.json` schema. `source` names the file in error messages.
 */
export function parseSchema(jsonText: string, source: string): DatasetSchema {
  let doc: unknown;
  try {
    doc = JSON.parse(jsonText);
  } catch (e) {
    throw new DataError(
      "E_DATA_BAD_SCHEMA",
      `schema ${escapeText(source, 200)} is not valid JSON (${escapeText((e as Error).message, 120)})`,
      "fix the schema file, or remove it to infer column types from the data",
    );
  }
  if (!isObject(doc)) throw bad(source, "(top level)", "must be a JSON object");
  if (!Array.isArray(doc.columns) || doc.columns.length === 0) {
    throw bad(source, "columns", "must be a non-empty array of column descriptions");
  }
  const columns = doc.columns.map((c, i) => parseColumn(c, i, source));
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (seen.has(c.name)) throw bad(source, `columns[${i}].name`, `repeats the column name ${quote(c.name)}`);
    seen.add(c.name);
  });
  const ncol = optCount(doc, "ncol", source);
  if (ncol !== null && ncol !== columns.length) {
    throw bad(source, "ncol", `is ${ncol} but 'columns' describes ${columns.length} columns`);
  }
  const name = optString(doc, "name", source, "name") ?? "";
  return {
    name,
    file: optString(doc, "file", source, "file"),
    nrow: optCount(doc, "nrow", source),
    ncol,
    columns,
    origin: optString(doc, "origin", source, "origin"),
    notes: optString(doc, "notes", source, "notes"),
  };
}
