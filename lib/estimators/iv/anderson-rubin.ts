import { at, cross, crossVec, dot, inv, mul, mulVec, type Mat } from "./linalg";
import { partialOut } from "./partial";
import { meatOf, nClusters } from "./ssc";
import { pF } from "../../util/distributions";
import { type FStat, type Invalid, type IvDesign, invalid } from "./types";

interface ArParts {
  readonly piY: number[];
  readonly piX: number[];
  readonly A: Mat;
  readonly Myy: Mat;
  readonly Mxy: Mat;
  readonly Mxx: Mat; // meat blocks (robust) or σ-pieces (iid)
  readonly syy: number;
  readonly sxy: number;
  readonly sxx: number;
  readonly ZZ: Mat;
  /** A·M·A blocks (robust): V(β0) = Vyy − β0·Vc + β0²·Vxx with Vc = A(Mxy + Mxy')A. */
  readonly Vyy: Mat;
  readonly Vc: Mat;
  readonly Vxx: Mat;
}

const partsCache = new WeakMap<IvDesign, ArParts>();

function arParts(d: IvDesign): ArParts {
  const hit = partsCache.get(d);
  if (hit) return hit;
  const p = partialOut(d);
  const Z = p.inst,
    y = p.y,
    x = p.endo[0] as Float64Array;
  const ZZ = cross(Z),
    A = inv(ZZ);
  const piY = mulVec(A, crossVec(Z, y)),
    piX = mulVec(A, crossVec(Z, x));
  const ey = Float64Array.from(y),
    ex = Float64Array.from(x);
  Z.forEach((z, l) => {
    const a = piY[l] as number,
      b = piX[l] as number;
    for (let i = 0; i < ey.length; i++) {
      ey[i] -= a * (z[i] as number);
      ex[i] -= b * (z[i] as number);
    }
  });
  const L1 = Z.length;
  let Myy: Mat = [],
    Mxy: Mat = [],
    Mxx: Mat = [];
  if (d.vce.kind !== "iid") {
    const S = [...Z.map((z) => z.map((v, i) => v * (ey[i] as number))), ...Z.map((z) => z.map((v, i) => v * (ex[i] as number)))];
    const M = meatOf(S, d.vce);
    const blk = (r0: number, c0: number) =>
      Array.from({ length: L1 }, (_, i) => Array.from({ length: L1 }, (_, j) => at(M, r0 + i, c0 + j)));
    Myy = blk(0, 0);
    Mxy = blk(L1, 0);
    Mxx = blk(L1, L1);
  }
  const sandwichOf = (M: Mat): Mat => mul(mul(A, M), A);
  const robust = d.vce.kind !== "iid";
  const out: ArParts = {
    piY,
    piX,
    A,
    Myy,
    Mxy,
    Mxx,
    syy: dot(ey, ey),
    sxy: dot(ex, ey),
    sxx: dot(ex, ex),
    ZZ,
    Vyy: robust ? sandwichOf(Myy) : [],
    Vxx: robust ? sandwichOf(Mxx) : [],
    Vc: robust ? sandwichOf(Mxy.map((r, i) => r.map((v, j) => v + at(Mxy, j, i)))) : [],
  };
  partsCache.set(d, out);
  return out;
}

function scaleF(d: IvDesign, W: number): { stat: number; df1: number; df2: number } {
  const N = d.n,
    L1 = d.inst.length,
    L = L1 + d.exog.length;
  if (d.vce.kind === "cluster") {
    const G = nClusters(d.vce);
    return { stat: ((W / (N - 1)) * (N - L - d.sdofminus) * (G - 1)) / G / L1, df1: L1, df2: G - 1 };
  }
  const df2 = N - L - d.sdofminus;
  return { stat: ((W / N) * df2) / L1, df1: L1, df2 };
}

