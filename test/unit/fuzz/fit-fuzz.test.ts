/**
 * Fuzz test of the whole fitting path (fast-check, seeded): small random data sets with hostile
 * column names (Object.prototype names, unicode, spaces, quotes, operators, reserved words), hostile
 * factor levels and awkward values (huge, tiny, constant, zero or negative, missing, infinite), and
 * random formulas from the grammar (functions, interactions, (1 | g), (x | g), (x || g), g1/g2,
 * g1:g2, crossed terms, offsets, weights). Every fit must either throw a typed `MixedError` (a code
 * of `ErrorCode`, a short message, never a TypeError / RangeError / internal error) or return a fit
 * whose objective at its θ equals an independent dense computation (test/helpers/dense-lmm.ts;
 * relative 1e-6), whose numbers are finite (or that carries a warning), and that prints and
 * serialises. Random CSV text must give a table or a typed error.
 *
 * CI runs a bounded number of cases with a fixed seed. For a longer local run:
 *
 *   MIXED_FUZZ_RUNS=5000 node scripts/run-tests.mjs test/unit/fuzz/fit-fuzz.test.ts
 *   MIXED_FUZZ_SEED=123 MIXED_FUZZ_RUNS=2000 node scripts/run-tests.mjs test/unit/fuzz
 *
 * (MIXED_FUZZ_RUNS sets the number of LMM cases; the other properties scale with it.)
 * MIXED_FUZZ_VERBOSE=1 prints how many cases ended in a fit and in each error code, and
 * MIXED_FUZZ_LOG=E_SOME_CODE prints every case that ended in that code.
 * A failure prints the seed, the shrunk counter-example, and the data as CSV.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import fc from "fast-check";
import { ColumnTable } from "../../../src/data/column-table.ts";
import type { Column } from "../../../src/data/column.ts";
import { parseCsv } from "../../../src/data/parse-csv.ts";
import { buildDesign } from "../../../src/design/design.ts";
import { MixedError } from "../../../src/errors.ts";
import { quoteName } from "../../../src/formula/deparse.ts";
import { parseFormula } from "../../../src/formula/parse-formula.ts";
import { fitLm, type LmFit } from "../../../src/lm/fit-lm.ts";
import { lmToJSON } from "../../../src/lm/lm-json.ts";
import { fitLmm, type LmmFit } from "../../../src/lmm/fit-lmm.ts";
import { printCoef, printRanef, printSummary } from "../../../src/report/fit-summary.ts";
import { denseObjective, denseRss } from "../../helpers/dense-lmm.ts";
import { rng } from "../../helpers/dense-reference.ts";

const RUNS = Number(process.env.MIXED_FUZZ_RUNS ?? 200);
const SEED = Number(process.env.MIXED_FUZZ_SEED ?? 20261204);
const TIMEOUT = Math.max(120_000, RUNS * 1000);

/** The error codes declared in src/errors.ts (the union is a type, so read it from the source). */
const CODES = new Set(
  readFileSync("src/errors.ts", "utf8")
    .slice(0, readFileSync("src/errors.ts", "utf8").indexOf("export class MixedError"))
    .match(/"E_[A-Z_]+"/g)!
    .map((s) => s.slice(1, -1)),
);

