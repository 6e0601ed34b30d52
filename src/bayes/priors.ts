/**
 * Priors of the Bayesian mixed models, per brms parameter class:
 *
 * | class | parameters | distributions |
 * |---|---|---|
 * | `b` | every fixed-effect coefficient (`b_Intercept` included unless an `Intercept` prior is given) | normal, student_t, cauchy, uniform, flat |
 * | `Intercept` | `b_Intercept` only (same as `b_Intercept`) | as `b` |
 * | `sd` | random-effect SDs `sd_<group>__<term>` (truncated to > 0) | normal, student_t, cauchy, exponential, uniform, flat |
 * | `cor` | the correlation matrix of each vector term `(x | g)` | lkj(eta), flat (= lkj(1)) |
 * | `sigma` | residual SD (truncated to > 0) | as `sd` |
 *
 * A prior may name one coefficient or group: `b_x`, `sd_group`, `sd_group__x`, `cor_group`; the
 * most specific prior wins, and among equally specific ones the last. Densities are used as Stan's
 * `~` statements: every additive constant that does not depend on the parameters is dropped
 * (normalising constants and the truncation to > 0 of `sd` and `sigma`, a constant for fixed
 * prior arguments). `uniform(a, b)` restricts the support (the sampler's transform maps the real
 * line onto (a, b), with its Jacobian).
 *
 * Defaults (`defaultPriorConstants`), brms-like and scaled to the data, as the Stan references:
 * `s = max(2.5, round(mad(y), 1))`; the intercept column ~ `student_t(3, round(median(y), 1), s)`
 * (on the intercept itself: the covariates are not centred); every other column j ~
 * `normal(0, round(2.5·sd(y)/sd(x_j), 1))` (rstanarm's autoscaling; a column constant in the data,
 * possible only without an intercept, uses its root mean square instead of its SD); every `sd` and
 * `sigma` ~ `student_t(3, 0, s)` truncated to > 0; every correlation ~ `lkj(2)`. A rounded scale
 * of 0 (data on a scale below 0.05) keeps two significant digits instead.
 */
import { median, sd as sampleSd } from "../util/stats.ts";
import { PriorError } from "./prior-error.ts";

export type PriorClass = "b" | "Intercept" | "sd" | "cor" | "sigma";

export type PriorDistribution =
  | { readonly family: "normal"; readonly mu: number; readonly sigma: number }
  | { readonly family: "student_t"; readonly nu: number; readonly mu: number; readonly sigma: number }
  | { readonly family: "cauchy"; readonly mu: number; readonly sigma: number }
  | { readonly family: "exponential"; readonly rate: number }
  | { readonly family: "uniform"; readonly lower: number; readonly upper: number }
  | { readonly family: "flat" }
  | { readonly family: "lkj"; readonly eta: number };

/** A user prior: class, optionally one group (sd, cor) and/or coefficient (b, sd), and the distribution. */
export interface PriorSpec {
  readonly class: PriorClass;
  /** Grouping factor as in the output names (`Subject`, `cask:batch`); sd and cor only. */
  readonly group?: string;
  /** Coefficient: an X column (`Days`, `Intercept`) for b, a random term's column for sd. */
  readonly coef?: string;
  readonly dist: PriorDistribution;
  /** The string it was parsed from, for error messages. */
  readonly text?: string;
}

/** Support of a scalar parameter on the constrained scale, and so its unconstraining transform. */
export type Support =
  | { readonly kind: "real" }
  | { readonly kind: "positive" }
  | { readonly kind: "interval"; readonly lower: number; readonly upper: number };

/** The prior of one scalar parameter, ready for evaluation. */
export interface ScalarPrior {
  /** Output name: `b_Intercept`, `sd_Subject__Days`, `sigma`. */
  readonly name: string;
  readonly dist: PriorDistribution;
  readonly support: Support;
  readonly source: "default" | "user";
}

/** The LKJ prior of one correlation block (one vector random term). */
export interface CorPrior {
  /** `cor_<group>` (one per vector term). */
  readonly name: string;
  readonly eta: number;
  readonly source: "default" | "user";
}

/** The data-derived constants of the default priors (see the module comment). */
export interface DefaultPriorConstants {
  /** round(median(y), 1). */
  readonly interceptLocation: number;
  /** s = max(2.5, round(mad(y), 1)): intercept, sd and sigma scale. */
  readonly scale: number;
  /** Scale of the normal prior of each X column (NaN for the intercept column). */
  readonly bScales: readonly number[];
  readonly lkjEta: number;
}

/** R's round(x, 1), falling back to two significant digits when that would give 0. */
function round1(x: number): number {
  const r = Number(x.toFixed(1));
  if (r !== 0 || x === 0) return r;
  return Number(x.toPrecision(2));
}

