/**
 * EQ §3 measurement helpers (Zhao, Ban, Li & Liu 2022, *Economic Management* 44(7)): the inputs
 * of the quality pipeline (18)–(21), the Bartik shifts of (22) rebuilt from the real OECD
 * input–output coefficients, base-period census shares, checks that the rebuilt index equals
 * the panel's, the σ̂ diagnostics of (18), and Table 1 (descriptive statistics) beside the
 * published moments. Used by `notebooks/eq/eq-03-measurement.ipynb`.
 */
import * as path from "node:path";
import { readTable } from "../../data/io";
import { CENSUS } from "../../data/schemas";
import { column, hasColumn, numeric, table, fromRecords, takeRows, type Table } from "../../data/table";
import { describe } from "../../report/describe";
import { dataTable } from "../../report/data-table";
import type { ReportTable } from "../../report/model";
import { curvePlot } from "../../report/charts/curve-plot";
import { frame, type VegaLiteSpec } from "../../report/charts/spec";
import { ArgumentError, DataError } from "../../util/errors";
import { eqAnomalyNotes } from "./anomalies";
import { EQ_TABLE1 } from "./published";
import { TRUTH } from "../../synth/truth";
import { bartik, digitalShift, type BartikReport } from "../../measures/bartik";
import { rotembergByIndustry, type RotembergOlsResult } from "../../measures/rotemberg-ols";
import { EQ_CONTROLS, buildQualityPanel, type QualityPanel } from "./panel";
import { EQ_BASELINE, EQ_FE, eqFormula } from "./specs";
import { iv2sls } from "../../estimators/iv2sls";
import { feols } from "../../estimators/feols";
import { truthFor, eqRealisedTruth, type TruthSource } from "../truth";
import type { QualityOptions } from "../../measures/quality";
import type { HsHarmoniseCounts } from "../../measures/quality/harmonise";
import { publicDataPath } from "../../data/public";
import { keyAt, keysOf, numberAt } from "../../data/keys";
import { qualityStepsTable, type QualityResult } from "../../measures/quality";
import { mapF64From } from "../../util/typed-map";

/** ω, the digital share of the OECD D45T47 (wholesale and retail trade) coefficient: the synthetic DGP's value (the paper prints none). */
export const DIGITAL_TRADE_SHARE = 0.2;

/**
 * The raw files `productQuality` reads from a data folder (codebook schemas `customs`, `sigma`,
 * `products`).
 *
 * @example
 *   const q = await productQuality({ ...qualityInputs(notebookEnv().dataDir), sigmaBy: "hs3" });
 */
export function qualityInputs(dir: string): { customs: string; sigma: string; products: string } {
  return { customs: path.join(dir, "customs.parquet"), sigma: path.join(dir, "sigma_hs3.csv"), products: path.join(dir, "products.csv") };
}

export interface OecdShiftOptions {
  /**
   * Splitting coefficient ω of wholesale/retail D45T47 (its digital, e-commerce fraction). The
   * paper splits G46/G47 with China Economic Census coefficients (Xu & Zhang 2020) that it does
   * not print; the OECD 2021 tables have D45T47 as one row. Default 0.2, the synthetic DGP's value.
   */
  readonly omega?: number;
  /** Years of the output (default: the years of the file). Years after the file's last year carry its last year forward (counted). */
  readonly years?: readonly [number, number];
  /**
   * Level normalisation: the factor that makes the national-output-weighted mean of the shift
   * over `targetYears` equal this value (default 0.574, the published mean of vagg in EQ
   * Table 1 — the paper prints no scale of its own). `null`: no rescaling (raw coefficients).
   */
  readonly targetMean?: number | null;
  /** Years of the normalisation (default 2005–2015, the EQ sample). */
  readonly targetYears?: readonly [number, number];
  /** Coefficient file (default `data/raw/public/io/oecd_iot2021_chn_digital_coef.csv`). */
  readonly file?: string;
  /** Sector list with names (default `data/raw/public/io/oecd_iot2021_sectors.csv`). */
  readonly sectorsFile?: string;
}

export interface OecdShifts {
  /** ind (ISIC Rev.4 using industry), name, year, shift_raw, shift (= scale · shift_raw), national_share, source_year. */
  readonly table: Table;
  readonly scale: number;
  /** National-output-weighted mean of shift_raw over the target years. */
  readonly rawMean: number;
  readonly targetMean: number | null;
  readonly omega: number;
  readonly industries: readonly string[];
  /** (industry, year) cells filled from the file's last year (the file ends before the requested years). */
  readonly carriedForward: number;
  /** (industry, year) cells where a listed digital input is missing (shift NaN). */
  readonly missingInputs: number;
  readonly file: string;
}

/**
 * The Bartik "shift" of EQ (22) from the real OECD Input–Output Tables 2021 for China:
 *
 *   Virtual_st = scale · (a_{D61→s,t} + a_{D62T63→s,t} + ω · a_{D45T47→s,t})
 *
 * a = direct input coefficient (z / output of the using industry s), inputs telecom (D61),
 * IT and information services (D62T63) and the digital fraction ω of trade (D45T47); the raw
 * sum comes from {@link digitalShift}. `scale` sets the national-output-weighted mean over
 * 2005–2015 (weights: each using industry's output share in the same file) to the published
 * Table 1 mean of vagg (0.574) — a level normalisation the paper does not print; it does not
 * change any t-statistic, but it sets the units of β (β̂ scales with 1/scale). With ω = 0.2 the
 * raw national mean is ≈ 0.014 (digital inputs are about 1.4 % of gross output) and the
 * factor is ≈ 41.6: a direct-input share of 0.574 (57 % of output spent on digital services)
 * is not a plausible level, so the published mean cannot be an unscaled coefficient sum. The
 * factor depends on ω (`bartikOmegaSensitivity`), and every index built from these shifts —
 * vagg (22) and the coagglomeration index coa (27) of the extension — inherits it. This is exactly how the synthetic generator builds
 * `digital_shifts.csv` (`lib/synth/skeleton.ts`), so the result can be checked against that file.
 *
 * @example
 *   const sh = await oecdDigitalShifts({ omega: 0.2, years: [2002, 2019] });
 *   sh.table;   // 17 industries × 18 years: ind, name, year, shift_raw, shift, national_share, source_year
 *   sh.scale;   // ≈ 41.6 at ω = 0.2 (raw national mean ≈ 0.0138)
 */