/** A typed error with a known code and a message of reasonable size. */
function assertTyped(e: unknown, what: string): void {
  if (!(e instanceof MixedError)) {
    throw new Error(`${what}: not a MixedError: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
  assert.ok(CODES.has(e.code), `${what}: unknown code ${e.code}`);
  assert.ok(e.message.length > 0 && e.message.length < 2000, `${what}: message of ${e.message.length} chars`);
  assert.doesNotMatch(e.message, /^internal/, `${what}: internal error ${e.message}`);
}

// ------------------------------------------------------------------------------------- names

const HOSTILE = [
  ...Object.getOwnPropertyNames(Object.prototype),
  "__proto__",
  "my col",
  " lead",
  "trail ",
  "tab\there",
  "new\nline",
  "é",
  "日本語",
  "😀",
  "Ω mega",
  "a:b",
  "a+b",
  "y~x",
  "x|g",
  "(Intercept)",
  "1x",
  "_x",
  "if",
  "TRUE",
  "NA",
  "Inf",
  ".",
  "..1",
  '"q"',
  "'s'",
  "a,b",
  "x.1",
  "%in%",
];
const PLAIN = ["y", "x", "z", "w", "g", "h", "f", "Days", "x1", "x2", "Subject", "grp"];
/** Column names that are also formula functions. */
const FUNCTION_NAMES = ["log", "I", "poly", "factor", "offset", "cbind", "scale", "exp"];
const LEVELS = [
  ...new Set([...PLAIN.slice(0, 4), ...HOSTILE, "", " ", "a", "b", "c", "1", "2", "10", "-1", "NaN"]),
];

// ------------------------------------------------------------------------------------ values

const NUMERIC_KINDS = [
  "normal",
  "normal",
  "normal",
  "positive",
  "integer",
  "huge",
  "hugeScale",
  "tiny",
  "constant",
  "missing",
  "allMissing",
  "zeros",
  "infinite",
] as const;
type NumericKind = (typeof NUMERIC_KINDS)[number];

/** Values of the "scaled" kinds reach 1e±150: their squares are near the ends of the double range. */
const BIG = 1e150;
const KINDS = NUMERIC_KINDS;
/** Kinds of N0 and N1, the variables of random slopes and offsets. */
const SLOPE_KINDS = KINDS;

/** Warnings that explain a non-finite or noisy number (a rows_dropped warning does not). */
const NUMERIC_WARNINGS = new Set([
  "no_residual_df",
  "perfect_fit",
  "non_finite_result",
  "residual_variance_zero",
  "ill_conditioned",
  "random_effects_collinear",
  "not_converged",
]);
function warnsNumerically(fit: { readonly warnings: readonly { readonly code: string }[] }): boolean {
  return fit.warnings.some((w) => NUMERIC_WARNINGS.has(w.code));
}

function numericValues(kind: NumericKind, n: number, r: () => number): Float64Array {
  const u = () => Math.round((r() * 10 - 5) * 1000) / 1000;
  return Float64Array.from({ length: n }, (_, i) => {
    switch (kind) {
      case "normal":
        return u();
      case "positive":
        return 0.1 + r() * 10;
      case "integer":
        return Math.floor(r() * 6);
      case "huge":
        return 1e8 + u();
      case "hugeScale":
        return u() * BIG;
      case "tiny":
        return u() / BIG;
      case "constant":
        return 3.7;
      case "missing":
        return r() < 0.3 ? Number.NaN : u();
      case "allMissing":
        return Number.NaN;
      case "zeros":
        return r() < 0.5 ? 0 : Math.floor(r() * 5) - 2;
      case "infinite":
        return i === 1 ? Number.POSITIVE_INFINITY : u();
    }
  });
}

interface DataSpec {
  readonly n: number;
  /** Eight distinct column names: y, three numeric, two factors, three groups (roles by position). */
  readonly names: readonly string[];
  readonly responseKind: NumericKind;
  readonly numericKinds: readonly NumericKind[];
  /** Factor levels (distinct) for the two factors. */
  readonly factorLevels: readonly (readonly string[])[];
  /** Level names and level counts of the three grouping factors; `nested` nests group 1 in group 0. */
  readonly groupLevels: readonly (readonly string[])[];
  readonly nested: boolean;
  /** Grouping factor 2 as an integer-valued numeric column instead of a factor. */
  readonly numericGroup: boolean;
  readonly seed: number;
}

const dataSpec: fc.Arbitrary<DataSpec> = fc.record({
  n: fc.integer({ min: 4, max: 40 }),
  names: fc
    .shuffledSubarray([...new Set([...PLAIN, ...FUNCTION_NAMES, ...HOSTILE])], { minLength: 9, maxLength: 9 })
    .map((a) => a.slice(0, 9)),
  responseKind: fc.constantFrom(...KINDS),
  numericKinds: fc.tuple(
    fc.constantFrom(...SLOPE_KINDS),
    fc.constantFrom(...SLOPE_KINDS),
    fc.constantFrom(...KINDS),
  ),
  factorLevels: fc.array(fc.uniqueArray(fc.constantFrom(...LEVELS), { minLength: 1, maxLength: 4 }), {
    minLength: 2,
    maxLength: 2,
  }),
  groupLevels: fc.array(fc.uniqueArray(fc.constantFrom(...LEVELS), { minLength: 1, maxLength: 8 }), {
    minLength: 3,
    maxLength: 3,
  }),
  nested: fc.boolean(),
  numericGroup: fc.boolean(),
  seed: fc.integer({ min: 1, max: 2 ** 30 }),
});

function buildData(s: DataSpec): ColumnTable {
  const r = rng(s.seed);
  const { n, names } = s;
  const num = (name: string, values: Float64Array): Column => ({
    kind: "numeric",
    name,
    values,
    integer: false,
  });
  const fac = (name: string, levels: readonly string[], missing: number): Column => ({
    kind: "factor",
    name,
    codes: Int32Array.from({ length: n }, () => (r() < missing ? -1 : Math.floor(r() * levels.length))),
    levels,
    ordered: false,
    contrasts: null,
  });
  const cols: Column[] = [num(names[0], numericValues(s.responseKind, n, r))];
  s.numericKinds.forEach((k, i) => {
    cols.push(num(names[1 + i], numericValues(k, n, r)));
  });
  s.factorLevels.forEach((lv, i) => {
    cols.push(fac(names[4 + i], lv, i === 1 ? 0.1 : 0));
  });
  const g0 = fac(names[6], s.groupLevels[0], 0) as Extract<Column, { kind: "factor" }>;
  cols.push(g0);
  if (s.nested) {
    // each level of group 1 lies inside one level of group 0
    const k = s.groupLevels[1].length;
    const inner = Int32Array.from(g0.codes, (c) => (c * 7 + Math.floor(r() * 2)) % k);
    cols.push({ ...g0, name: names[7], codes: inner, levels: s.groupLevels[1] });
  } else cols.push(fac(names[7], s.groupLevels[1], 0));
  if (s.numericGroup) {
    const k = s.groupLevels[2].length;
    cols.push(
      num(
        names[8],
        Float64Array.from({ length: n }, () => 1 + Math.floor(r() * k)),
      ),
    );
  } else cols.push(fac(names[8], s.groupLevels[2], 0.05));
  return new ColumnTable("fuzz", cols);
}

// ----------------------------------------------------------------------------------- formulas

/**
 * A formula over roles: Y (response), N0-N2 (numeric), F0-F1 (factors), G0-G2 (groups). Random
 * slopes and offsets use S (N0 or N1).
 */
const N = fc.constantFrom("N0", "N1", "N2");
const S = fc.constantFrom("N0", "N1");
const F = fc.constantFrom("F0", "F1");
const G = fc.constantFrom("G0", "G1", "G2");
const fixedAtom = fc.oneof(
  { weight: 4, arbitrary: N },
  { weight: 3, arbitrary: F },
  {
    weight: 3,
    arbitrary: fc
      .tuple(fc.constantFrom("log", "exp", "sqrt", "abs", "scale", "log10"), N)
      .map(([f, v]) => `${f}(${v})`),
  },
  { weight: 1, arbitrary: fc.tuple(N, fc.integer({ min: 1, max: 3 })).map(([v, k]) => `poly(${v}, ${k})`) },
  { weight: 1, arbitrary: N.map((v) => `I(${v}^2)`) },
  { weight: 1, arbitrary: fc.tuple(N, N).map(([a, b]) => `I(${a} / ${b})`) },
  { weight: 1, arbitrary: N.map((v) => `I(${v} * 2 + 1)`) },
  { weight: 1, arbitrary: F.map((v) => `as.numeric(${v})`) },
  { weight: 1, arbitrary: N.map((v) => `factor(${v})`) },
  { weight: 2, arbitrary: fc.tuple(N, F).map(([a, b]) => `${a}:${b}`) },
  { weight: 2, arbitrary: fc.tuple(N, F).map(([a, b]) => `${a} * ${b}`) },
  { weight: 1, arbitrary: fc.tuple(F, F).map(([a, b]) => `${a}:${b}`) },
  { weight: 1, arbitrary: fc.tuple(N, F).map(([a, b]) => `(${a} + ${b})^2`) },
  { weight: 1, arbitrary: S.map((v) => `offset(${v})`) },
  { weight: 1, arbitrary: fc.tuple(N, F).map(([a, b]) => `${a} %in% ${b}`) },
  { weight: 1, arbitrary: fc.tuple(F, N).map(([a, b]) => `${a}/${b}`) },
  { weight: 1, arbitrary: fc.tuple(N, F, N).map(([a, b, c]) => `(${a} + ${b} + ${c})^3`) },
  { weight: 1, arbitrary: fc.tuple(N, N).map(([a, b]) => `${a}:${b}`) },
  { weight: 1, arbitrary: fc.tuple(N, F).map(([a, b]) => `${a} * ${b} - ${b}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          "log(@ + 1)",
          "sqrt(abs(@))",
          "log(exp(@))",
          "scale(log(abs(@) + 1))",
          "I(@^0.5)",
          "I(-@)",
          "I(1/@)",
          "exp(-@)",
          "I(@^-2)",
          "log2(@)",
        ),
        N,
      )
      .map(([f, v]) => f.replace("@", v)),
  },
  { weight: 1, arbitrary: F.map((v) => `factor(${v})`) },
  { weight: 1, arbitrary: N.map((v) => `as.numeric(${v})`) },
);
const randomTerm = fc.oneof(
  { weight: 4, arbitrary: G.map((g) => `(1 | ${g})`) },
  { weight: 2, arbitrary: fc.tuple(S, G).map(([x, g]) => `(${x} | ${g})`) },
  { weight: 2, arbitrary: fc.tuple(S, G).map(([x, g]) => `(1 + ${x} || ${g})`) },
  { weight: 1, arbitrary: fc.tuple(S, G).map(([x, g]) => `(0 + ${x} | ${g})`) },
  { weight: 1, arbitrary: fc.tuple(F, G).map(([f, g]) => `(1 | ${g}) + (0 + ${f} | ${g})`) },
  { weight: 2, arbitrary: fc.constant("(1 | G0/G1)") },
  { weight: 1, arbitrary: fc.constant("(1 | G0:G1)") },
  { weight: 1, arbitrary: fc.constant("(1 | G0) + (1 | G2)") },
  { weight: 1, arbitrary: fc.constant("(1 | G0/G1/G2)") },
  { weight: 1, arbitrary: S.map((x) => `(${x} | G0:G1)`) },
  { weight: 1, arbitrary: fc.tuple(S, G).map(([x, g]) => `(${x} + I(${x}^2) || ${g})`) },
);
const response = fc.oneof(
  { weight: 12, arbitrary: fc.constant("Y") },
  { weight: 1, arbitrary: fc.constant("log(Y)") },
  { weight: 1, arbitrary: fc.constant("I(Y * 1000)") },
  { weight: 1, arbitrary: fc.constant("cbind(Y, N0)") },
  { weight: 1, arbitrary: F },
);
const intercept = fc.constantFrom("", "", "1 + ", "0 + ", "-1 + ");

