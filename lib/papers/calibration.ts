import * as path from "node:path";
import { readTable } from "../data/io";
import { CENSUS, CITY_YEARBOOK, DIGITAL_SHIFTS, NATIONAL_SERIES } from "../data/schemas";
import { column, numeric, fromRecords, type Table } from "../data/table";
import { buildResiliencePanel } from "./rs/panel";
import { EQ_TABLE1 } from "./eq/published";
import { RS_TABLE2 } from "./rs/published";
import type { PublishedMoment } from "./published-moment";
import { mapF64From } from "../util/typed-map";

/**
 * Published vs synthetic descriptives for a folder of generated raw files.
 * RS: the RS analysis panel (`buildResiliencePanel`, winsorised as in the paper) against Table 2.
 * EQ: city × year 2005–2015 moments of vagg (census-2004 shares × `virtual`) and the controls
 * (definitions as in dgp.md) against Table 1. Synthetic N counts city-years (the paper's N counts
 * city × HS4 × year cells); hs4_qua needs the KSW pipeline and is reported as NaN here.
 *
 * @example const t = await calibrationReport("data/raw/synthetic/small", "RS");
 */
export async function calibrationReport(dir: string, paper: "EQ" | "RS"): Promise<Table> {
  const pub = paper === "RS" ? RS_TABLE2 : EQ_TABLE1;
  const cols = paper === "RS" ? await rsColumns(dir) : await eqColumns(dir);
  const recs = Object.entries(pub).map(([v, p]: [string, PublishedMoment]) => {
    const m = moments(cols[v]);
    return {
      variable: v,
      n_pub: p.n ?? NaN,
      mean_pub: p.mean,
      sd_pub: p.sd,
      min_pub: p.min ?? NaN,
      max_pub: p.max ?? NaN,
      n_syn: m.n,
      mean_syn: m.mean,
      sd_syn: m.sd,
      min_syn: m.min,
      max_syn: m.max,
    };
  });
  return fromRecords(recs);
}

function moments(x: Float64Array | undefined): { n: number; mean: number; sd: number; min: number; max: number } {
  const v = x ? Array.from(x).filter(Number.isFinite) : [];
  const n = v.length;
  if (n === 0) return { n: 0, mean: NaN, sd: NaN, min: NaN, max: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  let min = Infinity,
    max = -Infinity;
  for (const a of v) {
    if (a < min) min = a;
    if (a > max) max = a;
  }
  return { n, mean, sd, min, max };
}

async function rsColumns(dir: string): Promise<Record<string, Float64Array>> {
  const p = (await buildResiliencePanel(dir)).panel;
  return Object.fromEntries(Object.keys(RS_TABLE2).map((v) => [v, numeric(p, v)]));
}

async function eqColumns(dir: string): Promise<Record<string, Float64Array>> {
  const yb = await readTable(path.join(dir, "city_yearbook.csv"), { schema: CITY_YEARBOOK });
  const nat = await readTable(path.join(dir, "national_series.csv"), { schema: NATIONAL_SERIES });
  const sh = await readTable(path.join(dir, "digital_shifts.csv"), { schema: DIGITAL_SHIFTS });
  const c04 = await readTable(path.join(dir, "census_2004.csv"), { schema: CENSUS });
  const fx = new Map<number, number>();
  numeric(nat, "year").forEach((y, i) => fx.set(y, numeric(nat, "cny_per_usd")[i] as number));
  const vs = new Map<string, number>();
  const shInd = column(sh, "industry") as readonly (string | null)[],
    shV = numeric(sh, "virtual");
  numeric(sh, "year").forEach((y, i) => vs.set(`${shInd[i]}|${y}`, shV[i] as number));
  const out = new Map<number, Map<string, number>>(),
    tot = new Map<number, number>();
  const cInd = column(c04, "industry") as readonly (string | null)[],
    cOut = numeric(c04, "output");
  numeric(c04, "city_code").forEach((c, i) => {
    if (!out.has(c)) out.set(c, new Map());
    out.get(c)!.set(cInd[i] as string, cOut[i] as number);
    tot.set(c, (tot.get(c) ?? 0) + (cOut[i] as number));
  });
  const g = (n: string): Float64Array => numeric(yb, n);
  const city = g("city_code"),
    year = g("year");
  const [gdp, pop, defl, wage, fdi, trade, fe, sci, edu, fix, loans, dep] = [
    "gdp",
    "pop",
    "deflator",
    "wage",
    "fdi_usd",
    "trade_usd",
    "fiscal_exp",
    "sci_exp",
    "edu_exp",
    "fixinv",
    "loans",
    "deposits",
  ].map(g) as Float64Array[];
  const rows: number[] = [];
  year.forEach((y, i) => {
    if (y >= 2005 && y <= 2015) rows.push(i);
  });
  const f = (fn: (i: number) => number): Float64Array => mapF64From(rows, fn);
  const G = (i: number): number => gdp![i] as number,
    X = (i: number): number => fx.get(year[i] as number) as number;
  return {
    hs4_qua: new Float64Array(0),
    vagg: f((i) => {
      let a = 0;
      for (const [s, o] of out.get(city[i] as number) ?? new Map<string, number>())
        a += (o / (tot.get(city[i] as number) as number)) * (vs.get(`${s}|${year[i]}`) ?? NaN);
      return a;
    }),
    fdi: f((i) => ((fdi![i] as number) * X(i)) / G(i)),
    open: f((i) => ((trade![i] as number) * X(i)) / G(i)),
    fisc: f((i) => ((fe![i] as number) - (sci![i] as number) - (edu![i] as number)) / G(i)),
    dlp: f((i) => (loans![i] as number) / ((loans![i] as number) + (dep![i] as number))),
    sci: f((i) => (sci![i] as number) / G(i)),
    edu: f((i) => (edu![i] as number) / G(i)),
    wage: f((i) => Math.log((wage![i] as number) / ((defl![i] as number) / 100))),
    gdp: f((i) => Math.log(G(i) / (pop![i] as number) / ((defl![i] as number) / 100))),
    fixinv: f((i) => (fix![i] as number) / G(i)),
  };
}
