/** Dense factor codes 0..size−1 (−1 = NA) and the number of levels. */
export interface Factor {
  readonly codes: Int32Array;
  readonly size: number;
}

/**
 * Factor encoding for fixed effects and clusters: any column → dense Int32 codes 0..G−1
 * in order of first appearance, with −1 for NA. `interact` combines two encodings into the
 * codes of their interaction (fixest's `a^b`).
 *
 * @example factorize(["b", "a", "b"]) // { codes: [0, 1, 0], size: 2 }
 */
export function factorize(values: ArrayLike<unknown>): Factor {
  const n = values.length;
  const codes = new Int32Array(n);
  if (values instanceof Float64Array || values instanceof Int32Array) {
    const dense = factorizeIntegerRange(values);
    if (dense) return dense;
    const map = new Map<number, number>();
    const NA_INT = -2147483648;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (Number.isNaN(v) || (values instanceof Int32Array && v === NA_INT)) {
        codes[i] = -1;
        continue;
      }
      let k = map.get(v);
      if (k === undefined) {
        k = map.size;
        map.set(v, k);
      }
      codes[i] = k;
    }
    return { codes, size: map.size };
  }
  const map = new Map<unknown, number>();
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      codes[i] = -1;
      continue;
    }
    let k = map.get(v);
    if (k === undefined) {
      k = map.size;
      map.set(v, k);
    }
    codes[i] = k;
  }
  return { codes, size: map.size };
}

/**
 * Fast path for integer-valued numeric columns with a modest range (ids, years, codes): a
 * lookup array over [min, max] instead of a hash map. Same codes (order of first appearance).
 * Returns null when a value is fractional or the range exceeds 2^24.
 */
function factorizeIntegerRange(values: Float64Array | Int32Array): Factor | null {
  // one monomorphic loop per array type (a shared loop over both types runs several times slower)
  return values instanceof Float64Array ? integerRangeF64(values) : integerRangeI32(values);
}

function integerRangeF64(values: Float64Array): Factor | null {
  const n = values.length;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) continue;
    if (Math.floor(v) !== v) return null;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { codes: new Int32Array(n).fill(-1), size: 0 };
  if (hi - lo > 1 << 24) return null;
  const lut = new Int32Array(hi - lo + 1).fill(-1);
  const codes = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v !== v) {
      codes[i] = -1;
      continue;
    }
    const j = v - lo;
    let k = lut[j] as number;
    if (k < 0) {
      k = size++;
      lut[j] = k;
    }
    codes[i] = k;
  }
  return { codes, size };
}

function integerRangeI32(values: Int32Array): Factor | null {
  const n = values.length;
  const NA_INT = -2147483648;
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v === NA_INT) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return { codes: new Int32Array(n).fill(-1), size: 0 };
  if (hi - lo > 1 << 24) return null;
  const lut = new Int32Array(hi - lo + 1).fill(-1);
  const codes = new Int32Array(n);
  let size = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    if (v === NA_INT) {
      codes[i] = -1;
      continue;
    }
    const j = v - lo;
    let k = lut[j] as number;
    if (k < 0) {
      k = size++;
      lut[j] = k;
    }
    codes[i] = k;
  }
  return { codes, size };
}

/** Codes of the interaction a × b; NA if either is NA. */
export function interact(a: Factor, b: Factor): Factor {
  const n = a.codes.length;
  const combined = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = a.codes[i] as number,
      y = b.codes[i] as number;
    combined[i] = x < 0 || y < 0 ? NaN : x * b.size + y;
  }
  return factorize(combined);
}

/** Re-encode codes on a subset of rows so that levels are dense again (0..G'−1). */
export function subsetFactor(f: Factor, rows: Int32Array): Factor {
  const remap = new Int32Array(f.size).fill(-1);
  const codes = new Int32Array(rows.length);
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    const c = f.codes[rows[i] as number] as number;
    if (c < 0) {
      codes[i] = -1;
      continue;
    }
    let k = remap[c] as number;
    if (k < 0) {
      k = size++;
      remap[c] = k;
    }
    codes[i] = k;
  }
  return { codes, size };
}

/** Number of observations (or total weight) per level. */
export function levelCounts(f: Factor, weights?: Float64Array): Float64Array {
  const out = new Float64Array(f.size);
  const c = f.codes;
  if (weights) for (let i = 0; i < c.length; i++) out[c[i] as number] += weights[i] as number;
  else for (let i = 0; i < c.length; i++) out[c[i] as number] += 1;
  return out;
}
