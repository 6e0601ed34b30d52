/**
 * Typed errors and warnings. Every error the library throws is a `MixedError` with a stable
 * `code` (tests and the CLI match on it), a message saying what is wrong and what to do, and,
 * for formula errors, the formula text and the `[start, end)` span of the offending token.
 *
 * The library never prints. Recoverable problems become `Warning` entries on results.
 */

import { escapeText } from "./util/quote.ts";

/** Stable error codes. Add new ones here; never rename an existing code. */
export type ErrorCode =
  // formula syntax
  | "E_FORMULA_SYNTAX"
  | "E_FORMULA_UNBALANCED"
  | "E_FORMULA_UNEXPECTED_TOKEN"
  | "E_FORMULA_UNEXPECTED_END"
  | "E_FORMULA_NO_TILDE"
  | "E_FORMULA_NO_RESPONSE"
  | "E_FORMULA_EMPTY_RHS"
  | "E_FORMULA_BAR_OUTSIDE_PARENS"
  | "E_FORMULA_EMPTY_RANDOM_TERM"
  | "E_FORMULA_NESTED_BAR"
  | "E_FORMULA_BAD_GROUPING"
  | "E_FORMULA_UNKNOWN_FUNCTION"
  | "E_FORMULA_BAD_ARGUMENT"
  | "E_FORMULA_BAD_POWER"
  | "E_FORMULA_DUPLICATE_TERM"
  | "E_FORMULA_RANDOM_IN_RESPONSE"
  // formula meets data
  | "E_FORMULA_UNKNOWN_COLUMN"
  | "E_FORMULA_FACTOR_IN_FUNCTION"
  | "E_FORMULA_NUMERIC_GROUPING"
  | "E_FORMULA_FACTOR_RESPONSE"
  // data
  | "E_DATA_FILE_NOT_FOUND"
  | "E_DATA_NOT_A_FILE"
  | "E_DATA_UNREADABLE"
  | "E_DATA_EMPTY"
  | "E_DATA_NO_ROWS"
  | "E_DATA_RAGGED"
  | "E_DATA_DUPLICATE_COLUMN"
  | "E_DATA_BAD_CSV"
  | "E_DATA_BAD_SCHEMA"
  | "E_DATA_TOO_LARGE"
  | "E_DATA_UNKNOWN_DATASET"
  | "E_DATA_NON_NUMERIC"
  | "E_DATA_ALL_MISSING"
  | "E_DATA_NON_FINITE"
  | "E_DATA_ONE_LEVEL"
  | "E_DATA_NO_COMPLETE_ROWS"
  // model specification
  | "E_SPEC_TOO_FEW_LEVELS"
  | "E_SPEC_TOO_MANY_RANDOM_EFFECTS"
  | "E_SPEC_CONSTANT_RESPONSE"
  | "E_SPEC_UNSUPPORTED"
  | "E_SPEC_NO_RANDOM_EFFECTS"
  | "E_SPEC_RANK_ZERO"
  // numerical
  | "E_NUMERIC_NOT_POSITIVE_DEFINITE"
  | "E_NUMERIC_NON_FINITE"
  // options / arguments
  | "E_OPTION_INVALID"
  // data (appended)
  | "E_DATA_UNKNOWN_COLUMN"
  // formula (appended): a function where it cannot appear (cbind outside the response, offset in a random term)
  | "E_FORMULA_MISPLACED_FUNCTION"
  // numerical (appended): a value or intermediate result outside double range; an exact fit
  | "E_NUMERIC_OVERFLOW"
  | "E_NUMERIC_EXACT_FIT"
  // data (appended): a value outside a function's domain (log of 0 or less, sqrt of a negative
  // number, division by zero, overflow, scale() of a constant)
  | "E_DATA_DOMAIN"
  // data (appended): bytes that are not valid text in the declared encoding (UTF-8 by default)
  | "E_DATA_BAD_ENCODING"
  // output (appended): the CLI could not write its result (disk full, I/O error)
  | "E_OUTPUT_WRITE"
  // specification (appended): models that a comparison (anova) cannot compare: different data,
  // different responses, REML criteria of different fixed effects
  | "E_SPEC_NOT_COMPARABLE"
  // data (appended): a factor level in new data that the fitted data did not have
  | "E_DATA_NEW_LEVEL"
  // Bayesian models (appended): a prior string that does not parse, names an unknown parameter
  // class or distribution, has bad arguments, or would leave the posterior improper; an
  // unsupported family or method
  | "E_PRIOR_SYNTAX"
  | "E_PRIOR_UNKNOWN_CLASS"
  | "E_PRIOR_UNKNOWN_DISTRIBUTION"
  | "E_PRIOR_BAD_ARGUMENT"
  | "E_PRIOR_IMPROPER"
  | "E_BAYES_UNSUPPORTED"
  // plots (appended): a figure's column is missing or not numeric, no complete rows, a bad size,
  // an unknown `mixed plot` kind, a model the figure cannot use, a bad figure option
  | "E_PLOT_UNKNOWN_COLUMN"
  | "E_PLOT_NON_NUMERIC"
  | "E_PLOT_NO_COMPLETE_ROWS"
  | "E_PLOT_BAD_SIZE"
  | "E_PLOT_UNKNOWN_KIND"
  | "E_PLOT_BAD_MODEL"
  | "E_PLOT_BAD_OPTION"
  // GLMM (appended): PIRLS could not lower the penalised deviance (names the step); a quadrature
  // request the model cannot take (nAGQ > 1 with a vector or several random-effects terms without
  // the extended mode, or a block of linked random effects whose grid exceeds the limit)
  | "E_NUMERIC_PIRLS_DIVERGED"
  | "E_SPEC_NAGQ"
  // saved fits (appended): a saved fit's JSON that is not one (missing or mistyped fields), and
  // data that are not the data the saved fit was fitted to (rows, response, levels, objective)
  | "E_FIT_BAD_JSON"
  | "E_FIT_DATA_MISMATCH"
  // specification (appended): a linear-mixed-model-only function (denominator degrees of freedom,
  // type III tests, profiles of σ, variance decomposition, ...) called with another kind of fit
  // (a GLMM, an lm or glm)
  | "E_SPEC_NOT_LMM";

