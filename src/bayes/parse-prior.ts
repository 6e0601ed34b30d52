/**
 * `parsePrior`: a prior written as `"TARGET: DISTRIBUTION"` (the CLI's `--prior`) to a `PriorSpec`.
 *
 * TARGET is a class (`b`, `Intercept`, `sd`, `cor`, `sigma`), optionally narrowed brms-style:
 * `b_x` (one coefficient; `b_Intercept` = `Intercept`), `sd_group` (one grouping factor),
 * `sd_group__x` (one term of it), `cor_group`. DISTRIBUTION is one of `normal(mu, sigma)`,
 * `student_t(nu, mu, sigma)`, `cauchy(mu, sigma)`, `exponential(rate)`, `uniform(lower, upper)`,
 * `lkj(eta)` (cor only) or `flat`. Arguments are decimal numbers (`1e-3`, `-2.5`). The target is
 * everything before the last `:`, so coefficient names with `:` (`b_x:z`) work.
 *
 * Errors are `PriorError`s whose `span` marks the offending part of the text: E_PRIOR_SYNTAX
 * (no `:`, unbalanced parentheses, a non-number argument), E_PRIOR_UNKNOWN_CLASS,
 * E_PRIOR_UNKNOWN_DISTRIBUTION, E_PRIOR_BAD_ARGUMENT (wrong number of arguments, a non-positive
 * scale, lkj outside class cor). Whether a coefficient or group exists is checked later, against
 * the model (`resolvePriors`).
 */
import { didYouMean } from "../util/did-you-mean.ts";
import { PriorError } from "./prior-error.ts";
import type { PriorClass, PriorDistribution, PriorSpec } from "./priors.ts";
import { validateDistribution } from "./priors.ts";

const CLASSES: readonly PriorClass[] = ["b", "Intercept", "sd", "cor", "sigma"];

