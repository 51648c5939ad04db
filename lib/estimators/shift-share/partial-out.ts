import { demean } from "../../core/fixed-effects/demean";
import { qrLeastSquares } from "../../core/linalg/qr";
import { euclideanNorm } from "../../core/linalg/norm";
import { EstimationError } from "../../util/errors";
import type { ShiftShareControls } from "./types";
import { mapF64From } from "../../util/typed-map";

/** Residualised columns and the rank used by the controls and fixed effects. */
export interface ShiftSharePartialOut {
  readonly columns: Float64Array[];
  /** Rank of [Z, fixed-effect dummies] (kept controls + non-redundant fixed-effect levels). */
  readonly rank: number;
  /** Indices of controls dropped as collinear. */
  readonly droppedControls: number[];
}

/**
 * Partial controls Z and absorbed fixed effects D out of columns by (weighted) least squares —
 * the Frisch–Waugh–Lovell step of a shift-share regression (Adão, Kolesár & Morales 2019, QJE
 * 134(4), eq. 36: Ẍ, Ÿ are residuals on the controls). Fixed effects go through `demean`
 * (which also partials them out of Z), then Z̃ is regressed out by Householder QR on √w-scaled
 * columns, dropping later collinear controls as `lm` does.
 *
 * Formula: v̈ = M_D v − M_D Z (Z'M_D Ω M_D Z)⁻¹ Z'M_D Ω M_D v, with Ω = diag(w) and M_D the
 * weighted within transformation.
 *
 * The rank counts the intercept (when `intercept` and no fixed effects), the kept controls and
 * the fixed-effect levels less one per extra fixed effect and less the redundant levels the
 * direct demeaning finds (MAP demeaning cannot find further redundancies: then the rank is an
 * upper bound, as in fixest's default).
 *
 * @example
 *   const { columns: [ddY, ddX] } = shiftSharePartialOut([y, x], { controls: [z1, z2], weights: w });
 */
export function shiftSharePartialOut(columns: readonly Float64Array[], opts: ShiftShareControls): ShiftSharePartialOut {
  const n = columns[0]?.length ?? 0;
  const w = opts.weights;
  const fes = opts.fixedEffects ?? [];
  const Z0: Float64Array[] = [];
  if (fes.length === 0 && (opts.intercept ?? true)) Z0.push(new Float64Array(n).fill(1));
  for (const z of opts.controls ?? []) Z0.push(z);
  let feRank = 0;
  let cols = [...columns];
  let Z = Z0;
  if (fes.length > 0) {
    const d = demean([...cols, ...Z0], { factors: fes, ...(w ? { weights: w } : {}) });
    if (!d.converged) throw new EstimationError("shiftSharePartialOut: fixed-effect demeaning did not converge");
    cols = d.columns.slice(0, cols.length);
    Z = d.columns.slice(columns.length);
    feRank = fes.reduce((a, f) => a + f.size, 0) - (fes.length - 1) - (d.redundantLevels ?? 0);
  }
  if (Z.length === 0) return { columns: cols.map((c) => Float64Array.from(c)), rank: feRank, droppedControls: [] };
  const sw = w ? mapF64From(w, Math.sqrt) : null;
  const scale = (v: Float64Array) => (sw ? mapF64From(v, (x, i) => x * (sw[i] as number)) : v);
  const Zs = Z.map(scale);
  const refNorms = Z0.map((z) => euclideanNorm(scale(z)));
  const out: Float64Array[] = [];
  let kept: number[] = [];
  let dropped: number[] = [];
  for (const c of cols) {
    // "auto": Householder QR on small designs; on large ones (N·K² > 5e6) the Gram/Cholesky
    // solve with one refinement step and R lm's collinearity tolerance (see qrLeastSquares)
    const fit = qrLeastSquares(Zs, scale(c), { refNorms });
    kept = fit.kept;
    dropped = fit.dropped;
    const r = Float64Array.from(c);
    fit.kept.forEach((j, k) => {
      const z = Z[j] as Float64Array;
      const b = fit.beta[k] as number;
      for (let i = 0; i < n; i++) r[i] = (r[i] as number) - b * (z[i] as number);
    });
    out.push(r);
  }
  return { columns: out, rank: feRank + kept.length, droppedControls: dropped };
}
