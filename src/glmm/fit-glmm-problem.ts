/**
 * Fit a GLMM by maximum likelihood as glmer does (algorithm.md §9): stage 1 optimises θ with β
 * inside PIRLS (nAGQ = 0), stage 2 (nAGQ ≥ 1) optimises (θ, β) jointly over the Laplace or the
 * adaptive Gauss–Hermite deviance, with PIRLS for u only, starting from the stage-1 solution.
 * The quadrature is lme4's rule for a single scalar term (`agqDeviance`); the extended mode takes a
 * single vector term per level (`agqDevianceVector`) and several terms per block of linked random
 * effects (`agqDevianceComponents`).
 * Both stages use BOBYQA; stage 2 works on β in units of its stage-1 standard error so that all
 * coordinates have comparable scales. Standard errors come from a finite-difference Hessian of the
 * stage-2 deviance over (θ, β), as lme4 reports them (`se`), next to the ones from the factor
 * (`seRX`, lme4's `vcov(m, use.hessian = FALSE)`).
 */
import { type Warning, NumericalError, OptionError, SpecError } from "../errors.ts";
import { vcovFromL } from "../lmm/lmm-estimates.ts";
import type { LmmModel } from "../lmm/lmm-model.ts";
import { thetaLowerBounds } from "../lmm/lmm-result.ts";
import { bobyqa } from "../optim/bobyqa.ts";
import { agqDeviance, agqDevianceVector, MAX_AGQ_GRID } from "./agq.ts";
import { agqDevianceComponents } from "./agq-components.ts";
import { MAX_NODES } from "./gauss-hermite.ts";
import type { GlmmProblem } from "./glmm-problem.ts";
import { buildGlmmResult, type GlmmQuadrature, type GlmmResult } from "./glmm-result.ts";
import { createGlmmWork, type GlmmWork, type PirlsResult, pirls, pirlsLme4, setFixed } from "./pirls.ts";
import { describeComponent, type ReComponents, reComponents } from "./re-components.ts";

export interface FitGlmmOptions {
  /**
   * Quadrature points: 1 = Laplace (default), 0 = θ only with β inside PIRLS (glmer nAGQ = 0,
   * MixedModels `fast = true`), > 1 = adaptive Gauss–Hermite (single scalar random-effects term).
   */
  readonly nAGQ?: number;
  /** Evaluation budget per optimisation stage (default 10000). */
  readonly maxfun?: number;
  /** Starting θ (input order); default λ = I. */
  readonly start?: ArrayLike<number>;
  /**
   * Optimise the exact Laplace (or AGQ) deviance: PIRLS converged to 1e-10 in the step, warm
   * started, log|L|² at the final working weights. Default false: lme4's evaluation (`pirlsLme4`),
   * which restarts every evaluation from the previous stage's linear predictor, stops at a 1e-7
   * relative change and takes log|L|² one step early, so that the estimates and standard errors
   * reproduce glmer's (the two optima differ by about 1e-3 standard errors on cbpp).
   */
  readonly exactLaplace?: boolean;
  /**
   * Which models adaptive quadrature (nAGQ > 1) may take. "lme4" (default): a single scalar
   * random-effects term, as lme4 and MixedModels.jl. "extended" (neither has it): any random
   * effects, by a product rule over each block of random effects linked through shared
   * observations (a single vector term: per level, S effects; nested terms: per level of the outer
   * factor with its inner levels; crossed factors: usually one block of all levels). A block of d
   * effects costs nAGQ^d points, at most 10,000 (`E_SPEC_NAGQ` above).
   */
  readonly agq?: AgqMode;
}

/** The models nAGQ > 1 may take: lme4's rule (a single scalar term) or the extended mode. */
export type AgqMode = "lme4" | "extended";

/** Step of the finite differences for the Hessian (lme4's deriv12 delta). */
const HESS_DELTA = 1e-4;

/**
 * Check nAGQ for the model: an integer 0..100; > 1 needs a single scalar term, or the extended
 * mode with every block of linked random effects within the grid limit. Returns those blocks when
 * the extended deviance over them will be used (several terms), else null.
 */