export async function oecdDigitalShifts(o: OecdShiftOptions = {}): Promise<OecdShifts> {
  const omega = o.omega ?? DIGITAL_TRADE_SHARE;
  if (!(omega >= 0 && omega <= 1)) throw new ArgumentError(`omega (digital share of trade D45T47) must be in [0, 1], got ${omega}`);
  const file = o.file ?? publicDataPath("io", "oecd_iot2021_chn_digital_coef.csv");
  const coefs = await readTable(file);
  const raw = digitalShift(coefs, { inputs: { D61: 1, D62T63: 1, D45T47: omega } });
  // national output of each using industry and year (the same in every input row: check)
  const useC = keysOf(column(coefs, "use_isic4"));
  const yC = column(coefs, "year");
  const outC = numeric(coefs, "output");
  const output = new Map<string, number>();
  for (let i = 0; i < coefs.nrows; i++) {
    const k = `${useC[i]}\u001f${numberAt(yC, i, file, "year")}`;
    const v = outC[i] as number;
    const prev = output.get(k);
    if (prev === undefined) output.set(k, v);
    else if (Math.abs(prev - v) > 1e-9 * Math.max(1, Math.abs(v)))
      throw new DataError(`output of "${useC[i]}" differs between input rows (${prev} vs ${v})`, { file, column: "output", row: i + 1 });
  }
  const rt = raw.table;
  const rInd = keysOf(column(rt, "ind")) as string[];
  const rTime = numeric(rt, "time");
  const rShift = numeric(rt, "shift");
  const cell = new Map<string, number>();
  const fileYears = new Set<number>();
  for (let i = 0; i < rt.nrows; i++) {
    cell.set(`${rInd[i]}\u001f${rTime[i]}`, rShift[i] as number);
    fileYears.add(rTime[i] as number);
  }
  const fy = [...fileYears].sort((a, b) => a - b);
  const minY = fy[0] as number,
    maxY = fy[fy.length - 1] as number;
  const [y0, y1] = o.years ?? [minY, maxY];
  if (y0 < minY) throw new ArgumentError(`years start in ${y0}, before the first year of ${path.basename(file)} (${minY})`);
  if (y1 < y0) throw new ArgumentError(`years [${y0}, ${y1}] is empty`);
  const industries = [...new Set(rInd)].sort();
  const names = await oecdSectorNames(o.sectorsFile);
  const years: number[] = [];
  for (let y = y0; y <= y1; y++) years.push(y);
  const recs: { ind: string; name: string; year: number; shift_raw: number; national_share: number; source_year: number }[] = [];
  let carriedForward = 0;
  for (const s of industries) {
    for (const y of years) {
      const src = Math.min(y, maxY);
      if (src !== y) carriedForward++;
      const v = cell.get(`${s}\u001f${src}`);
      let tot = 0;
      for (const s2 of industries) tot += output.get(`${s2}\u001f${src}`) ?? NaN;
      recs.push({
        ind: s,
        name: names.get(s) ?? s,
        year: y,
        shift_raw: v ?? NaN,
        national_share: (output.get(`${s}\u001f${src}`) ?? NaN) / tot,
        source_year: src,
      });
    }
  }
  // normalisation
  const targetMean = o.targetMean === undefined ? EQ_TABLE1["vagg"]!.mean : o.targetMean;
  const [ty0, ty1] = o.targetYears ?? [2005, 2015];
  let acc = 0,
    nt = 0;
  for (let y = ty0; y <= ty1; y++) {
    const src = Math.min(y, maxY);
    if (src < minY) throw new ArgumentError(`target year ${y} is before the first year of ${path.basename(file)} (${minY})`);
    let tot = 0;
    for (const s of industries) tot += output.get(`${s}\u001f${src}`) ?? NaN;
    let v = 0;
    for (const s of industries) v += ((output.get(`${s}\u001f${src}`) ?? NaN) / tot) * (cell.get(`${s}\u001f${src}`) ?? NaN);
    acc += v;
    nt++;
  }
  const rawMean = acc / nt;
  if (targetMean !== null && !(Number.isFinite(rawMean) && rawMean > 0))
    throw new DataError(`the national-output-weighted mean shift over ${ty0}–${ty1} is ${rawMean}; cannot normalise`, { file });
  const scale = targetMean === null ? 1 : targetMean / rawMean;
  const t = table(
    {
      ind: recs.map((r) => r.ind),
      name: recs.map((r) => r.name),
      year: mapF64From(recs, (r) => r.year),
      shift_raw: mapF64From(recs, (r) => r.shift_raw),
      shift: mapF64From(recs, (r) => r.shift_raw * scale),
      national_share: mapF64From(recs, (r) => r.national_share),
      source_year: mapF64From(recs, (r) => r.source_year),
    },
    file,
  );
  return { table: t, scale, rawMean, targetMean, omega, industries, carriedForward, missingInputs: raw.missingInputs, file };
}

/**
 * ISIC Rev.4 code → sector description of the OECD IOT 2021 sector list
 * (`data/raw/public/io/oecd_iot2021_sectors.csv`: code, description, isic4).
 *
 * @example (await oecdSectorNames()).get("D26"); // "Computer, electronic and optical equipment"
 */
export async function oecdSectorNames(file = publicDataPath("io", "oecd_iot2021_sectors.csv")): Promise<Map<string, string>> {
  const t = await readTable(file);
  const code = column(t, "isic4"),
    desc = column(t, "description");
  const m = new Map<string, string>();
  for (let i = 0; i < t.nrows; i++) {
    const k = keyAt(code, i);
    const d = keyAt(desc, i);
    if (k !== null && d !== null) m.set(k, d);
  }
  return m;
}

export interface CensusShares {
  /** city, ind, share (output_sc / Σ_s output_sc). */
  readonly table: Table;
  readonly rows: number;
  readonly cities: number;
  readonly industries: number;
  /** Rows with a missing or negative output (left out of the shares and the city totals). */
  readonly droppedRows: number;
}

/**
 * Base-period industry shares of (22) from an economic census file (codebook `census`:
 * city_code, industry, output): share_{s,c} = output_{s,c} / Σ_s output_{s,c}. Rows with a
 * missing or negative output are left out and counted; a city whose output sums to 0 is an error.
 *
 * @example
 *   const cs = await censusShares("data/raw/synthetic/default/census_2004.csv");
 *   bartik(cs.table, sh.table, { unit: "city", industry: "ind", time: "year", shift: "shift" });
 */
export async function censusShares(file: string): Promise<CensusShares> {
  const t = await readTable(file, { schema: CENSUS, columns: ["city_code", "industry", "output"] });
  const city = column(t, "city_code"),
    ind = column(t, "industry"),
    out = numeric(t, "output");
  const tot = new Map<string, number>();
  const keep: number[] = [];
  let dropped = 0;
  for (let i = 0; i < t.nrows; i++) {
    const c = keyAt(city, i),
      s = keyAt(ind, i),
      v = out[i] as number;
    if (c === null) throw new DataError("missing city code", { file, column: "city_code", row: i + 1 });
    if (s === null) throw new DataError("missing industry", { file, column: "industry", row: i + 1 });
    if (!(v >= 0)) {
      dropped++;
      continue;
    }
    keep.push(i);
    tot.set(c, (tot.get(c) ?? 0) + v);
  }
  for (const [c, v] of tot)
    if (!(v > 0)) throw new DataError(`city ${c} has zero total output: shares undefined`, { file, column: "output" });
  const cityOut = new Float64Array(keep.length),
    share = new Float64Array(keep.length);
  const indOut: string[] = [];
  keep.forEach((i, j) => {
    const c = keyAt(city, i) as string;
    cityOut[j] = Number(c);
    indOut.push(keyAt(ind, i) as string);
    share[j] = (out[i] as number) / (tot.get(c) as number);
  });
  return {
    table: table({ city: cityOut, ind: indOut, share }, file),
    rows: t.nrows,
    cities: tot.size,
    industries: new Set(indOut).size,
    droppedRows: dropped,
  };
}

