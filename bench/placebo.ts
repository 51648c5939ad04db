/**
 * Timing: 1,000 placebo replications at the EQ paper's scale.
 *
 *   npx tsx bench/placebo.ts [rows=616591] [reps=1000] [seed=1]
 *
 * Generates in memory the design of bench/r/make_design.R (same recipe, our RNG, so the numbers
 * differ but the shape is the same): N distinct (city, hs4, year) cells sampled with unequal
 * weights from 280 cities × 1,200 HS4 × 11 years, city-specialised products, 10 regressors,
 * a city^hs4 cluster shock; then runs `placebo(…, { permute: "x1", reps })` on
 * y ~ x1 + … + x10 | city + hs4 + year with vcov cluster city^hs4, and prints one JSON line:
 * generation time, setup time (frame + demeaning + QR, measured separately), replication time,
 * per-replication ms, whole-process seconds, and the placebo summary.
 */
import { table } from "../lib/data/table";
import { rng } from "../lib/util/rng";
import { placebo, preparePlacebo } from "../lib/estimators/resampling/placebo";

const t00 = performance.now();
const N = Number(process.argv[2] ?? 616591);
const reps = Number(process.argv[3] ?? 1000);
const seed = Number(process.argv[4] ?? 1);
const r = rng(seed).fork("bench-design");
const GC = 280,
  GH = 1200,
  GY = 11;
const cells = GC * GH * GY;
if (N > cells) throw new Error(`rows must be ≤ ${cells}`);
const lnorm = (sd: number) => Math.exp(sd * r.normal());
const pCity = Float64Array.from({ length: GC }, () => r.uniform());
const qHs4 = Float64Array.from({ length: GH }, () => r.uniform());
const sizeCity = Float64Array.from({ length: GC }, () => lnorm(1.5));
const popHs4 = Float64Array.from({ length: GH }, () => lnorm(1.5));
// Efraimidis–Spirakis: keep the N cells with the smallest −log(U)/w
const key = new Float64Array(cells);
for (let cell = 0; cell < cells; cell++) {
  const c = Math.floor(cell / (GH * GY)),
    h = Math.floor(cell / GY) % GH,
    y = cell % GY;
  const w =
    (sizeCity[c] as number) *
    (popHs4[h] as number) *
    Math.exp(0.08 * y) *
    Math.exp(-Math.abs((pCity[c] as number) - (qHs4[h] as number)) / 0.03);
  key[cell] = -Math.log(1 - r.uniform()) / w;
}
const thr = Float64Array.from(key).sort()[N - 1] as number;
const city = new Float64Array(N),
  hs4 = new Float64Array(N),
  year = new Float64Array(N);
let n = 0;
for (let cell = 0; cell < cells && n < N; cell++)
  if ((key[cell] as number) <= thr) {
    city[n] = Math.floor(cell / (GH * GY)) + 1;
    hs4[n] = (Math.floor(cell / GY) % GH) + 1;
    year[n] = (cell % GY) + 2000;
    n++;
  }
const aC = Float64Array.from({ length: GC }, () => r.normal());
const aH = Float64Array.from({ length: GH }, () => r.normal());
const aT = Float64Array.from({ length: GY }, () => r.normal(0, 0.3));
const ch = Float64Array.from({ length: GC * GH }, () => r.normal(0, 0.5));
const cols: Record<string, Float64Array> = {};
const X = Array.from({ length: 10 }, () => new Float64Array(N));
const y = new Float64Array(N);
const beta = [0.5, -0.25, 0.1, 0.2, -0.1, 0.05, 0.3, -0.2, 0.15, 0];
for (let i = 0; i < N; i++) {
  const c = (city[i] as number) - 1,
    h = (hs4[i] as number) - 1,
    t = (year[i] as number) - 2000;
  const ac = (aC[c] as number) + 2 * (pCity[c] as number),
    ah = (aH[h] as number) + 2 * (qHs4[h] as number);
  const z1 = r.normal() + 0.3 * ac;
  const u = r.normal() + (ch[c * GH + h] as number);
  (X[0] as Float64Array)[i] = 0.6 * z1 + 0.4 * u + 0.4 * ah + r.normal();
  for (let k = 2; k <= 10; k++) (X[k - 1] as Float64Array)[i] = r.normal() + 0.2 * (k % 3) * ac + 0.1 * ah;
  let xb = 0;
  for (let k = 0; k < 10; k++) xb += (beta[k] as number) * ((X[k] as Float64Array)[i] as number);
  y[i] = xb + ac + ah + (aT[t] as number) + u + r.normal();
}
X.forEach((x, k) => (cols[`x${k + 1}`] = x));
const data = table({ y, ...cols, city, hs4, year });
const genS = (performance.now() - t00) / 1000;

async function main(): Promise<void> {
  const formula = "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10 | city + hs4 + year";
  const vcov = "cluster:city^hs4";
  const tS = performance.now();
  preparePlacebo(data, formula, { permute: "x1", vcov });
  const setupS = (performance.now() - tS) / 1000;
  const t0 = performance.now();
  const p = await placebo(data, formula, { permute: "x1", reps, seed, vcov });
  const placeboS = (performance.now() - t0) / 1000;
  const repS = placeboS - setupS;
  console.log(
    JSON.stringify({
      bench: "placebo_ts",
      rows: N,
      reps,
      seed,
      formula,
      vcov,
      generate_s: +genS.toFixed(3),
      setup_s: +setupS.toFixed(3),
      placebo_call_s: +placeboS.toFixed(3),
      replications_s_approx: +repS.toFixed(3),
      per_rep_ms: +((repS / reps) * 1000).toFixed(2),
      whole_process_s: +process.uptime().toFixed(3),
      actual: p.actual,
      coef_mean: p.coefMean,
      coef_sd: p.coefSd,
      t_mean: p.tMean,
      share_abs_t_gt_1_96: p.shareAbsTGt196,
      p_value: p.pValue,
      rss_mb: Math.round(process.memoryUsage().rss / 1e6),
    }),
  );
}

void main();