export function checkNagq(problem: GlmmProblem, nAGQ: number, mode: AgqMode = "lme4"): ReComponents | null {
  if (!Number.isInteger(nAGQ) || nAGQ < 0 || nAGQ > MAX_NODES)
    throw new OptionError(`nAGQ must be an integer from 0 to ${MAX_NODES}, got ${nAGQ}`);
  if (mode !== "lme4" && mode !== "extended")
    throw new OptionError(`agq must be "lme4" or "extended", got '${String(mode)}'`);
  if (nAGQ <= 1) return null;
  const rt = problem.reterms;
  if (rt.length === 1 && rt[0].cnames.length === 1) return null;
  if (mode === "extended") {
    const limitHint = (d: number): string => {
      const most = Math.floor(MAX_AGQ_GRID ** (1 / d) + 1e-9);
      return most >= 2
        ? `use nAGQ = ${most} or fewer points for this model, or nAGQ = 1 (Laplace)`
        : `no nAGQ > 1 fits within the limit for ${d} linked random effects: use nAGQ = 1 (Laplace)`;
    };
    if (rt.length === 1) {
      const S = rt[0].cnames.length;
      if (nAGQ ** S > MAX_AGQ_GRID)
        throw new SpecError(
          "E_SPEC_NAGQ",
          `nAGQ = ${nAGQ} for the ${S}-column term (${rt[0].cnames.join(" + ")} | ${rt[0].factor}) needs ${nAGQ}^${S} = ${nAGQ ** S} quadrature points per level, more than the limit of ${MAX_AGQ_GRID}`,
          limitHint(S),
        );
      return null;
    }
    const comps = reComponents(rt, problem.y.length);
    const d = comps.maxDim;
    if (nAGQ ** d > MAX_AGQ_GRID) {
      const big = comps.components[comps.largest];
      // several levels of two or more terms in one block: crossed factors
      const perTerm = new Map<number, number>();
      for (const i of big.terms) perTerm.set(i, (perTerm.get(i) ?? 0) + 1);
      const crossed = [...perTerm.values()].filter((m) => m > 1).length > 1;
      throw new SpecError(
        "E_SPEC_NAGQ",
        `nAGQ = ${nAGQ} in the extended mode needs ${nAGQ}^${d} = ${nAGQ ** d} quadrature points for the largest block of random effects linked through shared observations (${d} effects: ${describeComponent(rt, big)}; ${comps.components.length} block${comps.components.length === 1 ? "" : "s"} in all), more than the limit of ${MAX_AGQ_GRID} points per block`,
        crossed
          ? `${limitHint(d)}; crossed grouping factors link most levels into one block, which quadrature cannot reach`
          : limitHint(d),
      );
    }
    return comps;
  }
  throw new SpecError(
    "E_SPEC_NAGQ",
    `nAGQ = ${nAGQ} (adaptive Gauss–Hermite quadrature) needs a single scalar random-effects term such as (1 | g), but the model has ${rt.length === 1 ? `the vector-valued term (${rt[0].cnames.join(" + ")} | ${rt[0].factor})` : `${rt.length} random-effects terms`}`,
    'use nAGQ = 1 (the Laplace approximation) or nAGQ = 0, as lme4 does, or ask for the extended mode (agq: "extended", CLI --agq extended), which integrates each block of linked random effects by a product rule',
  );
}

/** Snapshot of the PIRLS state, restored after a failed evaluation. */
function saver(work: GlmmWork): { save(): void; restore(): void } {
  const u = new Float64Array(work.q);
  const b = new Float64Array(work.p);
  return {
    save() {
      u.set(work.u);
      b.set(work.beta);
    },
    restore() {
      work.u.set(u);
      setFixed(work, b);
    },
  };
}

export function fitGlmmProblem(problem: GlmmProblem, options: FitGlmmOptions = {}): GlmmResult {
  return fitGlmmModel(problem, options).result;
}

