/**
 * R's `model.matrix()` for a term list: the intercept, then each term's columns. A factor in a term
 * is coded by contrasts when the term without that factor appears earlier in the model (the empty
 * term counts as present), otherwise by full indicator columns (R's heuristic from "Statistical
 * Models in S", p. 38); without an intercept the first factor of the first term holding one is
 * coded by indicators. Interaction columns vary the first variable fastest; names are joined by ":".
 */
import type { ContrastName } from "../data/column.ts";
import { DataError, SpecError } from "../errors.ts";
import type { TermList } from "../formula/model-formula.ts";
import { contrastMatrix } from "./contrasts.ts";
import type { EvaluatedVariable, FactorVariable } from "./evaluated-variable.ts";
import { quote } from "../util/quote.ts";

export interface ModelMatrix {
  /** n×p column-major. */
  readonly X: Float64Array;
  readonly n: number;
  readonly p: number;
  readonly names: readonly string[];
  /** Term index (1-based, 0 = intercept) of each column, as R's `assign`. */
  readonly assign: Int32Array;
  /** Term labels (index t-1 for assign t). */
  readonly termLabels: readonly string[];
}

/** Columns contributed by one variable in one term. */
interface Block {
  readonly ncol: number;
  readonly names: readonly string[];
  /** Fill column `j` of this block for all rows into `out` (length n). */
  fill(j: number, out: Float64Array): void;
  /** For a factor coded by 0/1 level indicators: the level of each column. */
  readonly indicatorLevels?: readonly number[];
}

function defaultContrast(f: FactorVariable): ContrastName {
  return f.contrasts ?? (f.ordered ? "contr.poly" : "contr.treatment");
}

/** Level (0-based) of each column when the coding is by 0/1 level indicators; else undefined. */
function indicatorCoding(f: FactorVariable, useContrasts: boolean): number[] | undefined {
  const k = f.levels.length;
  if (!useContrasts) return Array.from({ length: k }, (_, j) => j);
  switch (defaultContrast(f)) {
    case "contr.treatment":
      return Array.from({ length: k - 1 }, (_, j) => j + 1);
    case "contr.SAS":
      return Array.from({ length: k - 1 }, (_, j) => j);
    default:
      return undefined;
  }
}

function factorBlock(f: FactorVariable, n: number, useContrasts: boolean): Block {
  const k = f.levels.length;
  if (k < 2 && useContrasts) {
    throw new DataError(
      "E_DATA_ONE_LEVEL",
      `factor '${f.label}' has only one level (${quote(f.levels[0] ?? "")}) among the rows used, so it cannot be a predictor`,
      "remove it from the formula or check the data for a filtering mistake",
    );
  }
  // Indicator codings need no k × (k − 1) contrast matrix (800 MB for 10⁴ levels).
  const levels = indicatorCoding(f, useContrasts);
  if (levels) {
    return {
      ncol: levels.length,
      names: levels.map((l) => f.label + f.levels[l]),
      indicatorLevels: levels,
      fill(j, out) {
        const level = levels[j];
        for (let i = 0; i < n; i++) out[i] = f.codes[i] === level ? 1 : 0;
      },
    };
  }
  const c = contrastMatrix(defaultContrast(f), f.levels);
  const nc = c.colnames.length;
  return {
    ncol: nc,
    names: c.colnames.map((s) => f.label + s),
    fill(j, out) {
      const col = c.matrix.subarray(j * k, (j + 1) * k);
      for (let i = 0; i < n; i++) out[i] = col[f.codes[i]];
    },
  };
}

function variableBlock(v: EvaluatedVariable, n: number, useContrasts: boolean): Block {
  switch (v.kind) {
    case "factor":
      return factorBlock(v, n, useContrasts);
    case "numeric":
      return { ncol: 1, names: [v.label], fill: (_j, out) => out.set(v.values) };
    case "matrix":
      return {
        ncol: v.ncol,
        names: v.colnames.map((s) => v.label + s),
        fill: (j, out) => out.set(v.values.subarray(j * n, (j + 1) * n)),
      };
  }
}

/** Default memory budget for building model matrices (bytes): 2 GiB. */
export const DEFAULT_MAX_MATRIX_BYTES = 2 ** 31;

/** One column of X, built on demand. */
export interface ModelMatrixColumn {
  readonly name: string;
  /** Term index (1-based, 0 = intercept), as R's `assign`. */
  readonly assign: number;
  /** Fill the column for all rows into `out` (length n). */
  fill(out: Float64Array): void;
  /**
   * Set when the column is the 0/1 indicator of one factor level (a single-factor term coded by
   * indicators or by treatment-like contrasts): rows with `codes[i] === level` hold 1, all others 0.
   */
  readonly indicator?: { readonly codes: Int32Array; readonly level: number };
}

/** The columns of X before any is built: names, `assign` and a filler per column. */
export interface ModelMatrixPlan {
  readonly n: number;
  readonly p: number;
  readonly names: readonly string[];
  readonly assign: Int32Array;
  readonly termLabels: readonly string[];
  readonly columns: readonly ModelMatrixColumn[];
}

/** Options of {@link buildModelMatrix}. */
export interface ModelMatrixOptions {
  /** Refuse (E_DATA_TOO_LARGE) a matrix of more than this many bytes. Default: no limit. */
  readonly maxBytes?: number;
  /** What the matrix is, for the message: "fixed-effects model matrix" by default. */
  readonly what?: string;
}