/**
 * The cleaning steps of the quality pipeline (18)–(21) as a report table — rows dropped by each
 * rule, rows / HS6 products / firms left, shares of input rows and export value left — from
 * `qualityStepsTable`, with the estimation method and σ̂ in the notes.
 *
 * @example showTable(qualityCleaningTable(eq.quality));
 */
export function qualityCleaningTable(q: QualityResult, title = "Export quality (18)–(21): rows at each cleaning step"): ReportTable {
  const notes = [
    `Method: ${q.method === "iv" ? "2SLS of (18), ln p instrumented by the firm's leave-one-out mean log unit value of the same HS6 and year in its other destinations (Shi & Shao 2014)" : "known σ_h from the HS3 table (KSW 2013)"}; HS6 and destination × year fixed effects.`,
    `Estimation sample: ${q.counts.estimation.toLocaleString("en-US")} firm × HS6 × destination × year rows, ${q.counts.products} HS6 products.`,
  ];
  return dataTable(qualityStepsTable(q.counts), {
    title,
    digits: { rows_left_share: 4, value_left_share: 4 },
    counts: ["dropped", "rows_left", "hs6_left", "firms_left"],
    headers: {
      dropped: "rows dropped",
      rows_left: "rows left",
      rows_left_share: "share of rows",
      hs6_left: "HS6 left",
      firms_left: "firms left",
      value_left_share: "share of value",
    },
    notes,
  });
}

/**
 * The report of `bartik` as a two-column table (item, value) for display: share rows, units,
 * periods, unmatched industries and rows, NA cells, share sums above one, and the warnings.
 *
 * @example showTable(dataTable(bartikReportTable(bartik(shares, shifts).report)));
 */
export function bartikReportTable(r: BartikReport): Table {
  const items: [string, string][] = [
    ["share rows", String(r.shareRows)],
    ["units (cities)", String(r.units)],
    ["periods", r.times.length ? `${r.times.length} (${r.times[0]}–${r.times[r.times.length - 1]})` : "0"],
    [
      "unmatched share industries",
      r.unmatched.length
        ? r.unmatched.map((u) => `${u.industry} (${u.reason}, ${u.rows} rows, share mass ${u.shareMass.toFixed(3)})`).join("; ")
        : "none",
    ],
    ["share rows of unmatched industries", String(r.unmatchedRows)],
    ["shift industries no share reaches", r.unusedShiftIndustries.length ? r.unusedShiftIndustries.join(", ") : "none"],
    ["units with shares summing to > 1", String(r.unitsShareSumAbove1.length)],
    ["negative / NA share rows", `${r.negativeShareRows} / ${r.naShareRows}`],
    ["unit-period cells with a missing shift", String(r.naShiftCells)],
    ["warnings", r.warnings.length ? r.warnings.join("; ") : "none"],
  ];
  return table({ item: items.map((x) => x[0]), value: items.map((x) => x[1]) });
}

/**
 * Agreement of two versions of the same unit × period variable (e.g. vagg rebuilt from the OECD
 * coefficients vs vagg in the analysis panel): rows of each, rows matched on the keys, rows of
 * each without a partner, the largest absolute difference and both means over the matched rows.
 *
 * @example
 *   vaggAgreement(bk.table, eq.cityYear);   // max_abs_diff ≈ 1e-15 when both come from the same shifts
 *   vaggAgreement(sh.table, shiftsFile, { keys: ["ind", "year"], keysB: ["industry", "year"], value: "shift", valueB: "virtual" });
 */
export function vaggAgreement(
  a: Table,
  b: Table,
  opts: { keys?: readonly string[]; keysB?: readonly string[]; value?: string; valueB?: string } = {},
): Table {
  const keysA = opts.keys ?? ["city", "year"],
    keysB = opts.keysB ?? keysA;
  if (keysA.length !== keysB.length)
    throw new ArgumentError(`vaggAgreement: ${keysA.length} keys for the first table, ${keysB.length} for the second`);
  const va = opts.value ?? "vagg",
    vb = opts.valueB ?? va;
  const keyOf = (t: Table, i: number): string => (t === b ? keysB : keysA).map((k) => keyAt(column(t, k), i) ?? "NA").join("\u001f");
  const mb = new Map<string, number>();
  const xb = numeric(b, vb);
  for (let i = 0; i < b.nrows; i++) mb.set(keyOf(b, i), xb[i] as number);
  const xa = numeric(a, va);
  let matched = 0,
    maxDiff = 0,
    sa = 0,
    sb = 0,
    nBoth = 0;
  const seen = new Set<string>();
  for (let i = 0; i < a.nrows; i++) {
    const k = keyOf(a, i);
    const v = mb.get(k);
    if (v === undefined) continue;
    matched++;
    seen.add(k);
    const u = xa[i] as number;
    if (Number.isFinite(u) && Number.isFinite(v)) {
      nBoth++;
      sa += u;
      sb += v;
      maxDiff = Math.max(maxDiff, Math.abs(u - v));
    } else if (Number.isFinite(u) !== Number.isFinite(v)) maxDiff = Infinity;
  }
  return fromRecords([
    {
      rows_a: a.nrows,
      rows_b: b.nrows,
      matched,
      only_a: a.nrows - matched,
      only_b: b.nrows - seen.size,
      max_abs_diff: matched ? maxDiff : NaN,
      mean_a: nBoth ? sa / nBoth : NaN,
      mean_b: nBoth ? sb / nBoth : NaN,
    },
  ]);
}

/**
 * The shifts Virtual_st over time, one line per using industry (names from the OECD sector
 * list): which industries became more "virtual" and when. Years print as "2004". With 17
 * industries a legend cannot be read, so only `top` industries (default 6) are coloured and
 * named — those with the largest |weight| in `rankBy` (industry code or name → weight, or a
 * table with columns `ind` and `alpha` such as `rotembergByIndustry`), else those with the
 * largest mean shift over the plotted years — and the others are thin grey lines ("other (n)").
 * `highlight` names the industries (codes or names) directly.
 *
 * @example
 *   await showChart(digitalShiftsChart(sh.table, { years: [2005, 2015] }));
 *   digitalShiftsChart(sh.table, { years: [2005, 2015], rankBy: rotembergByIndustry(rw.rows, { names }) }); // by Rotemberg α_s
 */