/**
 * `fitGlmmProblem` that also hands out the engine model it built (L factored at the optimum).
 * `hessian: false` skips the finite-difference Hessian (the standard errors are then the factor's,
 * `vcovMethod` "rx"): for refits whose standard errors nobody reads (the parametric bootstrap).
 */
export function fitGlmmModel(
  problem: GlmmProblem,
  options: FitGlmmOptions = {},
  hessian = true,
): { result: GlmmResult; model: LmmModel } {
  const nAGQ = options.nAGQ ?? 1;
  const agqMode = options.agq ?? "lme4";
  const comps = checkNagq(problem, nAGQ, agqMode);
  const maxfun = options.maxfun ?? 10000;
  const work = createGlmmWork(problem);
  const { model, p, n } = work;
  const lower = thetaLowerBounds(model);
  const nth = model.ntheta;
  const theta0 = options.start
    ? Float64Array.from(options.start)
    : Float64Array.from(lower, (l) => (l === 0 ? 1 : 0));
  if (theta0.length !== nth)
    throw new OptionError(`start has length ${theta0.length}, but the model has ${nth} θ parameters`);
  const warnings: Warning[] = [];
  const state = saver(work);

  // ---- stage 1: θ only, β and u by PIRLS (the GLM's starting μ for the first evaluation)
  const fam = problem.family;
  const etaStart = new Float64Array(n);
  const mus = fam.muStart(problem.y, work.prior);
  for (let t = 0; t < n; t++) etaStart[t] = fam.linkfun(mus[t]);
  const exact = options.exactLaplace ?? false;
  const first = exact ? pirls(work, theta0, true, etaStart) : pirlsLme4(work, theta0, true, etaStart);
  const fail1 = first.ldL2 + first.sqrL + first.devResid;
  state.save();
  // lme4 restarts every evaluation of a stage from the linear predictor at its start (lp0)
  const lp1 = Float64Array.from(work.eta);
  const run = (th: ArrayLike<number>, varyBeta: boolean, lp: Float64Array, modesOnly = false): PirlsResult =>
    exact ? pirls(work, th, varyBeta) : pirlsLme4(work, th, varyBeta, lp, { modesOnly });
  const f1 = (x: Float64Array): number => {
    try {
      const r = run(x, true, lp1);
      state.save();
      return r.ldL2 + r.sqrL + r.devResid;
    } catch (e) {
      if (!(e instanceof NumericalError)) throw e;
      state.restore();
      return fail1;
    }
  };
  const res1 = bobyqa(f1, theta0, { lower, rhobeg: 0.2, rhoend: 1e-7, maxfun });
  let theta: Float64Array = Float64Array.from(res1.x);
  // the final state at θ̂₀ (PIRLS is warm-started: the result does not depend on the history)
  let final = run(theta, true, lp1);
  const beta0 = Float64Array.from(work.beta);
  let feval = res1.feval;
  let converged = res1.converged;
  let message = res1.message;
  let objective = final.ldL2 + final.sqrL + final.devResid;
  let x2: Float64Array | null = null;
  let f2: ((x: Float64Array) => number) | null = null;
  let full2: ((x: Float64Array) => number) | null = null;
  const seScale = new Float64Array(p);
  if (nAGQ >= 1) {
    // ---- stage 2: (θ, β) jointly, u by PIRLS; β = β₀ + s∘δ with s the stage-1 standard errors
    const unit = vcovFromL(model, 1);
    for (let j = 0; j < p; j++) {
      const s = (model.xScale[j] * Math.sqrt(unit[j][j])) / model.sigmaFactor;
      seScale[j] = Number.isFinite(s) && s > 0 ? s : 1;
    }
    const toPar = (x: ArrayLike<number>): { th: Float64Array; beta: Float64Array } => {
      const th = new Float64Array(nth);
      for (let i = 0; i < nth; i++) th[i] = x[i];
      const beta = new Float64Array(p);
      for (let j = 0; j < p; j++) beta[j] = beta0[j] + seScale[j] * x[nth + j];
      return { th, beta };
    };
    const lp2 = Float64Array.from(work.eta);
    let last: PirlsResult | null = null;
    // the optimiser and the Hessian need only the deviance: PIRLS leaves the engine's [X y] block
    // out (`modesOnly`); the evaluation that leaves the final state is a full one
    const dev2 = (x: ArrayLike<number>, modesOnly = true): number => {
      const { th, beta } = toPar(x);
      // PIRLS with β fixed forms X β itself (`setFixed`) from work.beta
      work.beta.set(beta);
      const r = run(th, false, lp2, modesOnly);
      last = r;
      if (nAGQ === 1) return r.ldL2 + r.sqrL + r.devResid;
      if (comps) return agqDevianceComponents(work, th, nAGQ, comps);
      return model.terms[0].S > 1 ? agqDevianceVector(work, th, nAGQ) : agqDeviance(work, th, nAGQ);
    };
    const start2 = new Float64Array(nth + p);
    start2.set(theta);
    const fail2 = dev2(start2);
    state.save();
    let feval2 = 1;
    // lme4's evaluation restarts from lp2 and so does not depend on the state it starts from: BOBYQA's
    // first point, start2, was just evaluated and the state is still there (counted all the same)
    let repeat = !exact;
    const safe2 = (x: Float64Array, modesOnly: boolean): number => {
      try {
        const v = dev2(x, modesOnly);
        state.save();
        return v;
      } catch (e) {
        if (!(e instanceof NumericalError)) throw e;
        state.restore();
        return fail2;
      }
    };
    f2 = (x: Float64Array): number => {
      feval2++;
      if (repeat) {
        repeat = false;
        if (x.every((v, i) => v === start2[i])) return fail2;
      }
      return safe2(x, true);
    };
    full2 = (x: Float64Array): number => safe2(x, false);
    const lower2 = [...lower, ...new Array<number>(p).fill(Number.NEGATIVE_INFINITY)];
    const res2 = bobyqa(f2, start2, { lower: lower2, rhobeg: 0.02, rhoend: 1e-6, maxfun });
    x2 = Float64Array.from(res2.x);
    const { th, beta } = toPar(x2);
    theta = th;
    objective = dev2(x2);
    feval = feval2;
    converged = res2.converged;
    message = res2.message;
    if (exact || !last) {
      setFixed(work, beta);
      final = run(th, false, lp2);
    } else final = last; // lme4's evaluation at x2 just ran: the same result
  }
  if (!converged) warnings.push({ code: "not_converged", message: `optimizer did not converge: ${message}` });

  // ---- standard errors: finite-difference Hessian of the stage-2 deviance over (θ, β), as
  // lme4 (calc.derivs = TRUE)
  let vcovHess: number[][] | null = null;
  if (x2 && f2 && full2 && hessian) {
    const fx = objective;
    vcovHess = hessianVcov(f2, x2, fx, nth, p, seScale);
    // restore the state at the optimum (the Hessian moved it), with the whole factor
    full2(x2);
    if (!vcovHess)
      warnings.push({
        code: "glmm_hessian",
        message:
          "the finite-difference Hessian of the deviance over (θ, β) is not positive definite at the optimum: the standard errors come from the factor of the working-weights model instead (lme4's use.hessian = FALSE)",
      });
  }
  const result = buildGlmmResult(work, {
    theta,
    nAGQ,
    quadrature: quadratureInfo(model, nAGQ, comps),
    // the optimisers minimise deviance-residual forms (the saturated constant left out: finite even
    // for non-integer counts); lme4 reports −2 logLik with the full density for nAGQ ≤ 1
    objective: nAGQ > 1 ? objective : objective + work.minus2LogLikSaturated,
    pirls: final,
    vcovHess,
    optinfo: { feval, fevalStage1: res1.feval, converged, message, optimizer: "bobyqa" },
    warnings,
  });
  return { result, model: work.model };
}