/** R's mad(): 1.4826 · median(|y − median(y)|). */
export function mad(y: ArrayLike<number>): number {
  const m = median(y);
  return 1.4826 * median(Float64Array.from(y, (v) => Math.abs(v - m)));
}

/**
 * The default-prior constants for response `y` and the n×p column-major `X` with column names
 * `xnames` (`(Intercept)` marks the intercept).
 */
export function defaultPriorConstants(
  y: ArrayLike<number>,
  X: ArrayLike<number>,
  n: number,
  xnames: readonly string[],
): DefaultPriorConstants {
  const s = Math.max(2.5, round1(mad(y)));
  const sdy = sampleSd(y);
  const bScales = xnames.map((name, j) => {
    if (name === "(Intercept)") return Number.NaN;
    const col = Array.prototype.slice.call(X, j * n, (j + 1) * n) as number[];
    let sx = sampleSd(col);
    if (!(sx > 0)) sx = Math.sqrt(col.reduce((a, v) => a + v * v, 0) / n);
    const v = round1((2.5 * sdy) / sx);
    return v > 0 && Number.isFinite(v) ? v : 2.5;
  });
  return { interceptLocation: round1(median(y)), scale: s, bScales, lkjEta: 2 };
}

/** Shortest decimal text of a number. */
function num(x: number): string {
  return String(x);
}

/** `normal(0, 5)`, `student_t(3, 0, 59.3)`, `flat`. */
export function formatDistribution(d: PriorDistribution): string {
  switch (d.family) {
    case "normal":
      return `normal(${num(d.mu)}, ${num(d.sigma)})`;
    case "student_t":
      return `student_t(${num(d.nu)}, ${num(d.mu)}, ${num(d.sigma)})`;
    case "cauchy":
      return `cauchy(${num(d.mu)}, ${num(d.sigma)})`;
    case "exponential":
      return `exponential(${num(d.rate)})`;
    case "uniform":
      return `uniform(${num(d.lower)}, ${num(d.upper)})`;
    case "flat":
      return "flat";
    case "lkj":
      return `lkj(${num(d.eta)})`;
  }
}

/** One line stating a scalar prior: `b_Intercept ~ student_t(3, 288.7, 59.3)`, `sigma ~ student_t(3, 0, 59.3) T[0, ]`. */
export function formatScalarPrior(p: ScalarPrior): string {
  const base = `${p.name} ~ ${formatDistribution(p.dist)}`;
  if (p.support.kind === "positive") return `${base} T[0, ]`;
  if (p.support.kind === "interval" && p.dist.family !== "uniform")
    return `${base} T[${num(p.support.lower)}, ${num(p.support.upper)}]`;
  return base;
}

export function formatCorPrior(p: CorPrior): string {
  return `${p.name} ~ lkj(${num(p.eta)})`;
}

/** Check a distribution's arguments (finite, positive scales, lower < upper). */
export function validateDistribution(d: PriorDistribution, text = ""): void {
  const bad = (msg: string): never => {
    throw new PriorError(
      "E_PRIOR_BAD_ARGUMENT",
      `${formatDistributionSafe(d)}: ${msg}`,
      text,
      [0, text.length],
      "fix the arguments of the distribution",
    );
  };
  const finite = (...v: number[]) => {
    if (!v.every(Number.isFinite)) bad("every argument must be a finite number");
  };
  switch (d.family) {
    case "normal":
    case "cauchy":
      finite(d.mu, d.sigma);
      if (!(d.sigma > 0)) bad("the scale must be positive");
      break;
    case "student_t":
      finite(d.nu, d.mu, d.sigma);
      if (!(d.nu > 0)) bad("the degrees of freedom must be positive");
      if (!(d.sigma > 0)) bad("the scale must be positive");
      break;
    case "exponential":
      finite(d.rate);
      if (!(d.rate > 0)) bad("the rate must be positive");
      break;
    case "uniform":
      finite(d.lower, d.upper);
      if (!(d.lower < d.upper)) bad("the lower bound must be below the upper bound");
      break;
    case "lkj":
      finite(d.eta);
      if (!(d.eta > 0)) bad("eta must be positive");
      break;
    case "flat":
      break;
  }
}

function formatDistributionSafe(d: PriorDistribution): string {
  try {
    return formatDistribution(d);
  } catch {
    return String((d as { family?: unknown }).family);
  }
}

/** Log kernel of a scalar prior at x (constants dropped; 0 for flat and uniform). */
export function priorLogKernel(d: PriorDistribution, x: number): number {
  switch (d.family) {
    case "normal": {
      const z = (x - d.mu) / d.sigma;
      return -0.5 * z * z;
    }
    case "student_t": {
      const z = (x - d.mu) / d.sigma;
      return -0.5 * (d.nu + 1) * Math.log1p((z * z) / d.nu);
    }
    case "cauchy": {
      const z = (x - d.mu) / d.sigma;
      return -Math.log1p(z * z);
    }
    case "exponential":
      return -d.rate * x;
    default:
      return 0;
  }
}

