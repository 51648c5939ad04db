import { ArgumentError } from "../../util/errors";

export interface BinMeans {
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Observations per bin. */
  readonly n: Int32Array;
  /** OLS fit of y on x over all (finite) pairs. */
  readonly slope: number;
  readonly intercept: number;
}

/**
 * Equal-count bins of x (as binscatter): pairs with a non-finite x or y are dropped, the rest
 * sorted by x and cut into `bins` consecutive groups whose sizes differ by at most one (ties in x
 * may fall in adjacent bins); returns the mean x and mean y of each bin and the full-sample OLS line.
 *
 * @example
 *   binMeans([1, 2, 3, 4], [2, 4, 6, 8], 2); // x [1.5, 3.5], y [3, 7], n [2, 2], slope 2, intercept 0
 */
export function binMeans(x: ArrayLike<number>, y: ArrayLike<number>, bins = 20): BinMeans {
  if (x.length !== y.length) throw new ArgumentError(`x has ${x.length} values but y has ${y.length}`);
  const idx: number[] = [];
  for (let i = 0; i < x.length; i++) if (Number.isFinite(x[i] as number) && Number.isFinite(y[i] as number)) idx.push(i);
  const n = idx.length;
  if (n === 0) throw new ArgumentError("binMeans: no finite (x, y) pairs");
  idx.sort((a, b) => (x[a] as number) - (x[b] as number));
  const k = Math.max(1, Math.min(Math.floor(bins), n));
  const bx = new Float64Array(k);
  const by = new Float64Array(k);
  const bn = new Int32Array(k);
  let mx = 0;
  let my = 0;
  for (let b = 0; b < k; b++) {
    const lo = Math.floor((b * n) / k);
    const hi = Math.floor(((b + 1) * n) / k);
    let sx = 0;
    let sy = 0;
    for (let j = lo; j < hi; j++) {
      sx += x[idx[j] as number] as number;
      sy += y[idx[j] as number] as number;
    }
    bx[b] = sx / (hi - lo);
    by[b] = sy / (hi - lo);
    bn[b] = hi - lo;
    mx += sx;
    my += sy;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  for (const i of idx) {
    const dx = (x[i] as number) - mx;
    sxy += dx * ((y[i] as number) - my);
    sxx += dx * dx;
  }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { x: bx, y: by, n: bn, slope, intercept: my - slope * mx };
}
