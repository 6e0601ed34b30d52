/**
 * The link-function interface of the GLM families (R's `make.link()`): η = g(μ), μ = g⁻¹(η) and
 * dμ/dη, each as a scalar function and as a loop over a whole Float64Array (no allocation per row;
 * PIRLS calls the array forms every iteration). Implementations are in `make-link.ts`.
 */

/** Links implemented here (R's names). */
export type LinkName = "logit" | "probit" | "cloglog" | "log" | "identity";

export interface Link {
  readonly name: LinkName;
  /** η = g(μ) (R's `linkfun`). */
  linkfun(mu: number): number;
  /** μ = g⁻¹(η) (R's `linkinv`), clamped as R clamps it so μ stays strictly inside the domain. */
  linkinv(eta: number): number;
  /** dμ/dη at η (R's `mu.eta`), bounded below by DBL_EPSILON where R bounds it. */
  muEta(eta: number): number;
  /** Whether η is a valid linear predictor (R's `valideta`; every link here accepts any η). */
  validEta(eta: Float64Array): boolean;
  /** `out[i] = linkfun(mu[i])` for every i (out may be mu). */
  linkfunInto(mu: Float64Array, out: Float64Array): void;
  /** `out[i] = linkinv(eta[i])` for every i (out may be eta). */
  linkinvInto(eta: Float64Array, out: Float64Array): void;
  /** `out[i] = muEta(eta[i])` for every i (out may be eta). */
  muEtaInto(eta: Float64Array, out: Float64Array): void;
}
