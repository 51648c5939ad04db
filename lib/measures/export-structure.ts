import { type Column, type Table, column, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { groupRows, keysOf, numberAt } from "../data/keys";

/** Column names, the national table and the n convention of `exportStructure`. */
export interface ExportStructureOptions {
  city?: string;
  time?: string;
  product?: string;
  value?: string;
  national?: Table;
  nationalColumns?: { product?: string; time?: string; value?: string };
  n?: "national" | "city";
}

/** Counts of skipped, missing and undefined cells of `exportStructure`. */
export interface ExportStructureReport {
  naValueRows: number;
  /** City rows whose product has no positive national exports that year. */
  unknownProductRows: number;
  cityYears: number;
}

interface Prepared {
  cityK: (string | null)[];
  prodK: (string | null)[];
  yr: Float64Array;
  v: Float64Array;
  nat: Map<number, Map<string, number>>;
  natTot: Map<number, number>;
  cy: ReturnType<typeof groupRows>;
  naValueRows: number;
}

function prepare(t: Table, o: ExportStructureOptions): Prepared {
  const cn = { city: o.city ?? "city", time: o.time ?? "year", product: o.product ?? "product", value: o.value ?? "value" };
  const cityK = keysOf(column(t, cn.city));
  const prodK = keysOf(column(t, cn.product));
  const tc = column(t, cn.time);
  const v = numeric(t, cn.value);
  const yr = new Float64Array(t.nrows);
  let naValueRows = 0;
  const keys: (string | null)[] = new Array(t.nrows);
  const seen = new Set<string>();
  for (let i = 0; i < t.nrows; i++) {
    yr[i] = numberAt(tc, i, t.source, cn.time);
    if (cityK[i] === null || prodK[i] === null || Number.isNaN(yr[i] as number))
      throw new DataError("NA city, product or year", { file: t.source, row: i + 1 });
    if ((v[i] as number) < 0) throw new DataError(`negative export value ${v[i]}`, { file: t.source, column: cn.value, row: i + 1 });
    if (Number.isNaN(v[i] as number)) naValueRows++;
    keys[i] = cityK[i] + "\u001f" + yr[i];
    const k3 = keys[i] + "\u001f" + prodK[i];
    if (seen.has(k3))
      throw new DataError(`duplicate (city, year, product) "${cityK[i]}", ${yr[i]}, "${prodK[i]}"`, { file: t.source, row: i + 1 });
    seen.add(k3);
  }
  const nat = new Map<number, Map<string, number>>();
  const add = (y: number, p: string, val: number) => {
    if (!(val > 0)) return;
    let m = nat.get(y);
    if (!m) nat.set(y, (m = new Map()));
    m.set(p, (m.get(p) ?? 0) + val);
  };
  if (o.national) {
    const n = o.national;
    const nc = {
      product: o.nationalColumns?.product ?? cn.product,
      time: o.nationalColumns?.time ?? cn.time,
      value: o.nationalColumns?.value ?? cn.value,
    };
    const np = keysOf(column(n, nc.product));
    const nt = column(n, nc.time);
    const nv = numeric(n, nc.value);
    for (let i = 0; i < n.nrows; i++) {
      const p = np[i];
      if (p === null || p === undefined) throw new DataError("NA product", { file: n.source, row: i + 1 });
      add(numberAt(nt, i, n.source, nc.time), p, nv[i] as number);
    }
  } else for (let i = 0; i < t.nrows; i++) add(yr[i] as number, prodK[i] as string, v[i] as number);
  const natTot = new Map<number, number>();
  for (const [y, m] of nat)
    natTot.set(
      y,
      [...m.values()].reduce((a, b) => a + b, 0),
    );
  return { cityK, prodK, yr, v, nat, natTot, cy: groupRows(keys), naValueRows };
}

/**
 * Export-structure indices of EQ §5.2 (Zhao et al. 2022), eqs. (25)–(26), from a long table of
 * city × product × year export values:
 *
 *   s_cjt = v_cjt / Σ_j v_cjt        (product j's share of city c's exports)
 *   s_jt  = V_jt / Σ_j V_jt          (product j's share of national exports)
 *   LQ_cjt = s_cjt / s_jt            (location quotient)
 *   spe_ct = (1/n) max_j LQ_cjt                        (25), as printed
 *   div_ct = 1 / Σ_j |s_cjt / s_jt| = 1 / Σ_j LQ_cjt   (26), as printed ("modified Herfindahl")
 *   rdi_ct = 1 / Σ_j |s_cjt − s_jt|                    Duranton & Puga (2000, Urban Studies 37(3)) relative diversity
 *
 * Conventions: national shares come from `national` (product, year, value) when given, else from
 * the sum over all cities in the table. n in (25) = number of products with positive national
 * exports in year t (`n: "national"`, default) or with positive exports of the city
 * (`n: "city"`); the paper does not say which. Σ_j in div runs over the city's products (a
 * product the city does not export has LQ 0); Σ_j in rdi runs over all products with
 * positive national exports (an absent product contributes s_jt). NA values are skipped and
 * counted; negative values are a DataError; a city product missing from `national` (s_jt = 0)
 * is counted and makes that city-year's indices NA. A city-year with zero total exports gets NA.
 *
 * @example
 *   // city A exports (x: 3, y: 1), city B (x: 1, y: 3): national s = (.5, .5)
 *   // A: LQ = (1.5, .5) → spe = 1.5/2 = .75, div = 1/2 = .5, rdi = 1/(.25 + .25) = 2
 *   exportStructure(t, { city: "city", time: "year", product: "hs4", value: "v" });
 */
export function exportStructure(t: Table, o: ExportStructureOptions = {}): { table: Table; report: ExportStructureReport } {
  const nMode = o.n ?? "national";
  if (nMode !== "national" && nMode !== "city") throw new ArgumentError(`n must be "national" or "city", got "${String(nMode)}"`);
  const P = prepare(t, o);
  const G = P.cy.keys.length;
  const spe = new Float64Array(G);
  const div = new Float64Array(G);
  const rdi = new Float64Array(G);
  const nOut = new Float64Array(G);
  const cityOut: string[] = [];
  const yearOut = new Float64Array(G);
  let unknownProductRows = 0;
  for (let g = 0; g < G; g++) {
    const rows = P.cy.rows[g] as number[];
    const first = P.cy.first[g] as number;
    const y = P.yr[first] as number;
    cityOut.push(P.cityK[first] as string);
    yearOut[g] = y;
    const natY = P.nat.get(y) ?? new Map<string, number>();
    const V = P.natTot.get(y) ?? 0;
    let tot = 0;
    for (const i of rows) if (!Number.isNaN(P.v[i] as number)) tot += P.v[i] as number;
    let bad = !(tot > 0);
    let maxLq = -Infinity;
    let sumLq = 0;
    let sumAbs = 0;
    let nCity = 0;
    const inCity = new Set<string>();
    for (const i of rows) {
      const vi = P.v[i] as number;
      if (Number.isNaN(vi)) continue;
      const p = P.prodK[i] as string;
      const Vj = natY.get(p);
      if (Vj === undefined) {
        if (vi > 0) (unknownProductRows++, (bad = true));
        continue;
      }
      inCity.add(p);
      const sc = vi / tot;
      const sj = Vj / V;
      const lq = sc / sj;
      if (vi > 0) nCity++;
      maxLq = Math.max(maxLq, lq);
      sumLq += lq;
      sumAbs += Math.abs(sc - sj);
    }
    for (const [p, Vj] of natY) if (!inCity.has(p)) sumAbs += Vj / V;
    const n = nMode === "national" ? natY.size : nCity;
    nOut[g] = n;
    spe[g] = bad ? NaN : maxLq / n;
    div[g] = bad ? NaN : 1 / sumLq;
    rdi[g] = bad ? NaN : 1 / sumAbs;
  }
  const cn = { city: o.city ?? "city", time: o.time ?? "year" };
  const cols: Record<string, Column> = { [cn.city]: cityOut, [cn.time]: yearOut, spe, div, rdi, n: nOut };
  return { table: table(cols, t.source), report: { naValueRows: P.naValueRows, unknownProductRows, cityYears: G } };
}

/**
 * Location quotients LQ_cjt = s_cjt / s_jt for every city × product × year row of `t`
 * (same share definitions and options as {@link exportStructure}); NA for NA values, for
 * products without national exports, and for city-years with zero total.
 *
 * @example
 *   locationQuotients(t, { city: "city", time: "year", product: "hs4", value: "v" });
 *   // columns: the key columns, s_c (city share), s_n (national share), lq
 */
export function locationQuotients(t: Table, o: ExportStructureOptions = {}): Table {
  const P = prepare(t, o);
  const sc = new Float64Array(t.nrows).fill(NaN);
  const sn = new Float64Array(t.nrows).fill(NaN);
  const lq = new Float64Array(t.nrows).fill(NaN);
  for (let g = 0; g < P.cy.keys.length; g++) {
    const rows = P.cy.rows[g] as number[];
    const y = P.yr[P.cy.first[g] as number] as number;
    let tot = 0;
    for (const i of rows) if (!Number.isNaN(P.v[i] as number)) tot += P.v[i] as number;
    const natY = P.nat.get(y);
    const V = P.natTot.get(y) ?? 0;
    for (const i of rows) {
      const vi = P.v[i] as number;
      if (Number.isNaN(vi) || !(tot > 0)) continue;
      sc[i] = vi / tot;
      const Vj = natY?.get(P.prodK[i] as string);
      if (Vj === undefined) continue;
      sn[i] = Vj / V;
      lq[i] = (sc[i] as number) / (sn[i] as number);
    }
  }
  const cn = { city: o.city ?? "city", time: o.time ?? "year", product: o.product ?? "product" };
  return table(
    { [cn.city]: column(t, cn.city), [cn.time]: column(t, cn.time), [cn.product]: column(t, cn.product), s_c: sc, s_n: sn, lq },
    t.source,
  );
}

/**
 * Location quotient from totals, vectorised: LQ = (e_ci / e_c) / (e_i / e), e.g. EQ eq. (27)'s
 * `agg` = secondary-industry employment LQ of a city: e_ci city secondary employment, e_c city
 * employment, e_i national secondary employment, e national employment (scalars broadcast).
 * NA in → NA out; a zero denominator gives NA.
 *
 * @example
 *   locationQuotientFromTotals(Float64Array.of(40), Float64Array.of(100), 300, 1000); // (40/100)/(300/1000) = 4/3
 */
export function locationQuotientFromTotals(
  eci: Float64Array,
  ec: Float64Array,
  ei: Float64Array | number,
  e: Float64Array | number,
): Float64Array {
  const n = eci.length;
  if (ec.length !== n || (typeof ei !== "number" && ei.length !== n) || (typeof e !== "number" && e.length !== n))
    throw new ArgumentError("locationQuotientFromTotals: arrays of different lengths");
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = eci[i] as number;
    const b = ec[i] as number;
    const c = typeof ei === "number" ? ei : (ei[i] as number);
    const d = typeof e === "number" ? e : (e[i] as number);
    out[i] = b > 0 && c > 0 && d > 0 ? a / b / (c / d) : NaN;
  }
  return out;
}
