/**
 * The response of a GLM or GLMM as the fitting code needs it (R's `family$initialize`):
 * - binomial, 0/1 or two-level factor response: y as is, prior weights = user weights (or 1);
 * - binomial proportion with `weights` = trials: y the proportion, prior weights = trials;
 * - binomial `cbind(successes, failures)`: y = successes/trials (0 where trials = 0), prior
 *   weights = trials × user weights, n = trials;
 * - Poisson: counts, prior weights = user weights (or 1); `offset(log(exposure))` comes with the frame.
 * Invalid values raise DataError E_DATA_DOMAIN naming the first bad row; non-integer counts add a
 * `non_integer_response` warning, as R warns.
 */
import type { ModelFrame } from "../design/model-frame.ts";
import { DataError, type Warning } from "../errors.ts";
import { quote } from "../util/quote.ts";
import type { Family } from "./family.ts";

export interface GlmResponse {
  /** Response per row: binomial proportions (successes / trials), counts, or values. */
  readonly y: Float64Array;
  /** Prior weights per row (R's `prior.weights`): binomial trials × user weights; ones without weights. */
  readonly priorWeights: Float64Array;
  /** Offset per row (zeros without `offset()`). */
  readonly offset: Float64Array;
  /** Whether the formula had an offset. */
  readonly hasOffset: boolean;
  /** Binomial trials per row (R's `n` in `family$aic`); ones for other responses. */
  readonly n: Float64Array;
  /** Starting μ (R's `mustart`). */
  readonly mustart: Float64Array;
  /** Rows with prior weight > 0 (R's `n.ok`). */
  readonly nOk: number;
  readonly warnings: readonly Warning[];
}

/** More than 0.001 from an integer (R's test in the binomial family). */
function nonInteger(x: number): boolean {
  return Math.abs(x - Math.round(x)) > 0.001;
}

function domainError(frame: ModelFrame, i: number, what: string, hint: string): DataError {
  return new DataError(
    "E_DATA_DOMAIN",
    `${what} (row ${frame.rows[i] + 1} of ${quote(frame.dataName)})`,
    hint,
  );
}

/** The GLM response of `frame` for `family` (weights and offset from the frame). */
export function glmResponse(frame: ModelFrame, family: Family): GlmResponse {
  const n = frame.n;
  const label = frame.formula.responseLabel;
  const w = frame.weights;
  const warnings: Warning[] = [];
  const y = new Float64Array(n);
  const prior = new Float64Array(n);
  const trials = new Float64Array(n).fill(1);
  const m = new Float64Array(n); // count weight for mustart
  if (frame.y2 && !family.twoColumnResponse) {
    throw new DataError(
      "E_DATA_DOMAIN",
      `a two-column cbind() response needs family = binomial, not ${family.name}`,
      "use family binomial, or a one-column response",
    );
  }
  if (family.name === "binomial" && frame.y2) {
    const s = frame.y;
    const f = frame.y2;
    let warned = false;
    for (let i = 0; i < n; i++) {
      if (s[i] < 0)
        throw domainError(frame, i, `the successes of ${label} are negative: ${s[i]}`, "counts must be ≥ 0");
      if (f[i] < 0)
        throw domainError(
          frame,
          i,
          `the failures of ${label} are negative (${f[i]}): successes exceed trials`,
          "check that the second column of cbind() is the number of failures (e.g. size - successes)",
        );
      if (!warned && (nonInteger(s[i]) || nonInteger(f[i]))) warned = true;
      const t = s[i] + f[i];
      trials[i] = t;
      y[i] = t === 0 ? 0 : s[i] / t;
      prior[i] = (w ? w[i] : 1) * t;
      m[i] = t;
    }
    if (warned)
      warnings.push({
        code: "non_integer_response",
        message: "non-integer counts in a binomial glm (as R warns)",
      });
  } else if (family.name === "binomial") {
    let warned = false;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i] : 1;
      const yi = wi === 0 ? 0 : frame.y[i];
      if (yi < 0 || yi > 1)
        throw domainError(
          frame,
          i,
          `the binomial response ${label} is ${yi}, outside [0, 1]`,
          "give 0/1 outcomes, proportions with weights = trials, or cbind(successes, failures)",
        );
      y[i] = yi;
      prior[i] = wi;
      m[i] = wi;
      if (nonInteger(wi * yi)) warned = true;
    }
    if (warned)
      warnings.push({
        code: "non_integer_response",
        message:
          "non-integer #successes in a binomial glm (the response times the weights is not a count; as R warns)",
      });
  } else {
    const counts = family.name === "poisson";
    let nonInt = -1;
    for (let i = 0; i < n; i++) {
      const yi = frame.y[i];
      if (counts && yi < 0)
        throw domainError(
          frame,
          i,
          `the Poisson response ${label} is negative: ${yi}`,
          "a Poisson response is a count ≥ 0",
        );
      if (counts && nonInt < 0 && yi !== Math.round(yi)) nonInt = i;
      y[i] = yi;
      prior[i] = w ? w[i] : 1;
      m[i] = prior[i];
    }
    if (nonInt >= 0)
      warnings.push({
        code: "non_integer_response",
        message: `the Poisson response ${label} has non-integer values (first in row ${frame.rows[nonInt] + 1}: ${frame.y[nonInt]}); the deviance is defined but the likelihood (logLik, AIC) is not (R gives -Inf/Inf)`,
      });
  }
  if (family.name === "gaussian" && family.link.name === "log") {
    // R's gaussian initialize: mustart = y needs y > 0 under the log link
    const i = y.findIndex((v) => v <= 0);
    if (i >= 0)
      throw domainError(
        frame,
        i,
        `cannot find valid starting values: the response ${label} is ${y[i]}, but the log link needs y > 0 to start (as R)`,
        "use the identity link, or family poisson for counts",
      );
  }
  const mustart = new Float64Array(n);
  family.initializeInto(y, m, mustart);
  let nOk = 0;
  for (let i = 0; i < n; i++) if (prior[i] > 0) nOk++;
  return {
    y,
    priorWeights: prior,
    offset: frame.offset ?? new Float64Array(n),
    hasOffset: frame.offset !== undefined,
    n: trials,
    mustart,
    nOk,
    warnings,
  };
}
