import { table, type Table } from "../../../lib/data/table";
import { rng } from "../../../lib/util/rng";

/** Relative difference with a floor, so exact zeros compare absolutely. */
export function rel(a: number, b: number, floor = 1e-12): number {
  return Math.abs(a - b) / Math.max(Math.abs(b), floor);
}

/**
 * A small panel: `nCity` cities × `nYear` years × `perCell` products, three FE-able ids,
 * cluster city^prod, regressors x1..x3 and a city-level regressor xc (constant within city).
 */
export function panel(
  seed: number,
  opts: { nCity?: number; nYear?: number; perCell?: number; beta1?: number; dropShare?: number } = {},
): Table {
  const r = rng(seed);
  const nCity = opts.nCity ?? 20,
    nYear = opts.nYear ?? 6,
    perCell = opts.perCell ?? 4;
  const city: number[] = [],
    year: number[] = [],
    prod: number[] = [];
  for (let c = 0; c < nCity; c++)
    for (let t = 0; t < nYear; t++)
      for (let p = 0; p < perCell; p++) {
        if (r.uniform() < (opts.dropShare ?? 0.1)) continue;
        city.push(c);
        year.push(2000 + t);
        prod.push((c * 3 + p) % 11);
      }
  const n = city.length;
  const ac = Array.from({ length: nCity }, () => r.normal());
  const at = Array.from({ length: nYear }, () => r.normal(0, 0.5));
  const xcity = Array.from({ length: nCity }, () => r.normal());
  const shock = new Map<string, number>();
  const x1 = new Float64Array(n),
    x2 = new Float64Array(n),
    x3 = new Float64Array(n),
    xc = new Float64Array(n),
    y = new Float64Array(n),
    w = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = city[i] as number,
      t = (year[i] as number) - 2000,
      p = prod[i] as number;
    const key = `${c}^${p}`;
    if (!shock.has(key)) shock.set(key, r.normal(0, 0.7));
    x1[i] = 0.5 * (ac[c] as number) + r.normal();
    x2[i] = 0.3 * (x1[i] as number) + r.normal();
    x3[i] = r.normal() + 0.2 * t;
    xc[i] = xcity[c] as number;
    w[i] = 0.5 + r.uniform();
    y[i] =
      (opts.beta1 ?? 0.4) * (x1[i] as number) -
      0.3 * (x2[i] as number) +
      0.1 * (x3[i] as number) +
      (ac[c] as number) +
      (at[t] as number) +
      (shock.get(key) as number) +
      r.normal();
  }
  return table({ y, x1, x2, x3, xc, w, city: Float64Array.from(city), year: Float64Array.from(year), prod: Float64Array.from(prod) });
}
