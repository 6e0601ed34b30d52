/**
 * One entry point for the derivative-free optimisers. `method` defaults to "bobyqa", which also
 * handles n = 1 (NPT = 3); "brent" (n = 1 with finite bounds only) and "nelder-mead" on request.
 * See `types.ts` for the shared conventions and each optimiser's file for its defaults.
 */
import { OptionError } from "../errors.ts";
import { bobyqa } from "./bobyqa.ts";
import { brent } from "./brent.ts";
import { nelderMead } from "./nelder-mead.ts";
import type { Objective, OptimMethod, OptimOptions, OptimResult } from "./types.ts";

export interface MinimizeOptions extends OptimOptions {
  method?: OptimMethod;
}

export function minimize(f: Objective, x0: ArrayLike<number>, opts: MinimizeOptions = {}): OptimResult {
  const method = opts.method ?? "bobyqa";
  switch (method) {
    case "bobyqa":
      return bobyqa(f, x0, opts);
    case "nelder-mead":
      return nelderMead(f, x0, opts);
    case "brent":
      return brent(f, x0, opts);
    default:
      throw new OptionError(
        `unknown optimisation method "${String(method)}"`,
        'Use "bobyqa", "nelder-mead" or "brent"',
      );
  }
}