export function digitalShiftsChart(
  shifts: Table,
  opts: {
    title?: string;
    years?: readonly [number, number];
    value?: string;
    top?: number;
    highlight?: readonly string[];
    rankBy?: Table | ReadonlyMap<string, number>;
  } = {},
): VegaLiteSpec {
  const v = opts.value ?? "shift";
  const name = column(shifts, "name"),
    ind = hasColumn(shifts, "ind") ? column(shifts, "ind") : name;
  const year = numeric(shifts, "year"),
    val = numeric(shifts, v);
  const [y0, y1] = opts.years ?? [-Infinity, Infinity];
  const by = new Map<string, { code: string; x: number[]; y: number[] }>();
  for (let i = 0; i < shifts.nrows; i++) {
    const yy = year[i] as number;
    if (yy < y0 || yy > y1) continue;
    const n = keyAt(name, i) ?? "NA";
    let s = by.get(n);
    if (!s) by.set(n, (s = { code: keyAt(ind, i) ?? n, x: [], y: [] }));
    s.x.push(yy);
    s.y.push(val[i] as number);
  }
  const top = Math.max(1, Math.min(opts.top ?? 6, 8));
  let highlight: string[] | undefined;
  let how = "mean shift";
  if (opts.highlight) {
    const want = new Set(opts.highlight);
    highlight = [...by].filter(([n, s]) => want.has(n) || want.has(s.code)).map(([n]) => n);
    how = "";
  } else {
    let weight: ReadonlyMap<string, number> | undefined;
    if (opts.rankBy && !(opts.rankBy instanceof Map)) {
      const t = opts.rankBy as Table,
        k = column(t, "ind"),
        a = numeric(t, "alpha");
      weight = new Map(Array.from({ length: t.nrows }, (_, i) => [keyAt(k, i) ?? "", a[i] as number] as const));
      how = "Rotemberg |α|";
    } else if (opts.rankBy) {
      weight = opts.rankBy as ReadonlyMap<string, number>;
      how = "|weight|";
    }
    const score = ([n, s]: [string, { code: string; y: number[] }]): number => {
      if (weight) return Math.abs(weight.get(s.code) ?? weight.get(n) ?? NaN);
      const f = s.y.filter(Number.isFinite);
      return f.length ? f.reduce((a, b) => a + b, 0) / f.length : NaN;
    };
    highlight = [...by]
      .map((e) => [e[0], score(e)] as const)
      .filter((e) => Number.isFinite(e[1]))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map((e) => e[0]);
  }
  return curvePlot(
    [...by].map(([n, s]) => ({ name: n, x: s.x, y: s.y })),
    {
      title: opts.title ?? "Bartik shifts Virtual_st by using industry (OECD IOT 2021, China)",
      xTitle: "year",
      xYear: true,
      yTitle: v === "shift" ? "Virtual_st (normalised)" : v,
      legendTitle: by.size > highlight.length && how ? `industry (top ${highlight.length} by ${how})` : "using industry",
      width: 460,
      height: 300,
      highlight,
      maxLegend: top + 1,
    },
  );
}

/**
 * σ̂_h of (18) (one 2SLS per HS3, `productQuality({ sigmaBy: "hs3" })`) against the HS3 table
 * σ_h (the true σ in the synthetic DGP; BGW estimates on real data), with the 45° line.
 *
 * @example await showChart(sigmaScatter(qh.sigmaByHs3!));
 */
export function sigmaScatter(byHs3: Table, opts: { title?: string } = {}): VegaLiteSpec {
  const s = numeric(byHs3, "sigma_table"),
    e = numeric(byHs3, "sigma_hat"),
    se = numeric(byHs3, "se");
  const hs3 = column(byHs3, "hs3");
  const pts: { hs3: string; sigma: number; sigma_hat: number; lo: number; hi: number }[] = [];
  for (let i = 0; i < byHs3.nrows; i++) {
    if (!Number.isFinite(s[i] as number) || !Number.isFinite(e[i] as number)) continue;
    pts.push({
      hs3: keyAt(hs3, i) ?? "",
      sigma: s[i] as number,
      sigma_hat: e[i] as number,
      lo: (e[i] as number) - 1.96 * (se[i] as number),
      hi: (e[i] as number) + 1.96 * (se[i] as number),
    });
  }
  const lo = Math.min(...pts.map((p) => Math.min(p.sigma, p.lo)), 1),
    hi = Math.max(...pts.map((p) => Math.max(p.sigma, p.hi)), 2);
  return {
    ...frame({ title: opts.title ?? "σ̂_h by HS3 (2SLS, leave-one-out price IV) vs the HS3 table σ_h" }, 380, 300),
    layer: [
      {
        data: {
          values: [
            { x: lo, y: lo },
            { x: hi, y: hi },
          ],
        },
        mark: { type: "line", color: "#999", strokeDash: [4, 3] },
        encoding: {
          x: { field: "x", type: "quantitative", title: "σ_h (HS3 table; true in the synthetic DGP)" },
          y: { field: "y", type: "quantitative", title: "σ̂_h (2SLS)" },
        },
      },
      {
        data: { values: pts },
        mark: { type: "rule", color: "#9bb4d0" },
        encoding: { x: { field: "sigma", type: "quantitative" }, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } },
      },
      {
        data: { values: pts },
        mark: { type: "point", filled: true, color: "#1f4e79", size: 24 },
        encoding: {
          x: { field: "sigma", type: "quantitative" },
          y: { field: "sigma_hat", type: "quantitative" },
          tooltip: [{ field: "hs3" }, { field: "sigma" }, { field: "sigma_hat" }],
        },
      },
    ],
  } as VegaLiteSpec;
}

/**
 * Summary of the price elasticity in (18): the pooled 2SLS σ̂ (with its OLS counterpart and the
 * first stage of the leave-one-out instrument) and, when given, the per-HS3 σ̂_h against the
 * HS3 table (mean, mean difference, correlation, share of 95 % intervals covering σ_h).
 * Columns: statistic, estimate, reference (the HS3 table: true in the synthetic DGP).
 *
 * @example showTable(dataTable(sigmaSummaryTable(eq.quality, qh)));
 */