interface FormulaSpec {
  readonly response: string;
  readonly intercept: string;
  readonly fixed: readonly string[];
  readonly random: readonly string[];
  /** Back-quote every name (else only those that need it). */
  readonly quoteAll: boolean;
  readonly REML: boolean;
  /** Use N2's absolute values as prior weights. */
  readonly weights: boolean;
}

function formulaSpec(withRandom: boolean): fc.Arbitrary<FormulaSpec> {
  return fc.record({
    response,
    intercept,
    fixed: fc.array(fixedAtom, { maxLength: 3 }),
    random: withRandom ? fc.array(randomTerm, { minLength: 1, maxLength: 2 }) : fc.constant([]),
    quoteAll: fc.boolean(),
    REML: fc.boolean(),
    weights: fc.nat(9).map((k) => k === 0),
  });
}

function formulaText(f: FormulaSpec, names: readonly string[]): string {
  const role: Record<string, string> = {
    Y: names[0],
    N0: names[1],
    N1: names[2],
    N2: names[3],
    F0: names[4],
    F1: names[5],
    G0: names[6],
    G1: names[7],
    G2: names[8],
  };
  const sub = (s: string) =>
    s.replace(/\b(Y|N[0-2]|F[01]|G[0-2])\b/g, (m) => (f.quoteAll ? `\`${role[m]}\`` : quoteName(role[m])));
  const terms = [...f.fixed, ...f.random];
  const rhs = `${f.intercept}${terms.length > 0 ? terms.join(" + ") : f.intercept ? "" : "1"}`;
  return `${sub(f.response)} ~ ${sub(rhs.replace(/ \+ $/, "")) || "1"}`;
}

