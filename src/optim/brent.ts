/**
 * Bounded one-dimensional minimisation by Brent's method: golden-section search safeguarding
 * successive parabolic interpolation (R.P. Brent, "Algorithms for Minimization without
 * Derivatives", 1973, ch. 5). Written from the method's description.
 *
 * Needs finite bounds [lower, upper] (`OptionError` otherwise). The interval is shrunk until it is
 * shorter than 4·tol around the best point, tol = 1.5e-8·|x| + xtolAbs/3 (xtolAbs default 1e-10).
 * Brent's method only evaluates interior points, so when the best point ends within
 * 1e-6·(upper − lower) + 4·tol of a bound, the bound itself is evaluated (one extra evaluation) and
 * kept if it is lower (minimum on the boundary, e.g. θ = 0).
 * x0 is used only as the first evaluation (when strictly inside). maxfun default 500.
 */
import { OptionError } from "../errors.ts";
import { Evaluator, positiveOption, setupProblem, tolOption } from "./evaluator.ts";
import type { Objective, OptimOptions, OptimResult } from "./types.ts";

const GOLD = 0.5 * (3 - Math.sqrt(5)); // 0.381966…

export function brent(f: Objective, x0: ArrayLike<number>, opts: OptimOptions = {}): OptimResult {
  const { n, lower, upper, x0: start } = setupProblem(x0, opts);
  if (n !== 1) throw new OptionError(`brent minimises functions of one variable, but x0 has length ${n}`);
  let a = lower[0];
  let b = upper[0];
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    throw new OptionError(
      `brent needs finite bounds, got [${a}, ${b}]`,
      'Give finite bounds or use method "bobyqa"',
    );
  }
  const maxfun = positiveOption(opts.maxfun, 500, "maxfun");
  const xtol = tolOption(opts.xtolAbs, 1e-10, "xtolAbs");
  const ev = new Evaluator(f, 1, maxfun, opts.trace === true);
  const buf = new Float64Array(1);
  const fx1 = (t: number): number => {
    buf[0] = t;
    return ev.eval(buf);
  };
  if (a === b) {
    fx1(a);
    return ev.result("brent", "xtol", "the interval has zero length");
  }
  // x: best point, w: second best, v: previous w; e: the step before last; d: last step
  let x = start[0] > a && start[0] < b ? start[0] : a + GOLD * (b - a);
  let w = x;
  let v = x;
  let fxv = fx1(x);
  let fw = fxv;
  let fv = fxv;
  let d = 0;
  let e = 0;
  let status: "xtol" | "maxfun" = "maxfun";
  while (!ev.exhausted) {
    const mid = 0.5 * (a + b);
    const tol = 1.5e-8 * Math.abs(x) + xtol / 3;
    const tol2 = 2 * tol;
    if (Math.abs(x - mid) <= tol2 - 0.5 * (b - a)) {
      status = "xtol";
      break;
    }
    let golden = true;
    if (Math.abs(e) > tol) {
      // parabola through (v, fv), (w, fw), (x, fx): step p/q from x
      const r = (x - w) * (fxv - fv);
      let q = (x - v) * (fxv - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      else q = -q;
      const eOld = e;
      // accept when inside (a, b) and smaller than half the step before last
      if (Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x)) {
        e = d;
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = x < mid ? tol : -tol;
        golden = false;
      }
    }
    if (golden) {
      e = x < mid ? b - x : a - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol ? x + d : x + (d > 0 ? tol : -tol);
    const fu = fx1(u);
    if (fu <= fxv) {
      if (u < x) b = x;
      else a = x;
      v = w;
      fv = fw;
      w = x;
      fw = fxv;
      x = u;
      fxv = fu;
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        v = w;
        fv = fw;
        w = u;
        fw = fu;
      } else if (fu <= fv || v === x || v === w) {
        v = u;
        fv = fu;
      }
    }
  }
  // boundary minimum: try the bound itself
  const near = 1e-6 * (upper[0] - lower[0]) + 4 * (1.5e-8 * Math.abs(x) + xtol);
  if (x - lower[0] <= near && x !== lower[0] && !ev.exhausted) fx1(lower[0]);
  if (upper[0] - x <= near && x !== upper[0] && !ev.exhausted) fx1(upper[0]);
  const msg =
    status === "xtol"
      ? "converged: bracketing interval below tolerance"
      : `stopped after ${ev.feval} evaluations (maxfun = ${maxfun})`;
  return ev.result("brent", status, msg);
}