export function sigmaSummaryTable(pooled: QualityResult, byHs3?: QualityResult | null): Table {
  const recs: { statistic: string; estimate: number; reference: number }[] = [];
  const s = pooled.sigmaHat;
  if (s) {
    recs.push({ statistic: "pooled σ̂ (2SLS)", estimate: s.estimate, reference: NaN });
    recs.push({ statistic: "pooled σ̂: standard error", estimate: s.se, reference: NaN });
    if (s.ols !== undefined) recs.push({ statistic: "pooled σ (OLS, price not instrumented)", estimate: s.ols, reference: NaN });
    recs.push({ statistic: "observations of (18)", estimate: s.nobs, reference: NaN });
  }
  const fs = pooled.firstStage;
  if (fs) {
    recs.push({ statistic: "first stage: coefficient of the leave-one-out price", estimate: fs.coef, reference: NaN });
    recs.push({ statistic: "first stage: F", estimate: fs.f, reference: NaN });
    recs.push({ statistic: "first stage: partial R²", estimate: fs.partialR2, reference: NaN });
    if (fs.kpWaldF !== undefined) recs.push({ statistic: "Kleibergen–Paap rk Wald F", estimate: fs.kpWaldF, reference: NaN });
  }
  const g = byHs3?.sigmaByHs3;
  if (g) {
    const e = numeric(g, "sigma_hat"),
      se = numeric(g, "se"),
      t = numeric(g, "sigma_table"),
      nobs = numeric(g, "nobs");
    const ok: number[] = [];
    for (let i = 0; i < g.nrows; i++) if (Number.isFinite(e[i] as number) && Number.isFinite(t[i] as number)) ok.push(i);
    const m = (f: (i: number) => number) => ok.reduce((a, i) => a + f(i), 0) / ok.length;
    const me = m((i) => e[i] as number),
      mt = m((i) => t[i] as number);
    const cov = m((i) => ((e[i] as number) - me) * ((t[i] as number) - mt));
    const ve = m((i) => ((e[i] as number) - me) ** 2),
      vt = m((i) => ((t[i] as number) - mt) ** 2);
    const wn = ok.reduce((a, i) => a + (nobs[i] as number), 0);
    recs.push({ statistic: "HS3 groups with σ̂_h", estimate: ok.length, reference: g.nrows });
    recs.push({ statistic: "mean σ̂_h (unweighted)", estimate: me, reference: mt });
    recs.push({
      statistic: "mean σ̂_h (weighted by observations)",
      estimate: ok.reduce((a, i) => a + (e[i] as number) * (nobs[i] as number), 0) / wn,
      reference: ok.reduce((a, i) => a + (t[i] as number) * (nobs[i] as number), 0) / wn,
    });
    recs.push({ statistic: "mean σ̂_h − σ_h", estimate: me - mt, reference: 0 });
    recs.push({ statistic: "correlation of σ̂_h with σ_h", estimate: cov / Math.sqrt(ve * vt), reference: 1 });
    recs.push({
      statistic: "share of 95 % CIs covering σ_h",
      estimate: ok.filter((i) => Math.abs((e[i] as number) - (t[i] as number)) <= 1.96 * (se[i] as number)).length / ok.length,
      reference: 0.95,
    });
  }
  return table({
    statistic: recs.map((r) => r.statistic),
    estimate: mapF64From(recs, (r) => r.estimate),
    reference: mapF64From(recs, (r) => r.reference),
  });
}

/** Panel column of each Table 1 variable (`hs4_qua` is the panel's `quality`). */
const TABLE1_COLUMNS: Readonly<Record<string, string>> = {
  hs4_qua: "quality",
  vagg: "vagg",
  ...Object.fromEntries(EQ_CONTROLS.map((c) => [c, c])),
};

/**
 * EQ Table 1 (descriptive statistics: N, mean, SD, min, max of HS4 export quality, vagg and the
 * nine controls) over the rows of the city × HS4 × year panel (`buildQualityPanel(...).panel`),
 * published (P) beside recomputed (R), computed with {@link describe}. With `synthetic: true` a
 * column gives the synthetic DGP's target mean: the cell-mean target of quality (0.581), the
 * national-output-weighted 2005–2015 mean of the shift that vagg is normalised to (0.574), and
 * for the controls the published means they are drawn to (`lib/synth/world.ts`).
 * The published N of hs4_qua (693,162) exceeds that of vagg (624,577): the paper's quality
 * sample is larger than its regression sample; R counts the panel rows with a value.
 *
 * @example showTable(eqDescriptives(eq.panel, { synthetic: env.synthetic }));
 */
export function eqDescriptives(panel: Table, opts: { synthetic?: boolean; title?: string } = {}): ReportTable {
  const vars = Object.keys(EQ_TABLE1);
  for (const v of vars)
    if (!panel.names.includes(TABLE1_COLUMNS[v] ?? v))
      throw new DataError(`the panel has no column "${TABLE1_COLUMNS[v] ?? v}" (Table 1 variable ${v})`, {
        file: panel.source,
        column: TABLE1_COLUMNS[v] ?? v,
      });
  const d = describe(
    panel,
    vars.map((v) => TABLE1_COLUMNS[v] ?? v),
  );
  const N = column(d, "N") as Int32Array,
    mean = numeric(d, "mean"),
    sd = numeric(d, "sd"),
    mn = numeric(d, "min"),
    mx = numeric(d, "max");
  const target = (v: string): number =>
    v === "hs4_qua" ? TRUTH.eq.intercept_target_mean : v === "vagg" ? TRUTH.eq.vagg_target_mean : (EQ_TABLE1[v]?.mean ?? NaN);
  const recs = vars.map((v, j) => {
    const p = EQ_TABLE1[v]!;
    const r: Record<string, number | string> = {
      variable: v,
      n_P: p.n ?? NaN,
      n_R: N[j] as number,
      mean_P: p.mean,
      mean_R: mean[j] as number,
    };
    if (opts.synthetic) r["mean_T"] = target(v);
    Object.assign(r, {
      sd_P: p.sd,
      sd_R: sd[j] as number,
      min_P: p.min ?? NaN,
      min_R: mn[j] as number,
      max_P: p.max ?? NaN,
      max_R: mx[j] as number,
    });
    return r;
  });
  const notes = [
    "P = published (EQ Table 1, real data: China Customs and City Statistical Yearbooks); R = recomputed over the rows of the city × HS4 × year panel.",
    "hs4_qua: export-value-weighted normalised quality (21); vagg: Bartik index (22); controls as defined in data/codebook/dgp.md. Table 1 prints N, mean, SD, min and max for all eleven variables.",
    ...eqAnomalyNotes("table1"),
  ];
  if (opts.synthetic)
    notes.push(
      `T = target mean of the synthetic DGP: quality's cell mean ${EQ_TABLE1["hs4_qua"]!.mean} and vagg's national-output-weighted 2005–2015 mean ${EQ_TABLE1["vagg"]!.mean} are set to the published means; the controls are drawn to the published moments. R is computed on synthetic data, so R ≈ P is a calibration check, not a replication.`,
    );
  return dataTable(fromRecords(recs), {
    title: opts.title ?? "Table 1 Descriptive statistics: published (P) vs recomputed (R)",
    digits: 3,
    counts: ["n_P", "n_R"],
    na: "–",
    notes,
  });
}

/** One way of getting σ in (18)–(19), as compared by {@link qualitySigmaComparison}. */
export interface QualitySigmaVariant {
  readonly label: string;
  readonly quality: Partial<QualityOptions>;
}

/**
 * The three ways of setting σ in (18)–(19) that the quality literature uses: σ_h imposed from
 * the HS3 table (the paper's Broda–Greenfield–Weinstein elasticities; the panel's default),
 * σ̂_h estimated by 2SLS per HS3 with the Shi–Shao leave-one-out price, and one pooled 2SLS σ̂.
 */
export const QUALITY_SIGMA_VARIANTS: readonly QualitySigmaVariant[] = [
  { label: "σ_h from the HS3 table (known σ, default)", quality: { method: "known-sigma" } },
  { label: "σ̂_h by HS3 (2SLS per HS3, leave-one-out price)", quality: { method: "iv", sigmaBy: "hs3", divisor: "table" } },
  { label: "one pooled σ̂ (2SLS, leave-one-out price)", quality: { method: "iv", sigmaBy: "pooled" } },
];