/** A weights column appended to the data: positive (0.1 to 10), a zero now and then. */
function withWeights(data: ColumnTable, spec: DataSpec): { data: ColumnTable; weights: string } {
  const r = rng(spec.seed + 1);
  const w = Float64Array.from({ length: data.nrow }, () => (r() < 0.03 ? 0 : 0.1 + 9.9 * r()));
  const name = "(weights)";
  return {
    data: new ColumnTable("fuzz", [...data.columns, { kind: "numeric", name, values: w, integer: false }]),
    weights: name,
  };
}

// ------------------------------------------------------------------------------------- checks

/** The data as CSV-like text (full precision), to reproduce a failure. */
function dump(data: ColumnTable): string {
  const cell = (c: Column, i: number) =>
    c.kind === "numeric" ? String(c.values[i]) : c.codes[i] < 0 ? "NA" : JSON.stringify(c.levels[c.codes[i]]);
  const lines = [data.names.map((nm) => JSON.stringify(nm)).join(",")];
  for (let i = 0; i < data.nrow; i++) lines.push(data.columns.map((c) => cell(c, i)).join(","));
  return `\ndata:\n${lines.join("\n")}`;
}

function allFinite(xs: Iterable<number>): boolean {
  for (const x of xs) if (!Number.isFinite(x)) return false;
  return true;
}

