/**
 * Minimum-degree fill-reducing ordering of a small symmetric sparsity pattern, on dense bitsets
 * (the graphs here are the level co-occurrence graphs of one grouping factor, ≲ 10⁴ nodes, often
 * 10-50% dense, where bitset row unions beat quotient-graph bookkeeping).
 *
 * Greedy: repeatedly eliminate a node of least current degree (ties: lowest index, so the result
 * is deterministic), turning its remaining neighbours into a clique.
 */
import type { BlockSparse } from "./block-types.ts";

/** Undirected graph on n nodes as one bitset row per node (`words` 32-bit words each). */
export interface BitGraph {
  readonly n: number;
  readonly words: number;
  /** Row u occupies `bits[u*words .. (u+1)*words)`. */
  readonly bits: Uint32Array;
}

export function bitGraph(n: number): BitGraph {
  const words = Math.max(1, Math.ceil(n / 32));
  return { n, words, bits: new Uint32Array(n * words) };
}

/** Add the edge u–v (u ≠ v; self loops are ignored). */
export function addEdge(g: BitGraph, u: number, v: number): void {
  if (u === v) return;
  g.bits[u * g.words + (v >>> 5)] |= 1 << (v & 31);
  g.bits[v * g.words + (u >>> 5)] |= 1 << (u & 31);
}

/** Make the nodes `list[0..cnt)` a clique (bitset row unions: O(cnt · words)). */
export function addClique(g: BitGraph, list: Int32Array, cnt: number, mask: Uint32Array): void {
  const W = g.words;
  mask.fill(0);
  for (let x = 0; x < cnt; x++) mask[list[x] >>> 5] |= 1 << (list[x] & 31);
  for (let x = 0; x < cnt; x++) {
    const o = list[x] * W;
    for (let w = 0; w < W; w++) g.bits[o + w] |= mask[w];
  }
  for (let x = 0; x < cnt; x++) g.bits[list[x] * W + (list[x] >>> 5)] &= ~(1 << (list[x] & 31));
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

export interface Ordering {
  /** order[k] = node eliminated k-th. */
  readonly order: Int32Array;
  /** Σ over eliminations of (degree + 1)²/2 ≈ flops of a sparse Cholesky in this order. */
  readonly cost: number;
}

/** Minimum-degree ordering; the graph is consumed (overwritten by the elimination graph). */
export function minimumDegreeOrder(g: BitGraph): Ordering {
  const { n, words: W, bits } = g;
  const alive = new Uint32Array(W);
  for (let u = 0; u < n; u++) alive[u >>> 5] |= 1 << (u & 31);
  const deg = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    let d = 0;
    for (let w = 0; w < W; w++) d += popcount(bits[u * W + w]);
    deg[u] = d;
  }
  const order = new Int32Array(n);
  const done = new Uint8Array(n);
  const nb = new Int32Array(n);
  let cost = 0;
  for (let step = 0; step < n; step++) {
    let v = -1;
    let best = n + 1;
    for (let u = 0; u < n; u++)
      if (done[u] === 0 && deg[u] < best) {
        best = deg[u];
        v = u;
      }
    done[v] = 1;
    order[step] = v;
    alive[v >>> 5] &= ~(1 << (v & 31));
    const ov = v * W;
    let cnt = 0;
    for (let w = 0; w < W; w++) {
      let x = bits[ov + w] & alive[w];
      bits[ov + w] = x;
      while (x !== 0) {
        const low = x & -x;
        nb[cnt++] = (w << 5) + 31 - Math.clz32(low);
        x ^= low;
      }
    }
    cost += ((cnt + 1) * (cnt + 1)) / 2;
    for (let x = 0; x < cnt; x++) {
      const u = nb[x];
      const ou = u * W;
      let d = 0;
      for (let w = 0; w < W; w++) {
        const b = (bits[ou + w] | bits[ov + w]) & alive[w];
        bits[ou + w] = b;
        d += popcount(b);
      }
      // u itself is in v's row: drop the self loop
      if ((bits[ou + (u >>> 5)] >>> (u & 31)) & 1) {
        bits[ou + (u >>> 5)] &= ~(1 << (u & 31));
        d--;
      }
      deg[u] = d;
    }
  }
  return { order, cost };
}

/** Largest number of nodes ordered (the bitset graph takes n²/8 bytes). */
const MAX_NODES = 8192;

/**
 * Fill-reducing order of the row blocks (levels) of a dense diagonal block whose off-diagonal
 * contributions are Σ_m B_m B_mᵀ for the given block-sparse B_m (all with `nrb` row blocks): the
 * graph joins two levels when they share a column block of some B_m. Returns null when an ordering
 * cannot pay: too many levels, a pattern that is dense anyway (estimated from Σ nnz(col)², then
 * from the minimum-degree cost), i.e. when the dense kernel on the natural order is as good.
 */
export function levelOrdering(blocks: readonly BlockSparse[], nrb: number): Int32Array | null {
  if (nrb < 64 || nrb > MAX_NODES) return null;
  let pairs = 0;
  for (const b of blocks)
    for (let c = 0; c < b.ncb; c++) {
      const cnt = b.colptr[c + 1] - b.colptr[c];
      pairs += cnt * cnt;
    }
  if (pairs > 8 * nrb * nrb) return null;
  const g = bitGraph(nrb);
  const mask = new Uint32Array(g.words);
  for (const b of blocks)
    for (let c = 0; c < b.ncb; c++) {
      const k0 = b.colptr[c];
      addClique(g, b.rowblk.subarray(k0, b.colptr[c + 1]), b.colptr[c + 1] - k0, mask);
    }
  const { order, cost } = minimumDegreeOrder(g);
  return cost < (0.5 * (nrb * nrb * nrb)) / 6 ? order : null;
}
