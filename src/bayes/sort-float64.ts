/**
 * `sortFloat64(a)`: sorts a Float64Array in place in ascending order, NaN last, and returns it.
 * A hand-written quicksort (median of three, insertion sort below 16 elements): several times
 * faster than `Float64Array.prototype.sort` in V8 for the few thousand draws the diagnostics sort
 * many times over. −0 and 0 compare equal (their order is unspecified).
 */

function insertion(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

function quicksort(a: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    // median of three into a[mid]
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // recurse into the smaller part, loop on the larger
    if (j - lo < hi - i) {
      quicksort(a, lo, j);
      lo = i;
    } else {
      quicksort(a, i, hi);
      hi = j;
    }
  }
  insertion(a, lo, hi);
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

export function sortFloat64(a: Float64Array): Float64Array {
  // move NaNs to the end
  let n = a.length;
  for (let i = 0; i < n; ) {
    if (Number.isNaN(a[i])) {
      n--;
      swap(a, i, n);
    } else {
      i++;
    }
  }
  if (n > 1) quicksort(a, 0, n - 1);
  return a;
}

function swap2(a: Float64Array, idx: Int32Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
  const k = idx[i];
  idx[i] = idx[j];
  idx[j] = k;
}

function quicksortIndexed(a: Float64Array, idx: Int32Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < a[lo]) swap2(a, idx, mid, lo);
    if (a[hi] < a[lo]) swap2(a, idx, hi, lo);
    if (a[hi] < a[mid]) swap2(a, idx, hi, mid);
    const pivot = a[mid];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        swap2(a, idx, i, j);
        i++;
        j--;
      }
    }
    if (j - lo < hi - i) {
      quicksortIndexed(a, idx, lo, j);
      lo = i;
    } else {
      quicksortIndexed(a, idx, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i];
    const k = idx[i];
    let j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      idx[j + 1] = idx[j];
      j--;
    }
    a[j + 1] = v;
    idx[j + 1] = k;
  }
}

/**
 * Sorts `a` in place (ascending, NaN last) and permutes `idx` alongside, so that afterwards
 * a[k] is the original value at position idx[k] when idx started as 0, 1, 2, ….
 * Returns the number of non-NaN values.
 */
export function sortFloat64WithIndex(a: Float64Array, idx: Int32Array): number {
  let n = a.length;
  for (let i = 0; i < n; ) {
    if (Number.isNaN(a[i])) {
      n--;
      swap2(a, idx, i, n);
    } else {
      i++;
    }
  }
  if (n > 1) quicksortIndexed(a, idx, 0, n - 1);
  return n;
}