/** Raw Wald statistic at β0 (β0 = ±Infinity gives the limit, the first-stage Wald). */
function waldAt(parts: ArParts, d: IvDesign, b0: number): number {
  const L1 = parts.piY.length;
  const inf = !Number.isFinite(b0);
  const b = inf ? parts.piX.slice() : parts.piY.map((v, l) => v - b0 * (parts.piX[l] as number));
  if (d.vce.kind === "iid") {
    const s2 = (inf ? parts.sxx : parts.syy - 2 * b0 * parts.sxy + b0 * b0 * parts.sxx) / d.n;
    return dot(b, mulVec(parts.ZZ, b)) / s2;
  }
  const V: Mat = Array.from({ length: L1 }, (_, i) =>
    Array.from({ length: L1 }, (_, j) =>
      inf ? at(parts.Vxx, i, j) : at(parts.Vyy, i, j) - b0 * at(parts.Vc, i, j) + b0 * b0 * at(parts.Vxx, i, j),
    ),
  );
  if (L1 === 1) {
    const v = at(V, 0, 0);
    if (!(Math.abs(v) > 0) || !Number.isFinite(v)) throw new Error("singular matrix");
    return (b[0] as number) ** 2 / v;
  }
  return dot(b, mulVec(inv(V), b));
}

function check(d: IvDesign): Invalid | null {
  if (d.endo.length !== 1) return invalid(`the Anderson–Rubin test here is for one endogenous regressor (model has ${d.endo.length})`);
  if (d.vce.kind === "cluster" && nClusters(d.vce) < d.inst.length)
    return invalid(`${nClusters(d.vce)} clusters for ${d.inst.length} excluded instruments`);
  return null;
}

/**
 * Anderson & Rubin (1949, Annals of Mathematical Statistics 20) weak-instrument-robust test of H0: β = β0 for one endogenous
 * regressor, with the model's VCE, as ivreg2 computes it (`s_ffirst`): regress y − x·β0 on
 * all instruments and Wald-test the excluded ones (sandwich without small-sample factor),
 *
 *   AR F = W/N·(N − L − sdofminus)/L1 ~ F(L1, N − L − sdofminus)           (iid, robust)
 *   AR F = W/(N − 1)·(N − L − sdofminus)·(G − 1)/G/L1 ~ F(L1, G − 1)       (cluster)
 *
 * Everything is computed from L1×L1 blocks precomputed once, so the statistic is a cheap
 * rational function of β0: the coefficients are π_y − β0 π_x and the meat is
 * M_yy − β0(M_xy + M_yx) + β0² M_xx.
 *
 * `arConfidenceSet` inverts the test: {β0 : AR(β0) ≤ F crit}. It scans β0 = β̂ + s·tan θ on an
 * equally spaced θ-grid over (−π/2, π/2) (so the whole real line is covered), polishes every
 * sign change by bisection to machine precision, and decides the ends from the limit
 * AR(±∞) = the first-stage Wald F. The set is `bounded` (one finite interval), `unbounded`
 * (one interval reaching ±∞, or the whole line), `disjoint` (several pieces, possibly two
 * rays) or `empty`.
 *
 * @example
 *   const ar = andersonRubinTest(design, 0);       // F test of β = 0
 *   const cs = arConfidenceSet(design, { level: 0.95, center: b, scale: se });
 *   cs.kind; cs.intervals;                          // e.g. "bounded", [[0.31, 0.77]]
 */
export function andersonRubinTest(d: IvDesign, beta0: number): FStat | Invalid {
  const bad = check(d);
  if (bad) return bad;
  let s: { stat: number; df1: number; df2: number };
  try {
    s = scaleF(d, waldAt(arParts(d), d, beta0));
  } catch {
    return invalid("singular reduced-form variance (too few clusters or collinear instruments)");
  }
  return Object.freeze({ kind: "F", ...s, p: pF(s.stat, s.df1, s.df2) });
}

/** An AR confidence set: its shape, closed intervals (±Infinity for rays), level and critical value. */
export interface ArConfidenceSet {
  readonly kind: "bounded" | "unbounded" | "disjoint" | "empty";
  /** Closed intervals [lo, hi]; ±Infinity for unbounded ends. */
  readonly intervals: readonly (readonly [number, number])[];
  readonly level: number;
  /** F critical value used. */
  readonly critical: number;
  /** AR F at β0 → ±∞ (= the first-stage Wald F with the same scaling). */
  readonly limitF: number;
}

