/**
 * Random-effects terms as lme4 builds them: each `(lhs | g)` gives a grouping factor (interactions
 * `a:b` with the first factor varying slowest, unused combinations dropped), the per-observation
 * model columns of `lhs`, and lme4's order (by decreasing number of levels, see below). Terms on the
 * same factor get VarCorr names `g`, `g.1`, ... (R's make.unique).
 */
import { SpecError, type Warning } from "../errors.ts";
import type { RandomTerm } from "../formula/model-formula.ts";
import type { FactorVariable } from "./evaluated-variable.ts";
import type { ModelFrame } from "./model-frame.ts";
import {
  checkMatrixSize,
  DEFAULT_MAX_MATRIX_BYTES,
  materializeModelMatrix,
  planModelMatrix,
} from "./model-matrix.ts";

/** One random-effects term, ready for the LMM engine. */
export interface RandomEffectsTerm {
  /** VarCorr group name: "Subject", "Subject.1", "cask:batch". */
  readonly name: string;
  /** Grouping factor label; several terms may share one. */
  readonly factor: string;
  readonly levels: readonly string[];
  /** 0-based level of each observation. */
  readonly refs: Int32Array;
  /** Names of the S model columns, e.g. ["(Intercept)", "Days"]. */
  readonly cnames: readonly string[];
  /** S×n: z[t*S + r] is column r at observation t. */
  readonly z: Float64Array;
  /** Whether the term came from `||` (independent terms). */
  readonly fromDoubleBar: boolean;
}

/** The interaction factor of several grouping factors (first slowest), unused levels dropped. */
export function interactionFactor(factors: readonly FactorVariable[], label: string): FactorVariable {
  const n = factors[0].codes.length;
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let code = 0;
    for (const f of factors) code = code * f.levels.length + f.codes[i];
    combined[i] = code;
  }
  const used = Array.from(new Set(combined)).sort((a, b) => a - b);
  const index = new Map(used.map((c, k) => [c, k]));
  const levels = used.map((c) => {
    const parts: string[] = [];
    for (let k = factors.length - 1; k >= 0; k--) {
      const nl = factors[k].levels.length;
      parts.unshift(factors[k].levels[c % nl]);
      c = Math.floor(c / nl);
    }
    return parts.join(":");
  });
  const codes = Int32Array.from(combined, (c) => index.get(c)!);
  return { kind: "factor", label, codes, levels, ordered: false, contrasts: null };
}

function groupingOf(rt: RandomTerm, frame: ModelFrame): FactorVariable {
  const fs = rt.group.map((g) => frame.groups.get(g)!);
  return fs.length === 1 ? { ...fs[0], label: rt.groupLabel } : interactionFactor(fs, rt.groupLabel);
}

/** Columns (other than the intercept) that never vary within any level of the factor. */
function constantWithinGroups(
  z: Float64Array,
  S: number,
  refs: Int32Array,
  nlev: number,
  r: number,
): boolean {
  const first = new Float64Array(nlev).fill(Number.NaN);
  for (let t = 0; t < refs.length; t++) {
    const v = z[t * S + r];
    const l = refs[t];
    if (Number.isNaN(first[l])) first[l] = v;
    else if (first[l] !== v) return false;
  }
  return true;
}

/**
 * Build the random-effects terms of the frame's formula in lme4's order. `allowN`: a term may have
 * as many levels and random effects as there are observations (glmer's rule; lmer needs fewer).
 */
export function buildRandomEffects(
  frame: ModelFrame,
  maxBytes = DEFAULT_MAX_MATRIX_BYTES,
  allowN = false,
): { terms: RandomEffectsTerm[]; warnings: Warning[] } {
  const n = frame.n;
  const warnings: Warning[] = [];
  const built = frame.formula.random.map((rt) => {
    const g = groupingOf(rt, frame);
    const plan = planModelMatrix(rt.lhs, frame.variables, n);
    const S = plan.p;
    // z (S per row, plus the column-major copy) and the engine's S × S block per level.
    checkMatrixSize(
      plan,
      8 * (2 * n * S + g.levels.length * S * S),
      maxBytes,
      `random-effects matrix of (${rt.lhs.terms.map((t) => t.label).join(" + ") || "1"} | ${rt.groupLabel})`,
      `this term has ${S} columns per level of '${rt.groupLabel}'; use fewer or simpler terms before '|' (e.g. a numeric slope instead of a many-level factor), fewer rows, or raise the limit (the maxBytes option of buildDesign)`,
    );
    const mm = materializeModelMatrix(plan);
    if (S === 0) {
      throw new SpecError(
        "E_SPEC_UNSUPPORTED",
        `random term for '${rt.groupLabel}' has no columns`,
        "write at least an intercept or one variable before '|'",
      );
    }
    const z = new Float64Array(S * n);
    for (let r = 0; r < S; r++) for (let t = 0; t < n; t++) z[t * S + r] = mm.X[r * n + t];
    return { rt, g, cnames: mm.names, z, S };
  });
  for (const b of built) {
    const nl = b.g.levels.length;
    if (nl < 2) {
      throw new SpecError(
        "E_SPEC_TOO_FEW_LEVELS",
        `grouping factor '${b.g.label}' has only ${nl} level among the rows used; a random effect needs at least 2`,
        "drop the random term, or fit an ordinary linear model",
      );
    }
    if (allowN ? nl > n : nl >= n) {
      throw new SpecError(
        "E_SPEC_TOO_MANY_RANDOM_EFFECTS",
        `grouping factor '${b.g.label}' has ${nl} levels for ${n} observations; it must have ${allowN ? "at most as many" : "fewer"} levels than observations`,
        "each level needs repeated observations for its variance to be identifiable",
      );
    }
    if (allowN ? nl * b.S > n : nl * b.S >= n) {
      throw new SpecError(
        "E_SPEC_TOO_MANY_RANDOM_EFFECTS",
        `term (${b.cnames.join(" + ")} | ${b.g.label}) has ${nl * b.S} random effects for ${n} observations`,
        "the random-effects variances and the residual variance are not identifiable; simplify the term",
      );
    }
    b.cnames.forEach((c, r) => {
      if (c !== "(Intercept)" && constantWithinGroups(b.z, b.S, b.g.codes, nl, r)) {
        warnings.push({
          code: "constant_within_groups",
          message: `'${c}' does not vary within levels of '${b.g.label}', so its random slope is confounded with the intercept`,
        });
      }
    });
  }
  // lme4's order (mkReTrms): when any term has more levels than the one before it, reorder by
  // rev(order(nl)): decreasing number of levels, ties in reverse formula order; else keep.
  const nl = built.map((b) => b.g.levels.length);
  let order = built.map((_, i) => i);
  if (nl.some((v, i) => i > 0 && v > nl[i - 1])) {
    order = order.sort((a, b) => nl[a] - nl[b] || a - b).reverse();
  }
  const seen = new Map<string, number>();
  const terms = order.map((i) => {
    const b = built[i];
    const k = seen.get(b.g.label) ?? 0;
    seen.set(b.g.label, k + 1);
    return {
      name: k === 0 ? b.g.label : `${b.g.label}.${k}`,
      factor: b.g.label,
      levels: b.g.levels,
      refs: b.g.codes,
      cnames: b.cnames,
      z: b.z,
      fromDoubleBar: b.rt.fromDoubleBar,
    };
  });
  return { terms, warnings };
}
