import type { Factor } from "./factorize";

/** The content of a fixed-effects design (`DesignContent` of ./demean): factors and optional weights. */
export interface DesignContent {
  readonly factors: readonly Factor[];
  readonly weights?: Float64Array;
}

/**
 * A 32-bit fingerprint of a fixed-effects design's content — level counts, every code of every
 * factor, and the bits of the weights — so that two designs built separately from the same data
 * (two fits on one sample) can be recognised as one. FNV-1a over 32-bit words (Fowler, Noll &
 * Vo); equal designs have equal fingerprints, and callers confirm a match with `sameDesign`.
 *
 * @example designFingerprint({ factors: [{ codes: Int32Array.of(0, 1, 0), size: 2 }] }) === designFingerprint({ factors: [{ codes: Int32Array.of(0, 1, 0), size: 2 }] })   // true
 */
export function designFingerprint(fe: DesignContent): number {
  let h = 0x811c9dc5 | 0;
  const mix = (v: number): void => {
    h = Math.imul(h ^ v, 0x01000193);
  };
  mix(fe.factors.length);
  for (const f of fe.factors) {
    mix(f.size);
    const c = f.codes;
    mix(c.length);
    for (let i = 0; i < c.length; i++) h = Math.imul(h ^ (c[i] as number), 0x01000193);
  }
  const w = fe.weights;
  if (w) {
    const u = new Uint32Array(w.buffer, w.byteOffset, w.length * 2);
    for (let i = 0; i < u.length; i++) h = Math.imul(h ^ (u[i] as number), 0x01000193);
  } else mix(-1);
  return h >>> 0;
}

/**
 * Whether two fixed-effects designs are the same: the same factors in the same order with equal
 * level counts and equal codes, and equal weights bit for bit (or none in both).
 *
 * @example sameDesign(a, a)   // true
 */
export function sameDesign(a: DesignContent, b: DesignContent): boolean {
  if (a === b) return true;
  if (a.factors.length !== b.factors.length || !!a.weights !== !!b.weights) return false;
  for (let q = 0; q < a.factors.length; q++) {
    const fa = a.factors[q] as Factor,
      fb = b.factors[q] as Factor;
    if (fa.size !== fb.size || fa.codes.length !== fb.codes.length) return false;
    if (fa.codes === fb.codes) continue;
    for (let i = 0; i < fa.codes.length; i++) if (fa.codes[i] !== fb.codes[i]) return false;
  }
  if (a.weights && b.weights && a.weights !== b.weights) {
    const wa = a.weights,
      wb = b.weights;
    if (wa.length !== wb.length) return false;
    for (let i = 0; i < wa.length; i++) if (!Object.is(wa[i], wb[i])) return false;
  }
  return true;
}