/** Derivative of `priorLogKernel` with respect to x. */
export function priorLogKernelDerivative(d: PriorDistribution, x: number): number {
  switch (d.family) {
    case "normal":
      return -(x - d.mu) / (d.sigma * d.sigma);
    case "student_t": {
      const r = x - d.mu;
      return (-(d.nu + 1) * r) / (d.nu * d.sigma * d.sigma + r * r);
    }
    case "cauchy": {
      const r = x - d.mu;
      return (-2 * r) / (d.sigma * d.sigma + r * r);
    }
    case "exponential":
      return -d.rate;
    default:
      return 0;
  }
}

/** The parameters of a model that priors attach to. */
export interface PriorTargets {
  /** X column names (`(Intercept)` for the intercept). */
  readonly xnames: readonly string[];
  /** Random-effect SDs: grouping factor (output name) and column (`(Intercept)`, `Days`). */
  readonly sds: readonly { readonly group: string; readonly coef: string }[];
  /** Grouping factors of the vector terms that have a correlation, one entry per term. */
  readonly cors: readonly string[];
  /** Default constants. */
  readonly defaults: DefaultPriorConstants;
}

/** brms's coefficient name: `Intercept` for `(Intercept)`. */
export function brmsCoef(name: string): string {
  return name === "(Intercept)" ? "Intercept" : name;
}

export interface ResolvedPriors {
  /** One per X column, in X order. */
  readonly b: readonly ScalarPrior[];
  /** One per entry of `targets.sds`. */
  readonly sd: readonly ScalarPrior[];
  /** One per entry of `targets.cors`. */
  readonly cor: readonly CorPrior[];
  readonly sigma: ScalarPrior;
  /** The priors as text, one line each, in output order (b, sd, sigma, cor). */
  readonly text: readonly string[];
}

function supportFor(dist: PriorDistribution, positive: boolean, name: string, spec?: PriorSpec): Support {
  if (dist.family === "uniform") {
    const lower = positive ? Math.max(0, dist.lower) : dist.lower;
    if (!(dist.upper > lower)) {
      throw new PriorError(
        "E_PRIOR_BAD_ARGUMENT",
        `${name} must be positive, but ${formatDistribution(dist)} puts no mass above 0`,
        spec?.text ?? "",
        [0, spec?.text?.length ?? 0],
        "give an upper bound above 0",
      );
    }
    return { kind: "interval", lower, upper: dist.upper };
  }
  if (positive) return { kind: "positive" };
  if (dist.family === "exponential" || dist.family === "lkj") {
    throw new PriorError(
      "E_PRIOR_BAD_ARGUMENT",
      `${dist.family} cannot be the prior of ${name}, a coefficient on the whole real line`,
      spec?.text ?? "",
      [0, spec?.text?.length ?? 0],
      "use normal, student_t, cauchy, uniform or flat",
    );
  }
  return { kind: "real" };
}

function specificity(s: PriorSpec): number {
  return (s.group !== undefined ? 1 : 0) + (s.coef !== undefined ? 2 : 0) + (s.class === "Intercept" ? 2 : 0);
}

function pick(specs: readonly PriorSpec[], match: (s: PriorSpec) => boolean): PriorSpec | undefined {
  let best: PriorSpec | undefined;
  for (const s of specs)
    if (match(s) && (best === undefined || specificity(s) >= specificity(best))) best = s;
  return best;
}

function unknown(spec: PriorSpec, what: string, known: readonly string[]): never {
  const text = spec.text ?? "";
  const colon = text.lastIndexOf(":");
  throw new PriorError(
    "E_PRIOR_UNKNOWN_CLASS",
    `this model has no ${what}`,
    text,
    [0, colon >= 0 ? colon : text.length],
    known.length > 0 ? `it has: ${known.join(", ")}` : "this model has no such parameter; drop the prior",
  );
}

/**
 * Attach priors to every parameter: the user's `specs` where one matches (most specific, then
 * last, wins), else the defaults. Throws `PriorError` E_PRIOR_UNKNOWN_CLASS for a spec that
 * matches no parameter of the model, E_PRIOR_BAD_ARGUMENT for a distribution that does not fit its
 * class (lkj on a coefficient, exponential on b, normal on cor).
 */
