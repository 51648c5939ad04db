/** Dekker's splitting constant 2^27 + 1: splits a double into two 26-bit halves. */
const SPLIT = 134217729;

/**
 * A mutable double-double ("double-word") number hi + lo with |lo| ≤ ulp(hi)/2: about 106
 * significant bits (unit roundoff u² ≈ 1.2e-32) from two doubles, for the few places where
 * double precision is not enough (the accurate least-squares path, `ddLeastSquares`).
 * Operations update the register in place (`acc.addMul(a, 0, b, 0)`), so hot loops allocate
 * nothing; JavaScript has no fused multiply-add, so products use Dekker's split.
 *
 * Algorithms: TwoSum (Knuth 1969), Fast2Sum and TwoProduct by splitting (Dekker 1971, "A
 * floating-point technique for extending the available precision", Numer. Math. 18), and the
 * double-word additions, products and quotients of Joldes, Muller & Popescu (2017, "Tight and
 * rigorous error bounds for basic building blocks of double-word arithmetic", ACM TOMS 44):
 * AccurateDWPlusDW (their Alg. 6, relative error ≤ 3u²), a DWTimesDW product and DWDivDW
 * (Alg. 17, ≤ 15u²), all with relative errors of order u²; square root by one Newton step as
 * in the QD library (Hida, Li & Bailey 2001). Overflow is not guarded:
 * callers scale their data to moderate magnitudes first (the split overflows above ~1e300).
 *
 * @example
 *   const s = new DoubleDouble();
 *   for (let i = 0; i < n; i++) s.addMul(x[i], 0, y[i], 0); // Σ x_i·y_i with ~32 digits
 *   s.hi; // the sum rounded to double
 */
export class DoubleDouble {
  hi: number;
  lo: number;
  constructor(hi = 0, lo = 0) {
    this.hi = hi;
    this.lo = lo;
  }

  /** Sets the value to hi + lo (no renormalisation: give |lo| ≤ ulp(hi)/2, or lo = 0). */
  set(hi: number, lo = 0): this {
    this.hi = hi;
    this.lo = lo;
    return this;
  }

  /** this ← this + (bh + bl), AccurateDWPlusDW (Joldes et al. 2017, Alg. 6). */
  add(bh: number, bl = 0): this {
    const ah = this.hi,
      al = this.lo;
    // TwoSum(ah, bh)
    let sh = ah + bh;
    let v = sh - ah;
    let sl = ah - (sh - v) + (bh - v);
    // TwoSum(al, bl)
    const th = al + bl;
    v = th - al;
    const tl = al - (th - v) + (bl - v);
    sl += th;
    // Fast2Sum(sh, sl)
    let h = sh + sl;
    sl = sl - (h - sh);
    sh = h;
    sl += tl;
    h = sh + sl;
    this.lo = sl - (h - sh);
    this.hi = h;
    return this;
  }

  /** this ← this · (bh + bl): TwoProduct of the high parts plus the cross terms (DWTimesDW; the tiny lo·lo term dropped). */
  mul(bh: number, bl = 0): this {
    const ah = this.hi,
      al = this.lo;
    const ph = ah * bh;
    let pl = twoProductError(ah, bh, ph);
    pl += ah * bl + al * bh;
    const h = ph + pl;
    this.lo = pl - (h - ph);
    this.hi = h;
    return this;
  }

  /** this ← this + (ah + al)·(bh + bl): the product in double-word, then an accurate addition. */
  addMul(ah: number, al: number, bh: number, bl: number): this {
    const ph = ah * bh;
    let pl = twoProductError(ah, bh, ph);
    pl += ah * bl + al * bh;
    const h = ph + pl;
    return this.add(h, pl - (h - ph));
  }

  /** this ← this / (bh + bl), DWDivDW (Joldes et al. 2017, Alg. 17). */
  div(bh: number, bl = 0): this {
    const ah = this.hi,
      al = this.lo;
    const th = ah / bh;
    // r = b · th in double-word (DWTimesFP)
    const rh0 = bh * th;
    let rl0 = twoProductError(bh, th, rh0);
    rl0 += bl * th;
    const rh = rh0 + rl0;
    const rl = rl0 - (rh - rh0);
    // π = a − r: πh exact (Sterbenz), low parts summed
    const ph = ah - rh;
    const dl = al - rl;
    const pi = ph + dl;
    const tl = pi / bh;
    const h = th + tl;
    this.lo = tl - (h - th);
    this.hi = h;
    return this;
  }

  /** this ← √this (one Newton step on the double square root, QD's dd_real sqrt). */
  sqrt(): this {
    const ah = this.hi,
      al = this.lo;
    if (!(ah > 0)) return this.set(ah === 0 ? 0 : NaN);
    const s = Math.sqrt(ah);
    const p = s * s;
    const e = twoProductError(s, s, p);
    const r = (ah - p - e + al) / (2 * s);
    const h = s + r;
    this.lo = r - (h - s);
    this.hi = h;
    return this;
  }
}

/**
 * The rounding error of a product: a·b − p exactly, for p = fl(a·b), by Dekker's TwoProduct
 * (Dekker 1971; no fused multiply-add in JavaScript). Exact unless a·b underflows or a, b
 * exceed ~1e300 (the split overflows).
 *
 * @example const p = a * b; const e = twoProductError(a, b, p); // a·b = p + e exactly
 */
export function twoProductError(a: number, b: number, p: number): number {
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  return al * bl - (p - ah * bh - al * bh - ah * bl);
}

/**
 * The rounding error of a sum: a + b − s exactly, for s = fl(a + b), by Knuth's TwoSum (no
 * ordering of |a|, |b| needed).
 *
 * @example const s = a + b; const e = twoSumError(a, b, s); // a + b = s + e exactly
 */
export function twoSumError(a: number, b: number, s: number): number {
  const v = s - a;
  return a - (s - v) + (b - v);
}