/** What the quadrature of nAGQ > 1 integrated: lme4's rule, or the extended mode's blocks. */
export function quadratureInfo(
  model: LmmModel,
  nAGQ: number,
  comps: ReComponents | null,
): GlmmQuadrature | null {
  if (nAGQ <= 1) return null;
  if (comps)
    return {
      mode: "extended",
      blocks: comps.components.length,
      maxDimension: comps.maxDim,
      gridPoints: nAGQ ** comps.maxDim,
    };
  const t = model.terms[0];
  return { mode: t.S === 1 ? "lme4" : "extended", blocks: t.nl, maxDimension: t.S, gridPoints: nAGQ ** t.S };
}

/**
 * 2·H⁻¹ restricted to β (lme4's `calc.vcov.hess`), from central differences of `f` with step
 * HESS_DELTA in the user's (θ, β) coordinates; x is in (θ, δ) with β = β₀ + s∘δ. Null when H is
 * not positive definite.
 */
function hessianVcov(
  f: (x: Float64Array) => number,
  x: Float64Array,
  fx: number,
  nth: number,
  p: number,
  s: Float64Array,
): number[][] | null {
  const m = nth + p;
  const h = Float64Array.from({ length: m }, (_, i) => (i < nth ? HESS_DELTA : HESS_DELTA / s[i - nth]));
  const at = (di: number, si: number, dj: number, sj: number): number => {
    const y = Float64Array.from(x);
    if (di >= 0) y[di] += si * h[di];
    if (dj >= 0) y[dj] += sj * h[dj];
    return f(y);
  };
  // H in user coordinates: d/dβ_j = (1/s_j) d/dδ_j, and the step in δ is δ/s_j so the user step is HESS_DELTA.
  // Diagonal by central differences; off-diagonal from the points x ± (e_i + e_j) and the axial
  // ones: H_ij = [f(++) − f(+i) − f(+j) + 2f − f(−i) − f(−j) + f(−−)] / 2h² (O(h²), 2 evaluations a pair)
  const H = new Float64Array(m * m);
  const fp = new Float64Array(m);
  const fm = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    fp[i] = at(i, 1, -1, 0);
    fm[i] = at(i, -1, -1, 0);
    H[i * m + i] = (fp[i] - 2 * fx + fm[i]) / (HESS_DELTA * HESS_DELTA);
  }
  for (let i = 0; i < m; i++)
    for (let j = 0; j < i; j++) {
      const v =
        (at(i, 1, j, 1) - fp[i] - fp[j] + 2 * fx - fm[i] - fm[j] + at(i, -1, j, -1)) /
        (2 * HESS_DELTA * HESS_DELTA);
      H[i * m + j] = v;
      H[j * m + i] = v;
    }
  const inv = invertSpd(H, m);
  if (!inv) return null;
  const out: number[][] = [];
  for (let a = 0; a < p; a++) {
    const row: number[] = [];
    for (let b = 0; b < p; b++) row.push(2 * inv[(nth + a) * m + nth + b]);
    out.push(row);
  }
  return out;
}

