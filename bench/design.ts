/**
 * The paper-scale benchmark design (not a fixture: only its shape matters): rows of
 * city × HS4 × year cells drawn from 280 cities × 1,200 HS4 × 11 years with unequal
 * weights (city size, product popularity, trade growth, city specialisation in a band of
 * products), so the three fixed effects are far from orthogonal — as in the EQ paper's
 * 616,591-row panel. Up to 3,696,000 distinct cells are drawn without replacement
 * (Efraimidis–Spirakis keys); larger designs (5,000,000 rows) draw cells with replacement
 * (several firms per cell). Columns: y, x1..x10, z1 (instrument for x1), city, hs4, year.
 *
 *   npx tsx bench/design.ts OUT.csv [N=616591] [SEED=1]
 */
import * as fs from "node:fs";
import { rng } from "../lib/util/rng";

export function writeDesign(out: string, N: number, seed = 1): void {
  const r = rng(seed).fork("bench-design");
  const GC = 280,
    GH = 1200,
    GT = 11,
    cells = GC * GH * GT;
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
  const aC = Float64Array.from({ length: GC }, (_, c) => r.normal() + 2 * (pC[c] as number));
  const aH = Float64Array.from({ length: GH }, (_, h) => r.normal() + 2 * (qH[h] as number));
  const aT = Float64Array.from({ length: GT }, () => 0.3 * r.normal());
  const ch = Float64Array.from({ length: GC * GH }, () => 0.5 * r.normal());
  const beta = [0.5, -0.25, 0.1, 0.2, -0.1, 0.05, 0.3, -0.2, 0.15, 0];
  const fd = fs.openSync(out, "w");
  fs.writeSync(fd, "y,x1,x2,x3,x4,x5,x6,x7,x8,x9,x10,z1,city,hs4,year\n");
  let buf: string[] = [];
  const x = new Float64Array(10);
  for (let k = 0; k < N; k++) {
    const cell = chosen[k] as number;
    const c = Math.floor(cell / (GH * GT)),
      h = Math.floor(cell / GT) % GH,
      t = cell % GT;
    const ac = aC[c] as number,
      ah = aH[h] as number;
    const z1 = r.normal() + 0.3 * ac;
    const u = r.normal() + (ch[c * GH + h] as number);
    x[0] = 0.6 * z1 + 0.4 * u + 0.4 * ah + r.normal();
    for (let j = 1; j < 10; j++) x[j] = r.normal() + 0.2 * ((j + 1) % 3) * ac + 0.1 * ah;
    let y = ac + ah + (aT[t] as number) + u + r.normal();
    for (let j = 0; j < 10; j++) y += (beta[j] as number) * (x[j] as number);
    buf.push(`${y.toFixed(6)},${Array.from(x, (v) => v.toFixed(6)).join(",")},${z1.toFixed(6)},${c + 1},${h + 1},${2000 + t}`);
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
    console.error("usage: npx tsx bench/design.ts OUT.csv [N] [SEED]");
    process.exit(2);
  }
  writeDesign(out, Number(process.argv[3] ?? 616_591), Number(process.argv[4] ?? 1));
  console.log(`wrote ${out}`);
}