export class MixedError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(hint ? `${message}. ${hint}` : message);
    this.name = "MixedError";
    this.code = code;
    this.hint = hint;
  }
}

/** Characters of a long formula shown on each side of (and within) the span under the caret. */
const CARET_CONTEXT = 80;

/** An error located in a formula. `span` is `[start, end)` in UTF-16 code units of `formula`. */
export class FormulaError extends MixedError {
  readonly formula: string;
  readonly span: readonly [number, number];
  constructor(
    code: ErrorCode,
    message: string,
    formula: string,
    span: readonly [number, number],
    hint?: string,
  ) {
    super(code, message, hint);
    this.name = "FormulaError";
    this.formula = formula;
    const start = Math.max(0, Math.min(span[0], formula.length));
    const end = Math.max(start, Math.min(span[1], formula.length));
    this.span = [start, end];
  }

  /** The formula with a caret line under the offending token (for terminals). */
  caret(indent = "  "): string {
    const [s, e] = this.span;
    const f = this.formula;
    // control characters are shown escaped, so the caret is placed on the escaped text; a long
    // formula is shown as a window around the span
    let before = escapeText(f.slice(0, s));
    let at = escapeText(f.slice(s, e));
    let after = escapeText(f.slice(e));
    if (before.length > CARET_CONTEXT) before = `…${before.slice(before.length - CARET_CONTEXT)}`;
    if (at.length > CARET_CONTEXT) at = `${at.slice(0, CARET_CONTEXT)}…`;
    if (after.length > CARET_CONTEXT) after = `${after.slice(0, CARET_CONTEXT)}…`;
    const width = Math.max(1, at.length);
    return `${indent}${before}${at}${after}\n${indent}${" ".repeat(before.length)}${"^".repeat(width)}`;
  }
}

export class DataError extends MixedError {
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(code, message, hint);
    this.name = "DataError";
  }
}

export class SpecError extends MixedError {
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(code, message, hint);
    this.name = "SpecError";
  }
}

export class NumericalError extends MixedError {
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(code, message, hint);
    this.name = "NumericalError";
  }
}

export class OptionError extends MixedError {
  constructor(message: string, hint?: string) {
    super("E_OPTION_INVALID", message, hint);
    this.name = "OptionError";
  }
}

/** Stable warning codes. */
export type WarningCode =
  | "rows_dropped"
  | "rank_deficient"
  | "boundary_fit"
  | "not_converged"
  | "max_evaluations"
  | "constant_column"
  | "few_levels"
  | "constant_within_groups"
  | "residual_variance_zero"
  | "random_effects_collinear"
  | "ill_conditioned"
  // lm (appended)
  | "no_residual_df"
  | "perfect_fit"
  | "non_finite_result"
  // a factor column whose values are numbers but for a few (a typo made it a factor)
  | "numeric_looking_factor"
  // inference (appended): the Hessian of the deviance in the variance parameters is not positive
  // definite, so Satterthwaite / Kenward-Roger df are unreliable
  | "hessian_not_positive"
  // Bayesian sampler (appended): warm-up too short for Stan's adaptation windows
  | "warmup_short"
  // plots (appended): groups a figure leaves out (paging, a chosen subset); a line it cannot draw
  | "groups_omitted"
  | "line_omitted"
  // Bayesian fits (appended): convergence and sampler health, as cmdstanr's checks
  | "rhat_high"
  | "ess_low"
  | "divergent_transitions"
  | "max_treedepth"
  | "ebfmi_low"
  // GLM families (appended): non-integer binomial successes / Poisson counts (R warns too);
  // fitted probabilities numerically 0 or 1 (separation), fitted Poisson rates numerically 0
  | "non_integer_response"
  | "fitted_probabilities_0_or_1"
  | "fitted_rates_0"
  // GLMM (appended): Pearson χ²/df well above 1; the Hessian-based standard errors unavailable
  | "overdispersion"
  | "glmm_hessian";

export interface Warning {
  readonly code: WarningCode;
  readonly message: string;
}

export function isMixedError(e: unknown): e is MixedError {
  return e instanceof MixedError;
}
