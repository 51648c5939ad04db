/**
 * Benchmark designs (not fixtures: only their shape matters). Each writes a CSV with y, x1..x10,
 * z1 (instrument for x1), city, hs4, year and firm, with every double written at full precision
 * (shortest round-trip form, 15–17 significant digits, as R's fwrite, Stata and pandas write
 * doubles); `precision: 6` writes six decimals instead (the old benchmark's format, kept to
 * show what the parser's fast path buys).
 *
 * - `specialised` (design B): cells of city × HS4 × year drawn from 280 × 1,200 × 11 with unequal
 *   weights (city size, product popularity, trade growth, each city specialised in a band of
 *   products), so the three fixed effects are far from orthogonal, as in the EQ paper's
 *   616,591-row panel. Up to 3,696,000 distinct cells without replacement (Efraimidis–Spirakis
 *   keys); larger N with replacement. Formula: `| city + hs4 + year`.
 * - `independent` (design A): city, HS4 and year drawn independently and uniformly for each row
 *   (nearly orthogonal fixed effects). Formula: `| city + hs4 + year`.
 * - `firm` (design C): 100,000 firms (each in one of 280 cities; every firm has at least two
 *   rows, so no singletons), HS4 and year per row. Formula: `| firm + hs4 + year`.
 *
 * In every design x1 is endogenous (correlated with the error), z1 its instrument; the errors
 * carry a city × HS4 shock (the benchmark clusters on city^hs4).
 *
 *   npx tsx bench/design.ts OUT.csv [N=616591] [SEED=1] [KIND=specialised] [PRECISION=full|6]
 */
import * as fs from "node:fs";
import { rng, type Rng } from "../lib/util/rng";

export type DesignKind = "specialised" | "independent" | "firm";

export interface DesignOptions {
  readonly kind?: DesignKind;
  /** "full" (default): shortest round-trip doubles; 6: six decimals. */
  readonly precision?: "full" | 6;
}

const GC = 280,
  GH = 1200,
  GT = 11,
  FIRMS = 100_000;

/** Row → (city, hs4, year, firm) codes (0-based) of a design. */
interface Cells {
  readonly city: Int32Array;
  readonly hs4: Int32Array;
  readonly year: Int32Array;
  readonly firm: Int32Array;
  /** The specialised design's city and product positions (they also shift the FE values). */
  readonly pC?: Float64Array;
  readonly qH?: Float64Array;
}

function cellsFor(kind: DesignKind, N: number, r: Rng): Cells {
  const city = new Int32Array(N),
    hs4 = new Int32Array(N),
    year = new Int32Array(N),
    firm = new Int32Array(N);
  if (kind === "independent") {
    for (let k = 0; k < N; k++) {
      city[k] = Math.floor(r.uniform() * GC);
      hs4[k] = Math.floor(r.uniform() * GH);
      year[k] = Math.floor(r.uniform() * GT);
      firm[k] = Math.floor(r.uniform() * FIRMS);
    }
    return { city, hs4, year, firm };
  }
  if (kind === "firm") {
    if (N < 2 * FIRMS) throw new RangeError(`the firm design needs N ≥ ${2 * FIRMS}`);
    const firmCity = Int32Array.from({ length: FIRMS }, () => Math.floor(r.uniform() * GC));
    for (let k = 0; k < N; k++) {
      const f = k < 2 * FIRMS ? k >> 1 : Math.floor(r.uniform() * FIRMS);
      firm[k] = f;
      city[k] = firmCity[f] as number;
      hs4[k] = Math.floor(r.uniform() * GH);
      year[k] = Math.floor(r.uniform() * GT);
    }
    return { city, hs4, year, firm };
  }
  const cells = GC * GH * GT;
  const pC = Float64Array.from({ length: GC }, () => r.uniform());
  const qH = Float64Array.from({ length: GH }, () => r.uniform());
  const sizeC = Float64Array.from({ length: GC }, () => Math.exp(1.5 * r.normal()));
  const popH = Float64Array.from({ length: GH }, () => Math.exp(1.5 * r.normal()));
  const w = new Float64Array(cells);
  for (let c = 0; c < GC; c++)
    for (let h = 0; h < GH; h++) {
      const base = (sizeC[c] as number) * (popH[h] as number) * Math.exp(-Math.abs((pC[c] as number) - (qH[h] as number)) / 0.03);
      for (let t = 0; t < GT; t++) w[(c * GH + h) * GT + t] = base * Math.exp(0.08 * t);
    }
  let chosen: Int32Array;
  if (N <= cells) {
    const key = new Float64Array(cells);
    for (let i = 0; i < cells; i++) key[i] = -Math.log(1 - r.uniform()) / (w[i] as number);
    const idx = Int32Array.from({ length: cells }, (_, i) => i);
    idx.sort((a, b) => (key[a] as number) - (key[b] as number));
    chosen = idx.slice(0, N).sort();
  } else {
    const cum = new Float64Array(cells);
    let s = 0;
    for (let i = 0; i < cells; i++) {
      s += w[i] as number;
      cum[i] = s;
    }
    chosen = new Int32Array(N);
    for (let k = 0; k < N; k++) {
      const u = r.uniform() * s;
      let lo = 0,
        hi = cells - 1;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if ((cum[m] as number) < u) lo = m + 1;
        else hi = m;
      }
      chosen[k] = lo;
    }
    chosen.sort();
  }
  for (let k = 0; k < N; k++) {
    const cell = chosen[k] as number;
    city[k] = Math.floor(cell / (GH * GT));
    hs4[k] = Math.floor(cell / GT) % GH;
    year[k] = cell % GT;
    firm[k] = Math.floor(r.uniform() * FIRMS);
  }
  return { city, hs4, year, firm, pC, qH };
}