function checkLmmFit(fit: LmmFit, text: string, data: ColumnTable, weights: string | undefined): void {
  const numbers = [fit.objective, fit.sigma, ...fit.beta, ...fit.se, ...fit.theta];
  if (!allFinite(numbers) && !warnsNumerically(fit)) {
    assert.fail(`non-finite numbers without a warning: [${numbers.join(", ")}] for ${text}${dump(data)}`);
  }
  // serialise and print without throwing
  JSON.parse(JSON.stringify(fit));
  printSummary(fit);
  printRanef(fit);
  printCoef(fit);
  if (!allFinite(numbers)) return;
  const d = buildDesign(parseFormula(text), data, { weights });
  const problem = {
    y: d.y,
    X: d.X,
    xnames: d.xnames,
    reterms: d.reterms,
    weights: d.weights,
    offset: d.offset,
  };
  // σ̂ at the boundary or a factor with too few correct digits: the fit says so, the objective is noise
  if (fit.warnings.some((w) => w.code === "residual_variance_zero" || w.code === "ill_conditioned")) return;
  const want = denseObjective(problem, fit.theta, fit.REML);
  const tol = 1e-6 * Math.max(1, Math.abs(want));
  if (!(Math.abs(fit.objective - want) <= tol)) {
    assert.fail(
      `objective ${fit.objective} != dense ${want} at θ = [${fit.theta.join(", ")}] for ${text}${dump(data)}`,
    );
  }
}