export function resolvePriors(specs: readonly PriorSpec[], targets: PriorTargets): ResolvedPriors {
  const d = targets.defaults;
  const bNames = targets.xnames.map(brmsCoef);
  for (const s of specs) {
    validateDistribution(s.dist, s.text);
    const isLkj = s.dist.family === "lkj";
    if (s.class === "cor") {
      if (!(isLkj || s.dist.family === "flat")) {
        throw new PriorError(
          "E_PRIOR_BAD_ARGUMENT",
          `a correlation prior must be lkj(eta) or flat, not ${s.dist.family}`,
          s.text ?? "",
          [0, s.text?.length ?? 0],
          'write e.g. "cor: lkj(2)"',
        );
      }
    } else if (isLkj) {
      throw new PriorError(
        "E_PRIOR_BAD_ARGUMENT",
        `lkj is a prior for correlation matrices (class cor), not for class ${s.class}`,
        s.text ?? "",
        [0, s.text?.length ?? 0],
        'write e.g. "cor: lkj(2)"',
      );
    }
    if ((s.class === "b" || s.class === "Intercept") && s.group !== undefined)
      unknown(s, "grouping on b", []);
    if (s.class === "b" && s.coef !== undefined && !bNames.includes(s.coef))
      unknown(
        s,
        `coefficient '${s.coef}'`,
        bNames.map((b) => `b_${b}`),
      );
    if (s.class === "Intercept" && !bNames.includes("Intercept"))
      unknown(
        s,
        "intercept",
        bNames.map((b) => `b_${b}`),
      );
    if (s.class === "sd") {
      const ok = targets.sds.some(
        (t) =>
          (s.group === undefined || t.group === s.group) &&
          (s.coef === undefined || brmsCoef(t.coef) === s.coef),
      );
      if (!ok)
        unknown(
          s,
          `random-effect SD ${s.group === undefined ? "" : `of '${s.group}'`}${s.coef === undefined ? "" : ` for '${s.coef}'`}`.trim(),
          targets.sds.map((t) => `sd_${t.group}__${brmsCoef(t.coef)}`),
        );
    }
    if (s.class === "cor" && !targets.cors.some((g) => s.group === undefined || g === s.group))
      unknown(s, s.group === undefined ? "correlation" : `correlation for '${s.group}'`, [
        ...new Set(targets.cors.map((g) => `cor_${g}`)),
      ]);
    if (s.class === "sigma" && (s.group !== undefined || s.coef !== undefined))
      unknown(s, "per-group sigma", ["sigma"]);
  }
  const b = targets.xnames.map((x, j): ScalarPrior => {
    const coef = brmsCoef(x);
    const name = `b_${coef}`;
    const spec = pick(
      specs,
      (s) =>
        (s.class === "b" && (s.coef === undefined || s.coef === coef)) ||
        (s.class === "Intercept" && coef === "Intercept"),
    );
    const dist: PriorDistribution =
      spec?.dist ??
      (coef === "Intercept"
        ? { family: "student_t", nu: 3, mu: d.interceptLocation, sigma: d.scale }
        : { family: "normal", mu: 0, sigma: d.bScales[j] });
    return { name, dist, support: supportFor(dist, false, name, spec), source: spec ? "user" : "default" };
  });
  const sd = targets.sds.map((t): ScalarPrior => {
    const coef = brmsCoef(t.coef);
    const name = `sd_${t.group}__${coef}`;
    const spec = pick(
      specs,
      (s) =>
        s.class === "sd" &&
        (s.group === undefined || s.group === t.group) &&
        (s.coef === undefined || s.coef === coef),
    );
    const dist: PriorDistribution = spec?.dist ?? { family: "student_t", nu: 3, mu: 0, sigma: d.scale };
    return { name, dist, support: supportFor(dist, true, name, spec), source: spec ? "user" : "default" };
  });
  const sigmaSpec = pick(specs, (s) => s.class === "sigma");
  const sigmaDist: PriorDistribution = sigmaSpec?.dist ?? {
    family: "student_t",
    nu: 3,
    mu: 0,
    sigma: d.scale,
  };
  const sigma: ScalarPrior = {
    name: "sigma",
    dist: sigmaDist,
    support: supportFor(sigmaDist, true, "sigma", sigmaSpec),
    source: sigmaSpec ? "user" : "default",
  };
  const cor = targets.cors.map((g): CorPrior => {
    const spec = pick(specs, (s) => s.class === "cor" && (s.group === undefined || s.group === g));
    const eta = spec === undefined ? d.lkjEta : spec.dist.family === "lkj" ? spec.dist.eta : 1;
    return { name: `cor_${g}`, eta, source: spec ? "user" : "default" };
  });
  const text = [
    ...b.map(formatScalarPrior),
    ...sd.map(formatScalarPrior),
    formatScalarPrior(sigma),
    ...[...new Set(cor.map(formatCorPrior))],
  ];
  return { b, sd, cor, sigma, text };
}
