/**
 * t-tests of the fixed effects with denominator degrees of freedom, as lmerTest's `summary(m, ddf)`:
 * Satterthwaite's approximation (lmerTest's default) or Kenward–Roger's (pbkrtest).
 */
import type { LmmFit } from "../lmm/fit-lmm.ts";
import type { Warning } from "../errors.ts";
import { kenwardRogerTests } from "./kenward-roger.ts";
import { type CoefTest, satterthwaiteTests } from "./satterthwaite.ts";
import { varparAnalysis } from "./varpar.ts";
import { requireLmm } from "../lmm/require-lmm.ts";

export type DdfMethod = "satterthwaite" | "kenward-roger";

export interface FixedEffectTests {
  readonly method: DdfMethod;
  readonly rows: readonly CoefTest[];
  /** Warnings about the variance parameters' Hessian (unreliable df). */
  readonly warnings: readonly Warning[];
}

/** lmerTest's coefficient table: estimate, SE, df, t and p of every fixed effect. */
export function fixedEffectTests(fit: LmmFit, opts: { ddf?: DdfMethod } = {}): FixedEffectTests {
  requireLmm(
    fit,
    "fixedEffectTests",
    "a GLMM's fixed effects have Wald z tests (fit.se, printSummary); compare nested GLMMs with anova()",
  );
  const method = opts.ddf ?? "satterthwaite";
  const rows = method === "kenward-roger" ? kenwardRogerTests(fit) : satterthwaiteTests(fit);
  return { method, rows, warnings: varparAnalysis(fit).warnings };
}