function checkLmFit(fit: LmFit, text: string, data: ColumnTable, weights: string | undefined): void {
  printSummary(fit);
  JSON.parse(JSON.stringify(lmToJSON(fit)));
  if (fit.estimable.length === 0) {
    // every column aliased (all zero): R's lm gives NA coefficients and the raw sum of squares;
    // buildDesign (for mixed models) refuses such a design, so there is nothing to compare with
    assert.ok(fit.beta.every(Number.isNaN), `coefficients without a column for ${text}${dump(data)}`);
    return;
  }
  const d = buildDesign(parseFormula(text), data, { weights });
  let yy = 0;
  for (let i = 0; i < d.n; i++)
    yy += (d.weights ? d.weights[i] : 1) * (d.y[i] - (d.offset ? d.offset[i] : 0)) ** 2;
  const want = denseRss(d.X, d.n, d.p, d.y, d.weights, d.offset);
  if (!Number.isFinite(want)) {
    // the exact residual sum of squares is beyond the double range: the fit must say so
    assert.ok(
      !Number.isFinite(fit.deviance) && warnsNumerically(fit),
      `rss overflow unwarned for ${text}${dump(data)}`,
    );
    return;
  }
  if (!(Math.abs(fit.deviance - want) <= 1e-6 * want + 1e-9 * yy)) {
    assert.fail(`rss ${fit.deviance} != dense ${want} for ${text}${dump(data)}`);
  }
  const numbers = [fit.sigma, ...fit.estimable.flatMap((j) => [fit.beta[j], fit.se[j]])];
  if (!allFinite(numbers) && !warnsNumerically(fit)) {
    assert.fail(`non-finite numbers without a warning: [${numbers.join(", ")}] for ${text}${dump(data)}`);
  }
}

/** Outcomes per property: "fit" or the error code (MIXED_FUZZ_VERBOSE=1 prints them). */
const outcomes = new Map<string, Map<string, number>>();
function count(property: string, outcome: string): void {
  const m = outcomes.get(property) ?? new Map<string, number>();
  m.set(outcome, (m.get(outcome) ?? 0) + 1);
  outcomes.set(property, m);
}

/** Run `fit`: a typed error, or a fit that passes `check`. */
function typedOrChecked<T>(property: string, what: string, fit: () => T, check: (f: T) => void): void {
  let result: T;
  try {
    result = fit();
  } catch (e) {
    assertTyped(e, what);
    count(property, (e as MixedError).code);
    if (process.env.MIXED_FUZZ_LOG === (e as MixedError).code)
      console.log(`${what}\n  ${(e as Error).message}`);
    return;
  }
  check(result);
  count(property, "fit");
}