/** Upper quantile of F(d1, d2) by bisection on pF. */
export function qFupper(alpha: number, d1: number, d2: number): number {
  let lo = 0,
    hi = 1;
  while (pF(hi, d1, d2) > alpha) hi *= 2;
  for (let it = 0; it < 200; it++) {
    const mid = (lo + hi) / 2;
    if (pF(mid, d1, d2) > alpha) lo = mid;
    else hi = mid;
    if (hi - lo <= 1e-14 * hi) break;
  }
  return (lo + hi) / 2;
}

/**
 * Anderson–Rubin confidence set {β0 : AR(β0) ≤ F_{1−level}(L1, df2)}, by test inversion
 * (see `andersonRubinTest` for the statistic): a tan-spaced grid over the whole real line,
 * sign changes polished by bisection, the ends decided from the limit AR(±∞). `center` and
 * `scale` (e.g. the 2SLS estimate and its SE) only place the grid.
 *
 * @example
 *   const cs = arConfidenceSet(design, { level: 0.95, center: b, scale: se });
 *   cs.kind; cs.intervals; // "bounded", [[0.31, 0.77]]
 */
export function arConfidenceSet(
  d: IvDesign,
  opts: { level?: number; center: number; scale: number; gridPoints?: number },
): ArConfidenceSet | Invalid {
  try {
    return arSet(d, opts);
  } catch {
    return invalid("singular reduced-form variance (too few clusters or collinear instruments)");
  }
}

function arSet(d: IvDesign, opts: { level?: number; center: number; scale: number; gridPoints?: number }): ArConfidenceSet | Invalid {
  const bad = check(d);
  if (bad) return bad;
  const level = opts.level ?? 0.95;
  const parts = arParts(d);
  try {
    waldAt(parts, d, opts.center);
    waldAt(parts, d, Infinity);
  } catch {
    return invalid("singular reduced-form variance (too few clusters or collinear instruments)");
  }
  const fAt = (b: number) => scaleF(d, waldAt(parts, d, b));
  const { df1, df2 } = fAt(opts.center);
  const crit = qFupper(1 - level, df1, df2);
  const g = (b: number) => fAt(b).stat - crit;
  const s = opts.scale > 0 && Number.isFinite(opts.scale) ? opts.scale : Math.max(Math.abs(opts.center), 1);
  const m = opts.gridPoints ?? 4001;
  const betas: number[] = [],
    vals: number[] = [];
  for (let k = 1; k < m; k++) {
    const th = -Math.PI / 2 + (Math.PI * k) / m;
    const b = opts.center + s * Math.tan(th);
    betas.push(b);
    vals.push(g(b));
  }
  const roots: number[] = [];
  for (let k = 0; k + 1 < betas.length; k++) {
    const va = vals[k] as number,
      vb = vals[k + 1] as number;
    if (va <= 0 === vb <= 0) continue;
    let lo = betas[k] as number,
      hi = betas[k + 1] as number,
      glo = va;
    for (let it = 0; it < 200; it++) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      const gm = g(mid);
      if (gm <= 0 === glo <= 0) {
        lo = mid;
        glo = gm;
      } else hi = mid;
    }
    roots.push((lo + hi) / 2);
  }
  const limitF = scaleF(d, waldAt(parts, d, Infinity)).stat;
  const pts = [-Infinity, ...roots, Infinity];
  const intervals: [number, number][] = [];
  for (let r = 0; r + 1 < pts.length; r++) {
    const lo = pts[r] as number,
      hi = pts[r + 1] as number;
    let accept: boolean;
    if (!Number.isFinite(lo) && !Number.isFinite(hi)) accept = (vals[Math.floor(vals.length / 2)] as number) <= 0;
    else if (!Number.isFinite(lo) || !Number.isFinite(hi)) accept = limitF - crit <= 0;
    else accept = g((lo + hi) / 2) <= 0;
    if (!accept) continue;
    const last = intervals[intervals.length - 1];
    if (last && last[1] === lo) last[1] = hi;
    else intervals.push([lo, hi]);
  }
  const kind =
    intervals.length === 0
      ? "empty"
      : intervals.length > 1
        ? "disjoint"
        : intervals.some(([a, b]) => !Number.isFinite(a) || !Number.isFinite(b))
          ? "unbounded"
          : "bounded";
  return Object.freeze({
    kind,
    intervals: Object.freeze(intervals.map((iv) => Object.freeze(iv) as readonly [number, number])),
    level,
    critical: crit,
    limitF,
  });
}