/**
 * Write design `kind` with N rows to `out` (see the module comment).
 *
 * @example
 *   writeDesign("/tmp/a.csv", 616_591, 1, { kind: "independent" });
 */
export function writeDesign(out: string, N: number, seed = 1, opts: DesignOptions = {}): void {
  const kind = opts.kind ?? "specialised";
  const r = rng(seed).fork(kind === "specialised" ? "bench-design" : `bench-design-${kind}`);
  const { city, hs4, year, firm, pC, qH } = cellsFor(kind, N, r);
  const aC = Float64Array.from({ length: GC }, (_, c) => r.normal() + (pC ? 2 * (pC[c] as number) : 0));
  const aH = Float64Array.from({ length: GH }, (_, h) => r.normal() + (qH ? 2 * (qH[h] as number) : 0));
  const aT = Float64Array.from({ length: GT }, () => 0.3 * r.normal());
  const aF = kind === "firm" ? Float64Array.from({ length: FIRMS }, () => r.normal()) : null;
  const ch = Float64Array.from({ length: GC * GH }, () => 0.5 * r.normal());
  const beta = [0.5, -0.25, 0.1, 0.2, -0.1, 0.05, 0.3, -0.2, 0.15, 0];
  const fmt = opts.precision === 6 ? (v: number) => v.toFixed(6) : (v: number) => String(v);
  const fd = fs.openSync(out, "w");
  fs.writeSync(fd, "y,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,z1,city,hs4,year,firm\n");
  let buf: string[] = [];
  const x = new Float64Array(10);
  for (let k = 0; k < N; k++) {
    const c = city[k] as number,
      h = hs4[k] as number,
      t = year[k] as number,
      f = firm[k] as number;
    const ac = (aC[c] as number) + (aF ? (aF[f] as number) : 0),
      ah = aH[h] as number;
    const z1 = r.normal() + 0.3 * ac;
    const u = r.normal() + (ch[c * GH + h] as number);
    x[0] = 0.6 * z1 + 0.4 * u + 0.4 * ah + r.normal();
    for (let j = 1; j < 10; j++) x[j] = r.normal() + 0.2 * ((j + 1) % 3) * ac + 0.1 * ah;
    let y = ac + ah + (aT[t] as number) + u + r.normal();
    for (let j = 0; j < 10; j++) y += (beta[j] as number) * (x[j] as number);
    buf.push(`${fmt(y)},${Array.from(x, fmt).join(",")},${fmt(z1)},${c + 1},${h + 1},${2000 + t},${f + 1}`);
    if (buf.length === 50_000) {
      fs.writeSync(fd, buf.join("\n") + "\n");
      buf = [];
    }
  }
  if (buf.length) fs.writeSync(fd, buf.join("\n") + "\n");
  fs.closeSync(fd);
}

if (require.main === module) {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: npx tsx bench/design.ts OUT.csv [N] [SEED] [KIND=specialised|independent|firm] [PRECISION=full|6]");
    process.exit(2);
  }
  const kind = (process.argv[5] ?? "specialised") as DesignKind;
  writeDesign(out, Number(process.argv[3] ?? 616_591), Number(process.argv[4] ?? 1), {
    kind,
    precision: process.argv[6] === "6" ? 6 : "full",
  });
  console.log(`wrote ${out}`);
}
