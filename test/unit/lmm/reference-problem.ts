/**
 * Test-only: build an `LmmProblem` for a reference fit (test/reference/fits/<id>.json) directly
 * from the bundled CSV + meta, without the formula/model-matrix layer. Fixed-effect columns are
 * resolved from the reference coefficient names (intercept, numeric columns, treatment dummies
 * `<factor><level>`, polynomial contrasts `<factor>.L/.Q/.C/^k`, and `a:b` products); random-effect
 * terms come from the reference `reterms`, with level order taken from the reference `ranef`.
 */
import { readFileSync } from "node:fs";
import type { LmmProblem, ReTerm } from "../../../src/lmm/lmm-problem.ts";

interface MetaColumn {
  name: string;
  type: string;
  levels?: string[];
  ordered?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: reference JSON is untyped
export type RefFit = any;

export function loadRef(id: string): RefFit {
  return JSON.parse(readFileSync(`test/reference/fits/${id}.json`, "utf8"));
}

function parseCsv(text: string): { header: string[]; cols: string[][] } {
  const lines = text.split(/\r?\n/).filter((l) => l.length > 0);
  const split = (line: string): string[] => {
    const out: string[] = [];
    let cur = "";
    let q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) {
        if (ch === '"' && line[i + 1] === '"') {
          cur += '"';
          i++;
        } else if (ch === '"') q = false;
        else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === ",") {
        out.push(cur);
        cur = "";
      } else cur += ch;
    }
    out.push(cur);
    return out;
  };
  const header = split(lines[0]);
  const cols: string[][] = header.map(() => []);
  for (let r = 1; r < lines.length; r++) {
    const f = split(lines[r]);
    for (let c = 0; c < header.length; c++) cols[c].push(f[c]);
  }
  return { header, cols };
}

/** R's contr.poly(k): orthonormal polynomial contrasts, k × (k−1). */
export function contrPoly(k: number): number[][] {
  const basis: number[][] = [];
  for (let d = 0; d < k; d++) {
    const v = Array.from({ length: k }, (_, i) => (i + 1) ** d);
    for (const b of basis) {
      const dot = v.reduce((s, x, i) => s + x * b[i], 0);
      for (let i = 0; i < k; i++) v[i] -= dot * b[i];
    }
    const nrm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    basis.push(v.map((x) => x / nrm));
  }
  return basis.slice(1);
}

const POLY = [".L", ".Q", ".C"];

export function buildReferenceProblem(ref: RefFit): LmmProblem {
  const meta = JSON.parse(readFileSync(`data/${ref.dataset}.meta.json`, "utf8"));
  const { header, cols } = parseCsv(readFileSync(`data/${ref.dataset}.csv`, "utf8"));
  const n = cols[0].length;
  const metaCols = new Map<string, MetaColumn>(meta.columns.map((c: MetaColumn) => [c.name, c]));
  const raw = (name: string): string[] => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`no column ${name}`);
    return cols[i];
  };
  const numeric = (name: string): Float64Array => Float64Array.from(raw(name), Number);
  const factorNames = [...metaCols.values()].filter((c) => c.type === "factor").map((c) => c.name);
  const part = (p: string): Float64Array => {
    if (p === "(Intercept)") return new Float64Array(n).fill(1);
    const mc = metaCols.get(p);
    if (mc && mc.type !== "factor") return numeric(p);
    for (const f of factorNames.sort((a, b) => b.length - a.length)) {
      if (!p.startsWith(f)) continue;
      const rest = p.slice(f.length);
      const levels = metaCols.get(f)!.levels!;
      const x = raw(f);
      let deg = POLY.indexOf(rest) + 1;
      if (deg === 0 && rest.startsWith("^")) deg = Number(rest.slice(1)) - 0;
      if (deg > 0 && metaCols.get(f)!.ordered) {
        const cp = contrPoly(levels.length);
        return Float64Array.from(x, (v) => cp[deg - 1][levels.indexOf(v)]);
      }
      if (levels.includes(rest)) return Float64Array.from(x, (v) => (v === rest ? 1 : 0));
    }
    throw new Error(`cannot resolve fixed-effect column ${p}`);
  };
  const xnames: string[] = Object.keys(ref.beta);
  const p = xnames.length;
  const X = new Float64Array(n * p);
  xnames.forEach((nm, j) => {
    let col = new Float64Array(n).fill(1);
    for (const piece of nm.split(":")) {
      const v = part(piece);
      col = col.map((c, t) => c * v[t]);
    }
    X.set(col, j * n);
  });
  const yname = ref.formula.split("~")[0].trim();
  const y = numeric(yname);
  const reterms: ReTerm[] = ref.reterms.map((rt: { factor: string; terms: string[] }, i: number) => {
    const levels: string[] = ref.ranef[rt.factor].levels;
    const parts = rt.factor.split(":").map(raw);
    const index = new Map(levels.map((l, k) => [l, k]));
    const refs = new Int32Array(n);
    for (let t = 0; t < n; t++) {
      const key = parts.map((c) => c[t]).join(":");
      const k = index.get(key);
      if (k === undefined) throw new Error(`level ${key} of ${rt.factor} not in reference levels`);
      refs[t] = k;
    }
    const S = rt.terms.length;
    const z = new Float64Array(S * n);
    rt.terms.forEach((cn, s) => {
      const v = part(cn);
      for (let t = 0; t < n; t++) z[t * S + s] = v[t];
    });
    return { name: ref.varcorr.groups[i].name, factor: rt.factor, levels, refs, cnames: rt.terms, z };
  });
  return { y, X, xnames, reterms };
}