/** Enough cases must end in a checked fit, or the property tests little beyond error paths. */
function assertFits(property: string, minShare: number): void {
  const m = outcomes.get(property) ?? new Map<string, number>();
  const total = [...m.values()].reduce((a, b) => a + b, 0);
  if (process.env.MIXED_FUZZ_VERBOSE === "1") {
    const list = [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`);
    console.log(`${property}: ${total} cases: ${list.join(", ")}`);
  }
  assert.ok(
    (m.get("fit") ?? 0) >= minShare * total,
    `${property}: too few fits (${m.get("fit") ?? 0} of ${total})`,
  );
}

/** The data spec in a line, for failure messages. */
function describe(s: DataSpec): string {
  return JSON.stringify({
    n: s.n,
    y: s.responseKind,
    numeric: s.numericKinds,
    nested: s.nested,
    seed: s.seed,
  });
}

// -------------------------------------------------------------------------------------- tests

test("fuzz fitLmm: a typed error, or an objective equal to the dense computation", {
  timeout: TIMEOUT,
}, () => {
  fc.assert(
    fc.property(dataSpec, formulaSpec(true), (spec, fs) => {
      let data = buildData(spec);
      let weights: string | undefined;
      if (fs.weights) ({ data, weights } = withWeights(data, spec));
      const text = formulaText(fs, spec.names);
      typedOrChecked(
        "fitLmm",
        `${text} with ${describe(spec)}`,
        () => fitLmm(text, data, { REML: fs.REML, weights }),
        (fit) => checkLmmFit(fit, text, data, weights),
      );
    }),
    { seed: SEED, numRuns: RUNS },
  );
  assertFits("fitLmm", 0.1);
});

test("fuzz fitLm: a typed error, or a residual sum of squares equal to the dense one", {
  timeout: TIMEOUT,
}, () => {
  fc.assert(
    fc.property(dataSpec, formulaSpec(false), (spec, fs) => {
      let data = buildData(spec);
      let weights: string | undefined;
      if (fs.weights) ({ data, weights } = withWeights(data, spec));
      const text = formulaText(fs, spec.names);
      typedOrChecked(
        "fitLm",
        `${text} with ${describe(spec)}`,
        () => fitLm(parseFormula(text), data, { weights }),
        (fit) => checkLmFit(fit, text, data, weights),
      );
    }),
    { seed: SEED, numRuns: Math.ceil(RUNS / 2) },
  );
  assertFits("fitLm", 0.2);
});

const CSV_PIECES = [
  ",",
  "\n",
  "\r\n",
  "\r",
  '"',
  '""',
  "a",
  "b",
  "y",
  "x",
  "1",
  "2.5",
  "-3",
  "1e308",
  "1e309",
  "-1e-320",
  "NA",
  "NaN",
  "Inf",
  "",
  " ",
  "\t",
  "é",
  "\u0000",
  "\uFEFF",
  "😀",
  "\ud800",
  "__proto__",
  "constructor",
  "toString",
];

/** A table's shape is consistent; fitting its first column on its second is typed or checked. */
function checkTable(t: ColumnTable): void {
  assert.equal(t.names.length, t.columns.length);
  assert.equal(new Set(t.names).size, t.names.length);
  for (const c of t.columns) assert.equal(c.kind === "numeric" ? c.values.length : c.codes.length, t.nrow);
  if (t.columns.length < 2 || t.names.some((nm) => nm.includes("`") || nm === "")) return;
  const text = `\`${t.names[0]}\` ~ \`${t.names[1]}\``;
  typedOrChecked(
    "csv fitLm",
    text,
    () => fitLm(parseFormula(text), t),
    (fit) => checkLmFit(fit, text, t, undefined),
  );
}

test("fuzz parseCsv: a table or a typed error, from CSV-like and from arbitrary text", {
  timeout: TIMEOUT,
}, () => {
  const piece = fc.constantFrom(...CSV_PIECES);
  const cell = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom("1", "2.5", "-3", "0", "7", "x", "a", "b", "NA", "") },
    { weight: 1, arbitrary: fc.array(piece, { maxLength: 3 }).map((a) => a.join("")) },
  );
  const sep = fc.constantFrom("\n", "\n", "\r\n", "\r");
  // header and rows of cells, so that parsing gets past the first line often
  const rows = fc
    .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 8 }), sep)
    .chain(([ncol, nrow, nl]) =>
      fc
        .array(fc.array(cell, { minLength: ncol, maxLength: ncol }), {
          minLength: nrow + 1,
          maxLength: nrow + 1,
        })
        .map((lines) => lines.map((l) => l.join(",")).join(nl)),
    );
  const csvLike = fc.array(piece, { maxLength: 40 }).map((a) => a.join(""));
  const text = fc.oneof(
    { weight: 4, arbitrary: rows },
    { weight: 2, arbitrary: csvLike },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 60 }) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 60 }).map((b) => new TextDecoder("latin1").decode(b)),
    },
  );
  fc.assert(
    fc.property(text, (s) => {
      typedOrChecked(
        "parseCsv",
        `parseCsv(${JSON.stringify(s)})`,
        () => parseCsv(s, { name: "fuzz" }),
        checkTable,
      );
    }),
    { seed: SEED, numRuns: RUNS * 2 },
  );
  assertFits("parseCsv", 0.15); // about a fifth: the binary arms often hold NUL bytes (E_DATA_BAD_ENCODING)
  assertFits("csv fitLm", 0);
});

