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
}

function defaultContrast(f: FactorVariable): ContrastName {
  return f.contrasts ?? (f.ordered ? "contr.poly" : "contr.treatment");
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
  if (!useContrasts) {
    return {
      ncol: k,
      names: f.levels.map((l) => f.label + l),
      fill(j, out) {
        for (let i = 0; i < n; i++) out[i] = f.codes[i] === j ? 1 : 0;
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

/** Build X for `terms` from evaluated variables (all of length n). */
export function buildModelMatrix(
  terms: TermList,
  variables: ReadonlyMap<string, EvaluatedVariable>,
  n: number,
): ModelMatrix {
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

  const names: string[] = [];
  const assign: number[] = [];
  const columns: Float64Array[] = [];
  if (terms.intercept) {
    names.push("(Intercept)");
    assign.push(0);
    columns.push(new Float64Array(n).fill(1));
  }
  const tmp = new Float64Array(n);
  list.forEach((term, t) => {
    const blocks = term.variables.map((label, v) => {
      const ev = variables.get(label);
      if (!ev) throw new SpecError("E_SPEC_UNSUPPORTED", `internal: variable '${label}' was not evaluated`);
      return variableBlock(ev, n, coding[t][v]);
    });
    // Iterate column combinations with the first block varying fastest.
    const counts = blocks.map((b) => b.ncol);
    const total = counts.reduce((a, b) => a * b, 1);
    const idx = new Array<number>(blocks.length).fill(0);
    for (let c = 0; c < total; c++) {
      const col = new Float64Array(n).fill(1);
      const parts: string[] = [];
      blocks.forEach((b, bi) => {
        b.fill(idx[bi], tmp);
        for (let i = 0; i < n; i++) col[i] *= tmp[i];
        parts.push(b.names[idx[bi]]);
      });
      names.push(parts.join(":"));
      assign.push(t + 1);
      columns.push(col);
      for (let bi = 0; bi < idx.length; bi++) {
        if (++idx[bi] < counts[bi]) break;
        idx[bi] = 0;
      }
    }
  });
  const p = columns.length;
  const X = new Float64Array(n * p);
  columns.forEach((c, j) => {
    X.set(c, j * n);
  });
  return { X, n, p, names, assign: Int32Array.from(assign), termLabels: list.map((t) => t.label) };
}