/**
 * How the choice of σ in (18) moves the baseline estimate: for each variant the quality panel
 * is rebuilt (`buildQualityPanel(dir, { quality })`) and Table 2 column 4 — model (17) with
 * city, year and HS4 effects and the controls, SE clustered by city × HS4 — is re-estimated.
 *
 *   ε̂ = ln q + σ̂ ln p − α_h − FE_ft = ε + (σ̂ − σ_h) ln p + (FE error)
 *
 * so a σ̂ that differs from σ_h leaves a multiple of price in "quality"; since prices move with
 * city cost and vagg, β̂ moves with it. Columns: method, sigma_pooled (the pooled σ̂ where there
 * is one), beta, se (clustered by city × HS4, as Table 2), se_city (by city), n, and on synthetic
 * data (`truthFor(src)`) the true β of the DGP and t_vs_true = (β̂ − β)/se_city (the DGP's city ×
 * year shocks are shared by a city-year's cells, so the city × HS4 SE understates).
 * `reuse` passes an already built panel for the first variant (the default), saving one build.
 *
 * @example
 *   showTable(await qualitySigmaComparison(env.dataDir, env, { reuse: eq }));
 */
export async function qualitySigmaComparison(
  dir: string,
  src: TruthSource,
  opts: { variants?: readonly QualitySigmaVariant[]; reuse?: QualityPanel; title?: string } = {},
): Promise<ReportTable> {
  const variants = opts.variants ?? QUALITY_SIGMA_VARIANTS;
  const T = truthFor(src);
  const R = eqRealisedTruth(src);
  const recs: Record<string, number | string>[] = [];
  for (const [k, v] of variants.entries()) {
    const eq = k === 0 && opts.reuse ? opts.reuse : await buildQualityPanel(dir, { quality: v.quality });
    const m = feols(eq.panel, EQ_BASELINE, { vcov: { cluster: ["city^hs4"] }, vcovAlso: [{ cluster: ["city"] }] });
    const b = m.coef["vagg"] as number,
      se = m.se["vagg"] as number,
      seCity = m.vcovAlso[0]?.se["vagg"] as number;
    const r: Record<string, number | string> = {
      method: v.label,
      sigma_pooled: eq.quality.sigmaHat?.estimate ?? NaN,
      beta: b,
      se,
      se_city: seCity,
      n: m.nobs,
    };
    if (T) {
      const bt = R?.beta_vagg ?? T.eq.beta_vagg;
      r["beta_true"] = bt;
      r["t_vs_true"] = (b - bt) / seCity;
      r["beta_true_quality"] = R?.table2_col4_true_quality ?? NaN;
    }
    recs.push(r);
  }
  return dataTable(fromRecords(recs), {
    title: opts.title ?? "Table 2 col. 4 under three ways of setting σ in (18)–(19)",
    digits: { sigma_pooled: 3, beta: 4, se: 4, se_city: 4, beta_true: 4, t_vs_true: 2, beta_true_quality: 4 },
    counts: ["n"],
    na: "–",
    notes: [
      "Model (17) with city, year and HS4 fixed effects and the nine controls; se: clustered by city × HS4 (as Table 2), se_city: by city. Quality rebuilt from the customs rows with each σ.",
      "ε̂ = ln q + σ̂ ln p − FE picks up (σ̂ − σ_h) ln p wherever σ̂ ≠ σ_h; the min–max normalisation (20) does not remove it.",
      ...(T
        ? [
            "beta_true: the true β of these synthetic data (truth.json → realised.eq.beta_vagg: the noiseless true cell quality regressed as Table 2 col. 4; the design value 0.3087 for older folders); t_vs_true = (β̂ − β)/se_city — the DGP has city × year shocks shared by all HS4 cells of a city-year, which the city × HS4 SE ignores.",
            "beta_true_quality: the same regression on the TRUE cell quality of the generated data (truth.json → realised.eq.table2_col4_true_quality, noise included): β̂ minus it is the error of the quality measurement alone; it minus beta_true is the sampling noise of the cell equation (ξ, city × year shocks).",
          ]
        : []),
    ],
  });
}

/** Rebuild vagg (22) in a panel from census shares and a shifts table (columns ind, year, shift), optionally without some industries. */
function panelWithVagg(panel: Table, shares: Table, shifts: Table, drop: readonly string[] = []): { panel: Table; missing: number } {
  const dropSet = new Set(drop);
  const ic = column(shares, "ind");
  const keep: number[] = [];
  for (let i = 0; i < shares.nrows; i++) if (!dropSet.has(keyAt(ic, i) ?? "")) keep.push(i);
  const sh = dropSet.size ? takeRows(shares, Int32Array.from(keep)) : shares;
  const bk = bartik(sh, shifts, { unit: "city", industry: "ind", time: "year", shift: "shift", na: "skip" });
  const cy = new Map<string, number>();
  const bc = column(bk.table, "city"),
    by = column(bk.table, "year"),
    bv = numeric(bk.table, "vagg");
  for (let i = 0; i < bk.table.nrows; i++) cy.set(`${keyAt(bc, i)}|${keyAt(by, i)}`, bv[i] as number);
  const pc = column(panel, "city"),
    py = column(panel, "year");
  let missing = 0;
  const v = mapF64From({ length: panel.nrows }, (_, i) => {
    const x = cy.get(`${keyAt(pc, i)}|${keyAt(py, i)}`);
    if (x === undefined) missing++;
    return x ?? NaN;
  });
  return { panel: table({ ...panel.columns, vagg: v }, panel.source), missing };
}

/** Table 2 col. 4 (model (17), controls, city + year + HS4 FE, SE by city × HS4) on a panel: β̂, SE, N. */
function table2col4(panel: Table): { beta: number; se: number; n: number } {
  const m = feols(panel, EQ_BASELINE, { vcov: { cluster: ["city^hs4"] } });
  return { beta: m.coef["vagg"] as number, se: m.se["vagg"] as number, n: m.nobs };
}

/**
 * Sensitivity of the Bartik index (22) and of the baseline estimate to ω, the digital share of
 * wholesale/retail (OECD D45T47) in the shift. The paper splits G46/G47 with census coefficients
 * whose values its text does not give (Xu & Zhang 2020); ω = 0.2 is the synthetic DGP's value, with no source.
 * For each ω the shifts are recomputed from the OECD file (`oecdDigitalShifts`), rescaled as the
 * pipeline does (national-output-weighted 2005–2015 mean = 0.574), vagg is rebuilt from the
 * census shares (`censusShares(...).table`) and Table 2 col. 4 is re-estimated on the panel.
 *
 *   Virtual_st(ω) = scale(ω) · (a_D61 + a_D62T63 + ω a_D45T47),  scale(ω) = 0.574 / mean_raw(ω)
 *
 * Columns: omega, raw_mean (national-output-weighted 2005–2015 mean before rescaling), scale,
 * beta, se, beta_raw_units (= β̂ · scale: the slope per unit of the raw coefficient sum), n.
 * On synthetic data the quality was generated with ω = 0.2, so other ω are misspecified there.
 *
 * @example
 *   showTable(await bartikOmegaSensitivity(eq.panel, cs.table));
 */