/** Plan X for `terms` from evaluated variables (all of length n) without building it. */
export function planModelMatrix(
  terms: TermList,
  variables: ReadonlyMap<string, EvaluatedVariable>,
  n: number,
): ModelMatrixPlan {
  const list = terms.terms;
  const isFactor = (label: string) => variables.get(label)?.kind === "factor";
  // coding[t][v] = true for contrasts, false for indicators (factors only).
  const coding = list.map((term, t) =>
    term.variables.map((label) => {
      if (!isFactor(label)) return true;
      const rest = term.variables.filter((x) => x !== label);
      if (rest.length === 0) return true;
      for (let s = 0; s < t; s++) {
        const prev = list[s].variables;
        if (rest.every((r) => prev.includes(r))) return true;
      }
      return false;
    }),
  );
  if (!terms.intercept) {
    outer: for (let t = 0; t < list.length; t++) {
      for (let v = 0; v < list[t].variables.length; v++) {
        if (isFactor(list[t].variables[v])) {
          coding[t][v] = false;
          break outer;
        }
      }
    }
  }

  const columns: ModelMatrixColumn[] = [];
  if (terms.intercept) {
    columns.push({ name: "(Intercept)", assign: 0, fill: (out) => out.fill(1) });
  }
  list.forEach((term, t) => {
    const evs = term.variables.map((label) => {
      const ev = variables.get(label);
      if (!ev) throw new SpecError("E_SPEC_UNSUPPORTED", `internal: variable '${label}' was not evaluated`);
      return ev;
    });
    const blocks = evs.map((ev, v) => variableBlock(ev, n, coding[t][v]));
    const single = evs.length === 1 && evs[0].kind === "factor" ? evs[0] : undefined;
    const levels = single ? blocks[0].indicatorLevels : undefined;
    // Column combinations with the first block varying fastest.
    const counts = blocks.map((b) => b.ncol);
    const total = counts.reduce((a, b) => a * b, 1);
    const idx = new Array<number>(blocks.length).fill(0);
    for (let c = 0; c < total; c++) {
      const at = idx.slice();
      const name = blocks.map((b, bi) => b.names[at[bi]]).join(":");
      const fill = (out: Float64Array): void => {
        if (blocks.length === 1) {
          blocks[0].fill(at[0], out);
          return;
        }
        const tmp = new Float64Array(n);
        out.fill(1);
        blocks.forEach((b, bi) => {
          b.fill(at[bi], tmp);
          for (let i = 0; i < n; i++) out[i] *= tmp[i];
        });
      };
      columns.push(
        single && levels
          ? { name, assign: t + 1, fill, indicator: { codes: single.codes, level: levels[c] } }
          : { name, assign: t + 1, fill },
      );
      for (let bi = 0; bi < idx.length; bi++) {
        if (++idx[bi] < counts[bi]) break;
        idx[bi] = 0;
      }
    }
  });
  return {
    n,
    p: columns.length,
    names: columns.map((c) => c.name),
    assign: Int32Array.from(columns, (c) => c.assign),
    termLabels: list.map((t) => t.label),
    columns,
  };
}

/** "1.5 GB"-style size for messages. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toPrecision(3)} ${units[u]}`;
}

/** The term with the most columns in `plan` (for messages about its size), with its column count. */
export function widestTerm(plan: ModelMatrixPlan): { label: string; ncol: number } {
  const counts = new Map<number, number>();
  for (const a of plan.assign) counts.set(a, (counts.get(a) ?? 0) + 1);
  let best = { label: "(Intercept)", ncol: 0 };
  for (const [a, c] of counts) {
    if (c > best.ncol) best = { label: a === 0 ? "(Intercept)" : plan.termLabels[a - 1], ncol: c };
  }
  return best;
}

/**
 * Refuse a computation on `plan`'s matrix that needs `bytes` (more than `maxBytes`) with
 * E_DATA_TOO_LARGE, naming the size, the widest term and what to do.
 */
export function checkMatrixSize(
  plan: ModelMatrixPlan,
  bytes: number,
  maxBytes: number,
  what: string,
  hint?: string,
): void {
  if (!(bytes > maxBytes)) return;
  const wide = widestTerm(plan);
  throw new DataError(
    "E_DATA_TOO_LARGE",
    `the ${what} would need ${formatBytes(bytes)} (${plan.n} rows × ${plan.p} columns; term '${wide.label}' alone has ${wide.ncol} columns), more than the limit of ${formatBytes(maxBytes)}`,
    hint ??
      `drop '${wide.label}' or merge its levels (or make it a random effect), use fewer rows, or raise the limit (the maxBytes option of fitLm / buildDesign)`,
  );
}

/** Fill all columns of `plan` into an n×p column-major matrix. */
export function materializeModelMatrix(plan: ModelMatrixPlan, opts: ModelMatrixOptions = {}): ModelMatrix {
  const { n, p } = plan;
  if (opts.maxBytes !== undefined) {
    checkMatrixSize(plan, 8 * n * p, opts.maxBytes, opts.what ?? "fixed-effects model matrix");
  }
  const X = new Float64Array(n * p);
  plan.columns.forEach((c, j) => {
    c.fill(X.subarray(j * n, (j + 1) * n));
  });
  return { X, n, p, names: plan.names, assign: plan.assign, termLabels: plan.termLabels };
}

/** Build X for `terms` from evaluated variables (all of length n). */
export function buildModelMatrix(
  terms: TermList,
  variables: ReadonlyMap<string, EvaluatedVariable>,
  n: number,
  opts: ModelMatrixOptions = {},
): ModelMatrix {
  return materializeModelMatrix(planModelMatrix(terms, variables, n), opts);
}
