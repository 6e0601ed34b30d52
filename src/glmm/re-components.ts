/**
 * The blocks of random effects that are linked through shared observations: the connected
 * components of the graph whose nodes are the levels of every random-effects term and whose edges
 * join the levels one observation uses. Given (θ, β) the spherical random effects of different
 * components are independent a posteriori and the marginal likelihood is a product over the
 * components, each an integral of dimension d_c = Σ S over its levels. A single term has one
 * component per level (d = S); nested terms such as (1 | A) + (1 | A:B) one per level of A with its
 * levels of A:B; crossed factors usually link (almost) everything into one component.
 */
import type { ReTerm } from "../lmm/lmm-problem.ts";

export interface ReComponent {
  /** Input term (index into the problem's reterms) of each level of the component. */
  readonly terms: Int32Array;
  /** The levels, ordered by input term and then level. */
  readonly levels: Int32Array;
  /** Observations whose levels belong to the component. */
  readonly rows: Int32Array;
  /** Number of random effects (Σ S over its levels). */
  readonly dim: number;
}

export interface ReComponents {
  readonly components: readonly ReComponent[];
  /**
   * Per input term, per level: the offset of the level's S effects among its component's
   * effects (the effects of a component are laid out in the order of `levels`).
   */
  readonly localOffset: readonly Int32Array[];
  /** Index of the (first) component with the most random effects, and that number. */
  readonly largest: number;
  readonly maxDim: number;
}

/** The linked blocks of random effects of `reterms` (n observations), by union–find. */
export function reComponents(reterms: readonly ReTerm[], n: number): ReComponents {
  const k = reterms.length;
  const base = new Int32Array(k + 1);
  for (let i = 0; i < k; i++) base[i + 1] = base[i] + reterms[i].levels.length;
  const total = base[k];
  const parent = new Int32Array(total);
  for (let v = 0; v < total; v++) parent[v] = v;
  const find = (v: number): number => {
    let r = v;
    while (parent[r] !== r) r = parent[r];
    while (parent[v] !== r) {
      const next = parent[v];
      parent[v] = r;
      v = next;
    }
    return r;
  };
  for (let t = 0; t < n; t++) {
    const a = find(base[0] + reterms[0].refs[t]);
    for (let i = 1; i < k; i++) {
      const b = find(base[i] + reterms[i].refs[t]);
      if (b !== a) parent[b] = a;
    }
  }
  // number the components in order of first appearance (term by term, level by level)
  const compOfRoot = new Int32Array(total).fill(-1);
  const compOf = new Int32Array(total);
  const sizes: number[] = [];
  const dims: number[] = [];
  for (let i = 0; i < k; i++) {
    const S = reterms[i].cnames.length;
    for (let v = base[i]; v < base[i + 1]; v++) {
      const r = find(v);
      if (compOfRoot[r] < 0) {
        compOfRoot[r] = sizes.length;
        sizes.push(0);
        dims.push(0);
      }
      const c = compOfRoot[r];
      compOf[v] = c;
      sizes[c]++;
      dims[c] += S;
    }
  }
  const nc = sizes.length;
  const terms = sizes.map((s) => new Int32Array(s));
  const levels = sizes.map((s) => new Int32Array(s));
  const fill = new Int32Array(nc);
  const used = new Int32Array(nc);
  const localOffset = reterms.map((rt) => new Int32Array(rt.levels.length));
  for (let i = 0; i < k; i++) {
    const S = reterms[i].cnames.length;
    for (let l = 0, v = base[i]; v < base[i + 1]; l++, v++) {
      const c = compOf[v];
      terms[c][fill[c]] = i;
      levels[c][fill[c]] = l;
      fill[c]++;
      localOffset[i][l] = used[c];
      used[c] += S;
    }
  }
  const rowCount = new Int32Array(nc);
  const rowComp = new Int32Array(n);
  for (let t = 0; t < n; t++) {
    const c = compOf[base[0] + reterms[0].refs[t]];
    rowComp[t] = c;
    rowCount[c]++;
  }
  const rows = Array.from(rowCount, (m) => new Int32Array(m));
  fill.fill(0);
  for (let t = 0; t < n; t++) {
    const c = rowComp[t];
    rows[c][fill[c]++] = t;
  }
  let largest = 0;
  for (let c = 1; c < nc; c++) if (dims[c] > dims[largest]) largest = c;
  return {
    components: sizes.map((_, c) => ({ terms: terms[c], levels: levels[c], rows: rows[c], dim: dims[c] })),
    localOffset,
    largest,
    maxDim: nc > 0 ? dims[largest] : 0,
  };
}

/** "3 levels of A and 4 levels of A:B" for a component (levels counted per term). */
export function describeComponent(reterms: readonly ReTerm[], comp: ReComponent): string {
  const counts = new Map<number, number>();
  for (const i of comp.terms) counts.set(i, (counts.get(i) ?? 0) + 1);
  const parts = [...counts].map(([i, m]) => {
    const rt = reterms[i];
    const what = rt.cnames.length > 1 ? ` (${rt.cnames.length} effects each)` : "";
    return `${m} level${m === 1 ? "" : "s"} of ${rt.factor}${what}`;
  });
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}