export async function bartikOmegaSensitivity(
  panel: Table,
  shares: Table,
  opts: { omegas?: readonly number[]; title?: string } = {},
): Promise<ReportTable> {
  const omegas = opts.omegas ?? [0, 0.1, 0.2, 0.3, 0.5];
  const recs: Record<string, number>[] = [];
  for (const om of omegas) {
    const sh = await oecdDigitalShifts({ omega: om, years: [2002, 2019] });
    const { panel: p2 } = panelWithVagg(panel, shares, sh.table);
    const r = table2col4(p2);
    recs.push({ omega: om, raw_mean: sh.rawMean, scale: sh.scale, beta: r.beta, se: r.se, beta_raw_units: r.beta * sh.scale, n: r.n });
  }
  return dataTable(fromRecords(recs), {
    title: opts.title ?? "Bartik (22): sensitivity to ω, the digital share of wholesale/retail",
    digits: { omega: 2, raw_mean: 4, scale: 1, beta: 4, se: 4, beta_raw_units: 2 },
    counts: ["n"],
    notes: [
      "raw_mean: national-output-weighted 2005–2015 mean of the unscaled shift; scale = 0.574 / raw_mean (the pipeline's level normalisation to the published Table 1 mean, which the paper's text does not state; coa (27) inherits it).",
      "beta, se: Table 2 col. 4 with vagg rebuilt from the census shares and the ω shifts (controls, city + year + HS4 FE, SE by city × HS4); beta_raw_units = β̂ · scale.",
    ],
  });
}

/**
 * The time path of the national digital shift: for each year the national-output-weighted mean
 * of the raw and of the rescaled shift (what a city with the national industry mix would have
 * as vagg), and, when a city × year table is given (`buildQualityPanel(...).cityYear`), the mean
 * of vagg over its cities. On the real OECD coefficients the rescaled national value falls from
 * about 0.77 (2005) to about 0.45 (2012): "virtual agglomeration" declines over the sample.
 * Columns: year, national_raw, national, cities_mean (when cityYear is given).
 *
 * @example
 *   showTable(dataTable(nationalVaggPath(sh.table, eq.cityYear)));
 */
export function nationalVaggPath(shifts: Table, cityYear?: Table): Table {
  const yr = column(shifts, "year"),
    w = numeric(shifts, "national_share"),
    raw = numeric(shifts, "shift_raw"),
    sc = numeric(shifts, "shift");
  const acc = new Map<number, { w: number; r: number; s: number }>();
  for (let i = 0; i < shifts.nrows; i++) {
    const y = Number(keyAt(yr, i));
    const wi = w[i] as number;
    if (!Number.isFinite(wi) || !Number.isFinite(raw[i] as number)) continue;
    const e = acc.get(y) ?? { w: 0, r: 0, s: 0 };
    e.w += wi;
    e.r += wi * (raw[i] as number);
    e.s += wi * (sc[i] as number);
    acc.set(y, e);
  }
  const years = [...acc.keys()].sort((a, b) => a - b);
  const cols: Record<string, Float64Array | Int32Array> = {
    year: Int32Array.from(years),
    national_raw: mapF64From(years, (y) => acc.get(y)!.r / acc.get(y)!.w),
    national: mapF64From(years, (y) => acc.get(y)!.s / acc.get(y)!.w),
  };
  if (cityYear) {
    const cy = column(cityYear, "year"),
      cv = numeric(cityYear, "vagg");
    const m = new Map<number, [number, number]>();
    for (let i = 0; i < cityYear.nrows; i++) {
      const v = cv[i] as number;
      if (!Number.isFinite(v)) continue;
      const y = Number(keyAt(cy, i));
      const e = m.get(y) ?? [0, 0];
      e[0] += v;
      e[1]++;
      m.set(y, e);
    }
    cols["cities_mean"] = mapF64From(years, (y) => (m.has(y) ? m.get(y)![0] / m.get(y)![1] : NaN));
  }
  return table(cols);
}

/**
 * Rotemberg-weight concentration and the drop-the-top check that Goldsmith-Pinkham, Sorkin &
 * Swift (2020, §IV–V) recommend: the industries with the largest weights α_s (summed over years,
 * `rotembergByIndustry`) carry the identifying variation; the check asks whether β̂ survives
 * WITHOUT their variation. In EQ the Bartik sum is the regressor itself, so dropping industries
 * from the regressor would change the variable (and bias β̂ even when β is homogeneous: the
 * left-out part becomes an omitted regressor). The GPSS analogue keeps vagg as the regressor
 * and identifies β from the other industries only, i.e. 2SLS with the leave-out index as the
 * excluded instrument:
 *
 *   vagg_ct = π vagg^(−D)_ct + controls + FE + v,   vagg^(−D)_ct = Σ_{s ∉ D} share_sc · Virtual_st
 *   Quality_cjt = β vagg_ct + controls + μ_c + ν_j + δ_t + ξ                      (17), D = top-k by |α_s|
 *
 * Rows: the OLS baseline, then D = the top 1, …, top k (cumulative). Columns: dropped (industry
 * codes with names), alpha_dropped (their summed weight; Σ α = 1), beta, se (city × HS4), the
 * first-stage F of the leave-out instrument (NaN for the OLS row), n. A weak first stage means
 * the other industries carry little variation: the estimate then rests on the dropped ones.
 *
 * @example
 *   showTable(rotembergDropTop(rw, eq.panel, cs.table, sh.table, { k: 2, names }));
 */
export function rotembergDropTop(
  rw: RotembergOlsResult,
  panel: Table,
  shares: Table,
  shifts: Table,
  opts: { k?: number; names?: ReadonlyMap<string, string>; title?: string } = {},
): ReportTable {
  const k = opts.k ?? 2;
  const byInd = rotembergByIndustry(rw.rows, opts.names ? { names: opts.names } : {});
  const inds = column(byInd, "ind"),
    al = numeric(byInd, "alpha");
  const order = Array.from({ length: byInd.nrows }, (_, i) => i).sort((a, b) => Math.abs(al[b] as number) - Math.abs(al[a] as number));
  const recs: Record<string, number | string>[] = [];
  const base = table2col4(panel);
  recs.push({ dropped: "none (OLS, all industries)", alpha_dropped: 0, beta: base.beta, se: base.se, first_stage_f: NaN, n: base.n });
  const drop: string[] = [];
  let a = 0;
  for (let j = 0; j < Math.min(k, order.length); j++) {
    const i = order[j] as number;
    const code = keyAt(inds, i) ?? "";
    drop.push(code);
    a += al[i] as number;
    const { panel: p2 } = panelWithVagg(panel, shares, shifts, drop);
    const withZ = table({ ...panel.columns, vagg_loo: numeric(p2, "vagg") }, panel.source);
    const m = iv2sls(withZ, eqFormula("quality", "", EQ_FE, "vagg ~ vagg_loo"), { vcov: { cluster: ["city^hs4"] }, skipDiagnostics: true });
    recs.push({
      dropped: drop.map((d) => (opts.names?.get(d) ? `${d} ${opts.names.get(d)}` : d)).join(", "),
      alpha_dropped: a,
      beta: m.coef["vagg"] as number,
      se: m.se["vagg"] as number,
      first_stage_f: m.firstStage[0]?.f.stat ?? NaN,
      n: m.nobs,
    });
  }
  return dataTable(fromRecords(recs), {
    title: opts.title ?? "Rotemberg weights: β identified without the top-weight industries (GPSS 2020)",
    digits: { alpha_dropped: 3, beta: 4, se: 4, first_stage_f: 1 },
    counts: ["n"],
    notes: [
      "alpha_dropped: the summed Rotemberg weight α_s of the dropped industries (the weights sum to 1 over industries × years).",
      "Rows after the first: 2SLS of (17) with vagg instrumented by the Bartik index of the remaining industries (2004 census shares, same shifts); controls, city + year + HS4 FE, SE by city × HS4; first_stage_f: F of the excluded instrument.",
    ],
  });
}