/** Inverse of a symmetric positive definite m×m matrix by Cholesky; null when not SPD. */
function invertSpd(H: Float64Array, m: number): Float64Array | null {
  const L = new Float64Array(m * m);
  for (let j = 0; j < m; j++) {
    let d = H[j * m + j];
    for (let k = 0; k < j; k++) d -= L[j * m + k] * L[j * m + k];
    if (!(d > 0)) return null;
    const r = Math.sqrt(d);
    L[j * m + j] = r;
    for (let i = j + 1; i < m; i++) {
      let s = H[i * m + j];
      for (let k = 0; k < j; k++) s -= L[i * m + k] * L[j * m + k];
      L[i * m + j] = s / r;
    }
  }
  // inverse of L (lower), then Lᵀ⁻¹ L⁻¹
  const Li = new Float64Array(m * m);
  for (let c = 0; c < m; c++) {
    for (let i = c; i < m; i++) {
      let s = i === c ? 1 : 0;
      for (let k = c; k < i; k++) s -= L[i * m + k] * Li[k * m + c];
      Li[i * m + c] = s / L[i * m + i];
    }
  }
  const out = new Float64Array(m * m);
  for (let a = 0; a < m; a++)
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let k = a; k < m; k++) s += Li[k * m + a] * Li[k * m + b];
      out[a * m + b] = s;
      out[b * m + a] = s;
    }
  return out;
}