/** Pieces of formula text over the columns of a fixed data set (y x z f g h `my col` constructor). */
const FORMULA_PIECES = [
  "y",
  "x",
  "z",
  "f",
  "g",
  "h",
  "`my col`",
  "constructor",
  "`__proto__`",
  "valueOf",
  "0",
  "1",
  "2",
  "-1",
  "~",
  "+",
  "-",
  "*",
  "/",
  ":",
  "^",
  "|",
  "||",
  "%in%",
  "(",
  ")",
  ",",
  "log(",
  "poly(",
  "I(",
  "offset(",
  "cbind(",
  "scale(",
  "factor(",
  "exp(",
  "sqrt(",
  "as.numeric(",
  "toString(",
];

test("fuzz token formulas through fitLmm and fitLm: a fit or a typed error", { timeout: TIMEOUT }, () => {
  const n = 30;
  const r = rng(7);
  const num = (name: string, f: (i: number) => number): Column => ({
    kind: "numeric",
    name,
    values: Float64Array.from({ length: n }, (_, i) => f(i)),
    integer: false,
  });
  const fac = (name: string, k: number): Column => ({
    kind: "factor",
    name,
    codes: Int32Array.from({ length: n }, (_, i) => i % k),
    levels: Array.from({ length: k }, (_, i) => ["a", "constructor", "__proto__", "toString", "é"][i]),
    ordered: false,
    contrasts: null,
  });
  const data = new ColumnTable("tokens", [
    num("y", () => r() * 10),
    num("x", (i) => i - 5),
    num("z", () => r()),
    num("my col", (i) => (i % 3) + 1),
    num("constructor", () => r() * 2),
    num("__proto__", (i) => i / 7),
    fac("f", 3),
    fac("g", 5),
    fac("h", 4),
    fac("valueOf", 2),
  ]);
  const tokens = fc.array(fc.constantFrom(...FORMULA_PIECES), { minLength: 1, maxLength: 14 });
  const lhs = fc.constantFrom("y", "y", "log(y)", "x", "f", "cbind(y, x)", "");
  /** `lhs ~ tokens` with the parentheses balanced (most of the time the parser gets past them). */
  const balanced = (left: string, toks: readonly string[]) => {
    let depth = 0;
    const out: string[] = [];
    for (const t of toks) {
      if (t === ")" && depth === 0) continue;
      if (t.endsWith("(")) depth++;
      if (t === ")") depth--;
      out.push(t);
    }
    return `${left} ~ ${out.join(" ")}${" )".repeat(depth)}`;
  };
  fc.assert(
    fc.property(lhs, tokens, (left, toks) => {
      const text = balanced(left, toks);
      typedOrChecked(
        "tokens fitLmm",
        text,
        () => fitLmm(text, data),
        (fit) => checkLmmFit(fit, text, data, undefined),
      );
      typedOrChecked(
        "tokens fitLm",
        text,
        () => fitLm(parseFormula(text), data),
        (fit) => checkLmFit(fit, text, data, undefined),
      );
    }),
    { seed: SEED, numRuns: RUNS * 5 },
  );
  assertFits("tokens fitLmm", 0);
  assertFits("tokens fitLm", 0);
});
