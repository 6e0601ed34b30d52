/**
 * Family lookup by name (R's `binomial(link = "probit")` etc.): the default link per family and
 * the links each family accepts. A new family registers here.
 */
import { OptionError } from "../errors.ts";
import { binomialFamily } from "./binomial.ts";
import type { Family, FamilyName } from "./family.ts";
import { gaussianFamily } from "./gaussian.ts";
import { poissonFamily } from "./poisson.ts";
import type { Link, LinkName } from "./link.ts";
import { makeLink } from "./make-link.ts";

interface FamilySpec {
  readonly create: (link: Link) => Family;
  /** Accepted links, the default first. */
  readonly links: readonly LinkName[];
}

const FAMILIES: Readonly<Record<FamilyName, FamilySpec>> = {
  binomial: { create: binomialFamily, links: ["logit", "probit", "cloglog", "log"] },
  poisson: { create: poissonFamily, links: ["log", "identity"] },
  gaussian: { create: gaussianFamily, links: ["identity", "log"] },
};

/** Names `makeFamily` accepts. */
export const FAMILY_NAMES: readonly FamilyName[] = Object.keys(FAMILIES) as FamilyName[];

/** Whether `name` is an implemented family. */
export function isFamilyName(name: string): name is FamilyName {
  return Object.hasOwn(FAMILIES, name);
}

/** The default link of a family (logit, log, identity). */
export function defaultLink(family: FamilyName): LinkName {
  return FAMILIES[family].links[0];
}

/**
 * The family `name` with `link` (default: the family's canonical link). OptionError
 * (E_OPTION_INVALID) for an unknown family, unknown link, or a link the family does not take.
 */
export function makeFamily(name: string, link?: string): Family {
  if (!isFamilyName(name)) {
    throw new OptionError(
      `unknown family '${name}'`,
      `use one of ${FAMILY_NAMES.map((f) => `'${f}'`).join(", ")}`,
    );
  }
  const spec = FAMILIES[name];
  const ln = link ?? spec.links[0];
  const l = makeLink(ln);
  if (!spec.links.includes(l.name)) {
    throw new OptionError(
      `the ${name} family does not take the '${ln}' link`,
      `use one of ${spec.links.map((x) => `'${x}'`).join(", ")}`,
    );
  }
  return spec.create(l);
}