const ARITY: Record<string, readonly string[]> = {
  normal: ["mu", "sigma"],
  student_t: ["nu", "mu", "sigma"],
  cauchy: ["mu", "sigma"],
  exponential: ["rate"],
  uniform: ["lower", "upper"],
  lkj: ["eta"],
  flat: [],
};

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function trimSpan(text: string, start: number, end: number): [number, number] {
  while (start < end && /\s/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return [start, end];
}

function parseTarget(
  text: string,
  start: number,
  end: number,
): { cls: PriorClass; group?: string; coef?: string } {
  const [s, e] = trimSpan(text, start, end);
  const target = text.slice(s, e);
  if (target === "") {
    throw new PriorError(
      "E_PRIOR_SYNTAX",
      "the prior names no parameter class before ':'",
      text,
      [s, s + 1],
      'write e.g. "b: normal(0, 5)"',
    );
  }
  const us = target.indexOf("_");
  const head = us < 0 ? target : target.slice(0, us);
  const rest = us < 0 ? undefined : target.slice(us + 1);
  const cls = CLASSES.find((c) => c === head);
  if (cls === undefined || (rest !== undefined && rest === "")) {
    const guess = didYouMean(head, CLASSES);
    throw new PriorError(
      "E_PRIOR_UNKNOWN_CLASS",
      `unknown parameter class '${head}'`,
      text,
      [s, s + head.length],
      `the classes are ${CLASSES.join(", ")}${guess ? `; did you mean '${guess}'?` : ""} (narrow with b_x, sd_group, sd_group__x, cor_group)`,
    );
  }
  if (rest === undefined) return { cls };
  if (cls === "b") return rest === "Intercept" ? { cls: "Intercept" } : { cls, coef: rest };
  if (cls === "sd") {
    const sep = rest.indexOf("__");
    if (sep < 0) return { cls, group: rest };
    const group = rest.slice(0, sep);
    const coef = rest.slice(sep + 2);
    if (group === "" || coef === "") {
      throw new PriorError(
        "E_PRIOR_SYNTAX",
        `'${target}' is not sd_<group>__<term>`,
        text,
        [s, e],
        'write e.g. "sd_Subject__Days: normal(0, 10)"',
      );
    }
    return { cls, group, coef };
  }
  if (cls === "cor") return { cls, group: rest };
  throw new PriorError(
    "E_PRIOR_UNKNOWN_CLASS",
    `class '${cls}' cannot be narrowed to '${rest}'`,
    text,
    [s, e],
    `write just '${cls}'`,
  );
}

function parseDistribution(text: string, start: number, end: number): PriorDistribution {
  const [s, e] = trimSpan(text, start, end);
  const body = text.slice(s, e);
  const open = body.indexOf("(");
  const name = (open < 0 ? body : body.slice(0, open)).trim();
  const nameSpan: [number, number] = [
    s,
    s + Math.max(1, (open < 0 ? body : body.slice(0, open)).trimEnd().length),
  ];
  if (name === "") {
    throw new PriorError(
      "E_PRIOR_SYNTAX",
      "the prior has no distribution after ':'",
      text,
      [s, Math.max(s + 1, e)],
      'write e.g. "sd: student_t(3, 0, 10)"',
    );
  }
  const params = ARITY[name];
  if (params === undefined) {
    const guess = didYouMean(name, Object.keys(ARITY));
    throw new PriorError(
      "E_PRIOR_UNKNOWN_DISTRIBUTION",
      `unknown distribution '${name}'`,
      text,
      nameSpan,
      `the distributions are ${Object.keys(ARITY).join(", ")}${guess ? `; did you mean '${guess}'?` : ""}`,
    );
  }
  const args: number[] = [];
  if (open < 0) {
    if (params.length > 0) {
      throw new PriorError(
        "E_PRIOR_BAD_ARGUMENT",
        `${name} needs arguments (${params.join(", ")})`,
        text,
        nameSpan,
        `write ${name}(${params.join(", ")})`,
      );
    }
  } else {
    const close = body.lastIndexOf(")");
    if (close < open || body.slice(close + 1).trim() !== "" || body.indexOf("(", open + 1) >= 0) {
      throw new PriorError(
        "E_PRIOR_SYNTAX",
        `'${body}' is not NAME(ARGUMENTS)`,
        text,
        [s + open, e],
        `write ${name}(${params.join(", ")})`,
      );
    }
    const inner = body.slice(open + 1, close);
    let from = 0;
    if (inner.trim() !== "") {
      for (const part of inner.split(",")) {
        const [a, b] = trimSpan(text, s + open + 1 + from, s + open + 1 + from + part.length);
        const t = text.slice(a, b);
        if (!NUMBER.test(t)) {
          throw new PriorError(
            "E_PRIOR_SYNTAX",
            `'${t}' is not a number`,
            text,
            [a, Math.max(a + 1, b)],
            "arguments are decimal numbers such as 0, 2.5, -1e-3",
          );
        }
        args.push(Number(t));
        from += part.length + 1;
      }
    }
    if (args.length !== params.length) {
      throw new PriorError(
        "E_PRIOR_BAD_ARGUMENT",
        `${name} takes ${params.length} argument${params.length === 1 ? "" : "s"} (${params.join(", ")}), got ${args.length}`,
        text,
        [s + open, e],
        `write ${name}(${params.join(", ")})`,
      );
    }
  }
  const d = ((): PriorDistribution => {
    switch (name) {
      case "normal":
        return { family: "normal", mu: args[0], sigma: args[1] };
      case "student_t":
        return { family: "student_t", nu: args[0], mu: args[1], sigma: args[2] };
      case "cauchy":
        return { family: "cauchy", mu: args[0], sigma: args[1] };
      case "exponential":
        return { family: "exponential", rate: args[0] };
      case "uniform":
        return { family: "uniform", lower: args[0], upper: args[1] };
      case "lkj":
        return { family: "lkj", eta: args[0] };
      default:
        return { family: "flat" };
    }
  })();
  try {
    validateDistribution(d, text);
  } catch (err) {
    if (err instanceof PriorError) throw new PriorError(err.code, err.message, text, [s, e], err.hint);
    throw err;
  }
  return d;
}

/** Parse `"CLASS: DISTRIBUTION"` (see the module comment). Throws `PriorError`. */
export function parsePrior(text: string): PriorSpec {
  const colon = text.lastIndexOf(":");
  if (colon < 0) {
    throw new PriorError(
      "E_PRIOR_SYNTAX",
      `'${text}' has no ':' between the parameter class and the distribution`,
      text,
      [0, text.length],
      'write e.g. "b: normal(0, 5)" or "sd: student_t(3, 0, 10)"',
    );
  }
  // a ':' inside the distribution's parentheses is not the separator
  const paren = text.indexOf("(");
  const sep = paren >= 0 && paren < colon ? text.lastIndexOf(":", paren) : colon;
  if (sep < 0) {
    throw new PriorError(
      "E_PRIOR_SYNTAX",
      `'${text}' has no ':' before the distribution`,
      text,
      [0, text.length],
      'write e.g. "b: normal(0, 5)"',
    );
  }
  const target = parseTarget(text, 0, sep);
  const dist = parseDistribution(text, sep + 1, text.length);
  const [ds, de] = trimSpan(text, sep + 1, text.length);
  if (target.cls !== "cor" && dist.family === "lkj") {
    throw new PriorError(
      "E_PRIOR_BAD_ARGUMENT",
      `lkj is a prior for correlation matrices (class cor), not for class ${target.cls}`,
      text,
      [ds, de],
      'write e.g. "cor: lkj(2)"',
    );
  }
  if (target.cls === "cor" && dist.family !== "lkj" && dist.family !== "flat") {
    throw new PriorError(
      "E_PRIOR_BAD_ARGUMENT",
      `a correlation prior must be lkj(eta) or flat, not ${dist.family}`,
      text,
      [ds, de],
      'write e.g. "cor: lkj(2)"',
    );
  }
  if ((target.cls === "b" || target.cls === "Intercept") && dist.family === "exponential") {
    throw new PriorError(
      "E_PRIOR_BAD_ARGUMENT",
      `exponential is a prior for positive parameters (sd, sigma), not for class ${target.cls}`,
      text,
      [ds, de],
      "use normal, student_t, cauchy, uniform or flat",
    );
  }
  return { class: target.cls, group: target.group, coef: target.coef, dist, text };
}
