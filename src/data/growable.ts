/** Growable typed buffers: double the capacity when full, trim to length at the end. */

/** `buf` with room for at least `need` elements (a larger copy when it is full). */
export function ensureF64(buf: Float64Array, need: number): Float64Array {
  if (need <= buf.length) return buf;
  const out = new Float64Array(Math.max(need, buf.length * 2, 1024));
  out.set(buf);
  return out;
}

/** `buf` with room for at least `need` elements (a larger copy when it is full). */
export function ensureI32(buf: Int32Array, need: number): Int32Array {
  if (need <= buf.length) return buf;
  const out = new Int32Array(Math.max(need, buf.length * 2, 1024));
  out.set(buf);
  return out;
}