/** The computed numbers the eq-03 reading refers to (see {@link eqMeasurementFacts}). */
export interface EqMeasurementFacts {
  /** Largest cleaning step: its rule and share of input rows. */
  readonly largestStep: { readonly step: string; readonly share: number };
  /** Pooled 2SLS σ̂ and its first-stage F (null without a pooled IV result). */
  readonly pooledSigma: number | null;
  readonly firstStageF: number | null;
  /** Per-HS3 σ̂_h against the table: correlation, mean difference, share of 95 % CIs covering σ_h. */
  readonly hs3: { readonly corr: number; readonly meanGap: number; readonly coverage: number } | null;
  /** Panel quality: mean, and the synthetic target / published mean. */
  readonly qualityMean: number;
  readonly qualityMeanPublished: number;
  /** Panel vagg: SD and max, and the published ones. */
  readonly vaggSd: number;
  readonly vaggMax: number;
  readonly vaggSdPublished: number;
  readonly vaggMaxPublished: number;
  /** Rotemberg: the two largest industries by α_s, their summed weight, and the sum of negative weights (industry × year). */
  readonly rotembergTop2: readonly string[];
  readonly rotembergTop2Alpha: number;
  readonly rotembergNegativeSum: number;
}

/**
 * The numbers the reading of notebook eq-03 cites, computed from the run's own results so that
 * no seed- or scale-specific number is typed in prose: the largest cleaning step, the pooled σ̂
 * and its first-stage F, the per-HS3 σ̂_h diagnostics (correlation with σ_h, mean gap, CI
 * coverage), the panel's quality mean and vagg SD/max beside EQ Table 1, and the Rotemberg
 * concentration (top-2 industries' Σα_s, sum of the negative α_k).
 *
 * @example eqMeasurementFacts({ quality: eq.quality, pooled: qp, byHs3: qh, panel: eq.panel, rotemberg: rw, names })
 */
export function eqMeasurementFacts(o: {
  readonly quality: QualityResult;
  readonly panel: Table;
  readonly pooled?: QualityResult | null;
  readonly byHs3?: QualityResult | null;
  readonly rotemberg?: RotembergOlsResult | null;
  readonly names?: ReadonlyMap<string, string>;
}): EqMeasurementFacts {
  const steps = o.quality.counts.steps ?? [];
  const input = o.quality.counts.input;
  let largest = { step: "", share: 0 };
  for (const s of steps) if (s.dropped / input > largest.share) largest = { step: s.step, share: s.dropped / input };
  const mom = (name: string): { mean: number; sd: number; max: number } => {
    const x = numeric(o.panel, name);
    let n = 0,
      s = 0,
      ss = 0,
      mx = -Infinity;
    for (const v of x)
      if (Number.isFinite(v)) {
        n++;
        s += v;
        ss += v * v;
        mx = Math.max(mx, v);
      }
    const mean = s / n;
    return { mean, sd: Math.sqrt((ss - n * mean * mean) / (n - 1)), max: mx };
  };
  const q = mom("quality"),
    v = mom("vagg");
  let hs3: EqMeasurementFacts["hs3"] = null;
  const g = o.byHs3?.sigmaByHs3;
  if (g) {
    const t = sigmaSummaryTable(o.byHs3 as QualityResult, o.byHs3);
    const st = column(t, "statistic") as string[],
      est = numeric(t, "estimate");
    const at = (label: string): number => est[st.indexOf(label)] as number;
    hs3 = { corr: at("correlation of σ̂_h with σ_h"), meanGap: at("mean σ̂_h − σ_h"), coverage: at("share of 95 % CIs covering σ_h") };
  }
  let top2: string[] = [],
    top2a = NaN,
    neg = NaN;
  if (o.rotemberg) {
    const bi = rotembergByIndustry(o.rotemberg.rows, o.names ? { names: o.names } : {});
    const ind = column(bi, "ind"),
      al = numeric(bi, "alpha");
    const order = Array.from({ length: bi.nrows }, (_, i) => i).sort((a, b) => Math.abs(al[b] as number) - Math.abs(al[a] as number));
    top2 = order.slice(0, 2).map((i) => {
      const c = keyAt(ind, i) ?? "";
      return o.names?.get(c) ? `${c} ${o.names.get(c)}` : c;
    });
    top2a = order.slice(0, 2).reduce((a, i) => a + (al[i] as number), 0);
    neg = o.rotemberg.rows.reduce((a, r) => a + (r.alpha < 0 ? r.alpha : 0), 0);
  }
  return {
    largestStep: largest,
    pooledSigma: o.pooled?.sigmaHat?.estimate ?? null,
    firstStageF: o.pooled?.firstStage?.f ?? null,
    hs3,
    qualityMean: q.mean,
    qualityMeanPublished: EQ_TABLE1["hs4_qua"]!.mean,
    vaggSd: v.sd,
    vaggMax: v.max,
    vaggSdPublished: EQ_TABLE1["vagg"]!.sd,
    vaggMaxPublished: EQ_TABLE1["vagg"]!.max ?? NaN,
    rotembergTop2: top2,
    rotembergTop2Alpha: top2a,
    rotembergNegativeSum: neg,
  };
}

/**
 * The HS harmonisation step of the EQ panel (`buildQualityPanel(...).info.hs`, `hsHarmonise`)
 * as a table: customs rows read, rows already in HS2002, rows mapped back from HS2007 and from
 * HS2012 codes, and rows dropped because their code is in no concordance (with the number of
 * distinct such codes). Columns: step, rows, share (of the rows read).
 *
 * @example showTable(hsHarmonisationTable(eq.info.hs!));
 */
export function hsHarmonisationTable(h: HsHarmoniseCounts, title = "HS codes harmonised to HS2002 before (18)"): ReportTable {
  const recs = [
    { step: "customs rows read", rows: h.input },
    { step: "HS2002 code (kept)", rows: h.hs2002 },
    { step: "HS2007 code mapped back to HS2002 (2007–2011)", rows: h.fromHs2007 },
    { step: "HS2012 code mapped back to HS2002 (2012 on)", rows: h.fromHs2012 },
    { step: `code in no concordance: dropped (${h.unmappedCodes} distinct codes)`, rows: h.unmapped },
    { step: "rows passed to the cleaning rules", rows: h.input - h.unmapped },
  ].map((r) => ({ ...r, share: r.rows / h.input }));
  return dataTable(fromRecords(recs), {
    title,
    digits: { share: 4 },
    counts: ["rows"],
    notes: [
      "Vintage of a row by its year: HS2002 until 2006, HS2007 in 2007–2011, HS2012 from 2012; concordance hs_concordance.csv (UN/WITS correlation tables on real data).",
    ],
  });
}
