/**
 * "Did you mean …?" suggestions: the closest candidate by edit distance, case-insensitive first.
 */

/** Levenshtein distance between two strings (insert, delete, substitute each cost 1). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const m = a.length;
  const n = b.length;
  let prev = new Array<number>(n + 1);
  let cur = new Array<number>(n + 1);
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const sub = prev[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      cur[j] = Math.min(sub, prev[j] + 1, cur[j - 1] + 1);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[n];
}

/**
 * The candidate closest to `name`, or undefined when none is close enough
 * (distance at most max(1, ⌊len/3⌋), or an exact case-insensitive match, blanks around a
 * candidate ignored).
 */
export function didYouMean(name: string, candidates: readonly string[]): string | undefined {
  if (name === "") return undefined;
  const lower = name.toLowerCase();
  const exactCi = candidates.find((c) => c.toLowerCase() === lower);
  if (exactCi !== undefined) return exactCi;
  // a CSV header written "y, x" names its column " x"
  const padded = candidates.find((c) => c.trim().toLowerCase() === lower);
  if (padded !== undefined) return padded;
  let best: string | undefined;
  let bestD = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const d = editDistance(lower, c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  const limit = Math.max(1, Math.floor(name.length / 3));
  return bestD <= limit ? best : undefined;
}
