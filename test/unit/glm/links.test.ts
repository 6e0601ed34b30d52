/**
 * Links: linkinv ∘ linkfun = identity inside the domain, dμ/dη against central finite
 * differences, R's clamps at the extremes, and the array forms equal the scalar ones.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { OptionError } from "../../../src/errors.ts";
import { LINK_NAMES, makeLink } from "../../../src/glm/make-link.ts";

const EPS = 2.220446049250313e-16;
const probMus = [1e-6, 0.01, 0.2, 0.5, 0.73, 0.99, 1 - 1e-6];
const posMus = [1e-4, 0.3, 1, 7.5, 1e3];

for (const name of LINK_NAMES) {
  const link = makeLink(name);
  const mus = name === "log" ? posMus : name === "identity" ? [-3, 0, 2.5, 1e3] : probMus;
  test(`${name}: linkinv(linkfun(mu)) = mu`, () => {
    for (const mu of mus) {
      const back = link.linkinv(link.linkfun(mu));
      assert.ok(Math.abs(back - mu) <= 1e-12 * Math.max(1, Math.abs(mu)), `${name} mu=${mu}: ${back}`);
    }
  });
  test(`${name}: muEta matches central differences of linkinv`, () => {
    for (const eta of [-4, -1.3, 0, 0.4, 2.2, 5]) {
      const h = 1e-5;
      const fd = (link.linkinv(eta + h) - link.linkinv(eta - h)) / (2 * h);
      const an = link.muEta(eta);
      assert.ok(Math.abs(fd - an) <= 1e-7 * Math.max(1, Math.abs(an)), `${name} eta=${eta}: ${an} vs ${fd}`);
    }
  });
  test(`${name}: array forms equal the scalar forms`, () => {
    const etas = Float64Array.from([-800, -40, -3, 0, 1.5, 31, 800]);
    const out = new Float64Array(etas.length);
    link.linkinvInto(etas, out);
    etas.forEach((e, i) => {
      assert.equal(out[i], link.linkinv(e));
    });
    link.muEtaInto(etas, out);
    etas.forEach((e, i) => {
      assert.equal(out[i], link.muEta(e));
    });
    const m = Float64Array.from(mus);
    const o2 = new Float64Array(m.length);
    link.linkfunInto(m, o2);
    m.forEach((v, i) => {
      assert.equal(o2[i], link.linkfun(v));
    });
  });
}

test("logit clamps as R's C code (|eta| > 30)", () => {
  const l = makeLink("logit");
  assert.equal(l.linkinv(-31), EPS / (1 + EPS));
  assert.equal(l.linkinv(31), 1 / EPS / (1 + 1 / EPS));
  assert.equal(l.muEta(31), EPS);
  assert.equal(l.muEta(-31), EPS);
  assert.equal(l.linkinv(0), 0.5);
  assert.equal(l.muEta(0), 0.25);
});

test("probit, cloglog and log keep mu and dmu/deta away from 0 and 1 as R", () => {
  const p = makeLink("probit");
  assert.ok(p.linkinv(-50) > 0 && p.linkinv(50) < 1);
  assert.equal(p.muEta(50), EPS);
  const c = makeLink("cloglog");
  assert.equal(c.linkinv(-50), EPS);
  assert.equal(c.linkinv(50), 1 - EPS);
  assert.equal(c.muEta(800), EPS);
  const lg = makeLink("log");
  assert.equal(lg.linkinv(-1000), EPS);
  assert.equal(lg.muEta(-1000), EPS);
  // hand values: cloglog(0.5) = log(log 2), muEta(0) = exp(-1)
  assert.ok(Math.abs(c.linkfun(0.5) - Math.log(Math.LN2)) < 1e-15);
  assert.ok(Math.abs(c.muEta(0) - Math.exp(-1)) < 1e-16);
  assert.ok(Math.abs(p.muEta(0) - 1 / Math.sqrt(2 * Math.PI)) < 1e-16);
});

test("an unknown link is a typed error", () => {
  assert.throws(
    () => makeLink("cauchit"),
    (e: unknown) => e instanceof OptionError && /unknown link 'cauchit'/.test(e.message),
  );
});
