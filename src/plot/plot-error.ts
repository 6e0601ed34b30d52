/** The typed error of the plotting layer (codes `E_PLOT_*` of `ErrorCode`). */
import { type ErrorCode, MixedError } from "../errors.ts";

export class PlotError extends MixedError {
  constructor(code: ErrorCode, message: string, hint?: string) {
    super(code, message, hint);
    this.name = "PlotError";
  }
}
