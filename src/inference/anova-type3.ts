/**
 * The type III analysis-of-variance table of an LMM's fixed-effect terms with Satterthwaite's
 * df (lmerTest's `anova(m)`).
 *
 * Type III hypotheses do not depend on how factors are coded, and with sum-to-zero codings
 * (contr.sum, contr.poly, contr.helmert) the type III hypothesis of a term is "all of the term's
 * coefficients are zero". So the fit's design is rebuilt with every factor that is coded by
 * treatment-like contrasts (contr.treatment, contr.SAS) recoded by contr.sum; as both designs span
 * the same column space, β_sum = M·β with M = X_sum⁺X, and the rows of M that belong to a term are
 * its type III contrast matrix on the fit's own coefficients.
 */
import type { ContrastName } from "../data/column.ts";
import type { EvaluatedVariable } from "../design/evaluated-variable.ts";
import { materializeModelMatrix, planModelMatrix } from "../design/model-matrix.ts";
import { SpecError } from "../errors.ts";
import { qrCoefPivoted, qrDecompose, qrResiduals } from "../linalg/qr.ts";
import { fitInternals } from "../lmm/fit-internals.ts";
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { DdfMethod } from "./fixed-effect-tests.ts";
import { kenwardRogerFTest } from "./kenward-roger.ts";
import { contrastFTest } from "./satterthwaite.ts";
import { varparAnalysis } from "./varpar.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

export interface Type3Row {
  readonly term: string;
  readonly sumSq: number;
  readonly meanSq: number;
  readonly numDF: number;
  readonly denDF: number;
  readonly F: number;
  readonly pValue: number;
}

export interface Type3Table {
  readonly method: "satterthwaite" | "kenward-roger";
  readonly rows: readonly Type3Row[];
}

const TREATMENT_LIKE: readonly ContrastName[] = ["contr.treatment", "contr.SAS"];

/** Type III contrast matrices, one per fixed-effect term (intercept excluded), on the fit's β. */
export function type3Contrasts(fit: LmmFit): { term: string; rows: Float64Array[] }[] {
  const internals = fitInternals(fit);
  if (!internals)
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "this fit was not made by fitLmm, so its design is not available",
    );
  const { design } = internals;
  if (design.dropped.length > 0) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      `type III tests need a full-rank fixed-effects design; the columns ${design.dropped.join(", ")} were dropped as aliased`,
      "remove the aliased terms from the formula",
    );
  }
  const n = design.n;
  const p = design.p;
  const vars = new Map<string, EvaluatedVariable>();
  for (const [k, v] of design.frame.variables) {
    if (
      v.kind === "factor" &&
      TREATMENT_LIKE.includes(v.contrasts ?? (v.ordered ? "contr.poly" : "contr.treatment"))
    )
      vars.set(k, { ...v, contrasts: "contr.sum" });
    else vars.set(k, v);
  }
  const mmS = materializeModelMatrix(planModelMatrix(design.frame.formula.fixed, vars, n));
  const full = design.fullMatrix;
  if (mmS.p !== p) {
    throw new SpecError(
      "E_SPEC_UNSUPPORTED",
      "the sum-to-zero recoding of the design changed its number of columns",
    );
  }
  const qr = qrDecompose(mmS.X, n, p);
  if (qr.rank < p)
    throw new SpecError("E_SPEC_UNSUPPORTED", "the sum-to-zero recoding of the design is rank deficient");
  // M (p×p): column j = coefficients of X_j on X_sum; X_j must lie in X_sum's column space
  const M = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    const xj = design.X.subarray(j * n, (j + 1) * n);
    const res = qrResiduals(qr, xj);
    let r2 = 0;
    let x2 = 0;
    for (let t = 0; t < n; t++) {
      r2 += res[t] * res[t];
      x2 += xj[t] * xj[t];
    }
    if (r2 > 1e-16 * Math.max(x2, 1)) {
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        "type III tests need a hierarchical model (each interaction's lower-order terms present)",
        "add the main effects of the interactions to the formula",
      );
    }
    const b = qrCoefPivoted(qr, xj);
    for (let k = 0; k < p; k++) M[qr.pivot[k] * p + j] = b[k];
  }
  const out: { term: string; rows: Float64Array[] }[] = [];
  full.termLabels.forEach((term, t) => {
    const rows: Float64Array[] = [];
    for (let c = 0; c < p; c++) if (mmS.assign[c] === t + 1) rows.push(M.slice(c * p, (c + 1) * p));
    if (rows.length > 0) out.push({ term, rows });
  });
  return out;
}

/**
 * lmerTest's `anova(m)`: type III F-tests of each fixed-effect term with Satterthwaite's
 * (default) or Kenward–Roger's df.
 */
export function anovaType3(fit: LmmFit, opts: { ddf?: DdfMethod } = {}): Type3Table {
  requireLmm(fit, "anovaType3", "for a GLMM compare nested models by likelihood-ratio tests with anova()");
  const method = opts.ddf ?? "satterthwaite";
  const v = method === "satterthwaite" ? varparAnalysis(fit) : null;
  const s2 = fit.sigma * fit.sigma;
  const rows = type3Contrasts(fit).map(({ term, rows: L }) => {
    const f = v ? contrastFTest(v, L) : kenwardRogerFTest(fit, L);
    const meanSq = (f.unscaledF ?? f.F) * s2;
    return {
      term,
      sumSq: meanSq * f.numDF,
      meanSq,
      numDF: f.numDF,
      denDF: f.denDF,
      F: f.F,
      pValue: f.pValue,
    };
  });
  return { method, rows };
}
