import { Table, numeric } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { groupByColumn } from "../data/keys";

/** IUGG mean Earth radius (km) used by `haversineKm`. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Great-circle distance in km (haversine, R = 6371.0088 km). */
export function haversineKm(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** Internal distance of a city of `areaKm2`: (2/3)·sqrt(area/π). */
export function internalDistanceKm(areaKm2: number): number {
  return (2 / 3) * Math.sqrt(areaKm2 / Math.PI);
}

export interface MarketPotentialOptions {
  readonly internet?: Float64Array;
  readonly internetWeight?: "j" | "i" | "ij";
}
export interface MarketPotential {
  readonly mp: Float64Array;
  readonly lmp: Float64Array;
  readonly hmp: Float64Array;
}

/** Inverse distances 1/d_ij (diagonal 1/d_ii), n×n row-major. */
export function inverseDistanceMatrix(
  geo: { lon: Float64Array; lat: Float64Array; area: Float64Array },
  labels?: readonly string[],
): Float64Array {
  const n = geo.lon.length;
  if (geo.lat.length !== n || geo.area.length !== n) throw new ArgumentError("lon, lat and area must have the same length");
  const inv = new Float64Array(n * n);
  const name = (i: number) => (labels ? `"${labels[i]}"` : `#${i + 1}`);
  for (let i = 0; i < n; i++) {
    const lo = geo.lon[i] as number;
    const la = geo.lat[i] as number;
    const ar = geo.area[i] as number;
    if (!Number.isFinite(lo) || !Number.isFinite(la) || !(Math.abs(la) <= 90))
      throw new DataError(`unit ${name(i)} has invalid coordinates (${lo}, ${la})`, { column: "lon/lat" });
    if (!(ar > 0)) throw new DataError(`unit ${name(i)} has area ${ar}; the internal distance needs area > 0`, { column: "area" });
    inv[i * n + i] = 1 / internalDistanceKm(ar);
    for (let j = 0; j < i; j++) {
      const d = haversineKm(lo, la, geo.lon[j] as number, geo.lat[j] as number);
      if (!(d > 0)) throw new DataError(`units ${name(j)} and ${name(i)} have the same coordinates (distance 0)`, { column: "lon/lat" });
      inv[i * n + j] = inv[j * n + i] = 1 / d;
    }
  }
  return inv;
}

function mpFromInverse(
  inv: Float64Array,
  n: number,
  Y: Float64Array,
  net: Float64Array | undefined,
  mode: "j" | "i" | "ij",
  active?: Uint8Array,
): MarketPotential {
  const mp = new Float64Array(n).fill(NaN);
  const lmp = new Float64Array(n).fill(NaN);
  const hmp = new Float64Array(n).fill(NaN);
  // contribution of j: Y_j (× net_j when weighting by destination)
  const c = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const ok = (!active || active[j]) && !Number.isNaN(Y[j] as number);
    c[j] = ok ? (Y[j] as number) * (net && mode !== "i" ? (net[j] as number) : 1) : 0;
  }
  for (let i = 0; i < n; i++) {
    if ((active && !active[i]) || Number.isNaN(Y[i] as number)) continue;
    const fi = net && mode !== "j" ? (net[i] as number) : 1;
    let h = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) if (j !== i) h += (c[j] as number) * (inv[row + j] as number);
    const l = (c[i] as number) * (inv[row + i] as number) * fi;
    h *= fi;
    lmp[i] = l;
    hmp[i] = h;
    mp[i] = l + h;
  }
  return { mp, lmp, hmp };
}

/**
 * Market potential (RS §五(二), Table 6: mp, lmp, hmp), Harris (1954) form
 *
 *     MP_i = Y_i / d_ii + Σ_{j≠i} Y_j / d_ij           lmp_i = Y_i/d_ii,  hmp_i = Σ_{j≠i} Y_j/d_ij
 *
 * (Harris, C. D. 1954, "The market as a factor in the localization of industry in the United
 * States", Annals AAG 44: 315–348). RS follows 梁文明 & 叶阿忠 (2023, "市场潜能、政府财政竞争与
 * 区域收入差距", 山西财经大学学报 (10): 47–61) with an internet factor whose exact form is not
 * printed ("留存备索"); here the factor multiplies each term:
 *   internetWeight "i"           : term_ij × net_i  (origin: city i's internet access to every market;
 *                                  the form the RS panel uses — a city's own internet penetration,
 *                                  and so its own virtual agglomeration, can raise its external
 *                                  market potential hmp_i = net_i Σ_{j≠i} Y_j/d_ij),
 *                  "j" (default): term_ij × net_j  (destination: the reachable online market of
 *                                  city j; hmp_i then does not depend on city i's own internet),
 *                  "ij"          : term_ij × net_i × net_j.
 * So with "i": mp_i = net_i (Y_i/d_ii + Σ_{j≠i} Y_j/d_ij), lmp_i = net_i Y_i/d_ii,
 * hmp_i = net_i Σ_{j≠i} Y_j/d_ij. Without `internet`, the plain Harris potential is returned.
 *
 * Distances: great-circle (haversine) between (lon, lat) in degrees on a sphere of radius
 * R = 6371.0088 km (the IUGG mean Earth radius); internal distance d_ii = (2/3)·sqrt(area_i/π)
 * (the average distance to the centre of a disc of the city's area; Head & Mayer 2000;
 * area in km²). Two distinct cities at the same coordinates (d_ij = 0) are a DataError.
 *
 * Panels (`marketPotentialPanel`): coordinates and area are per unit (must not vary by year;
 * area may be NA in years other than one); each year uses the units with non-NA Y that year
 * (a unit with NA Y contributes nothing to others and gets NaN). With origin weighting ("i") a
 * unit's internet value enters only its own row, so an NA internet value gives that row NaN
 * (its GDP still counts in the other units' potential); with "j"/"ij" it would change every other
 * unit's value and is a DataError. The n×n inverse-distance matrix is built once, so 300 cities
 * × 12 years is ~1M multiply–adds.
 *
 * @example
 *   const mp = marketPotential({ lon, lat, area }, gdp);                                  // { mp, lmp, hmp }
 *   const mpi = marketPotential({ lon, lat, area }, gdp, { internet, internetWeight: "i" }); // origin-weighted (RS)
 */
export function marketPotential(
  geo: { lon: Float64Array; lat: Float64Array; area: Float64Array; labels?: readonly string[] },
  Y: Float64Array,
  opts: MarketPotentialOptions = {},
): MarketPotential {
  const n = geo.lon.length;
  if (Y.length !== n) throw new ArgumentError(`Y has ${Y.length} values for ${n} units`);
  if (opts.internet && opts.internet.length !== n) throw new ArgumentError(`internet has ${opts.internet.length} values for ${n} units`);
  const mode = opts.internetWeight ?? "j";
  if (mode !== "j" && mode !== "i" && mode !== "ij")
    throw new ArgumentError(`internetWeight must be "j", "i" or "ij", got "${String(mode)}"`);
  return mpFromInverse(inverseDistanceMatrix(geo, geo.labels), n, Y, opts.internet, mode);
}

export interface MarketPotentialPanelOptions extends MarketPotentialOptions {
  readonly unit: string;
  readonly year: string;
  readonly lon: string;
  readonly lat: string;
  readonly area: string;
  readonly y: string;
  /** Column with internet penetration (overrides `internet`). */
  readonly internetColumn?: string;
}

/** Market potential for every row of a unit × year panel (columns aligned with the table). */
export function marketPotentialPanel(t: Table, o: MarketPotentialPanelOptions): MarketPotential {
  const mode = o.internetWeight ?? "j";
  const Y = numeric(t, o.y);
  const lon = numeric(t, o.lon);
  const lat = numeric(t, o.lat);
  const area = numeric(t, o.area);
  const netCol = o.internetColumn ? numeric(t, o.internetColumn) : undefined;
  const units = groupByColumn(t, o.unit);
  const labels = [...units.keys()];
  const n = labels.length;
  const uLon = new Float64Array(n).fill(NaN);
  const uLat = new Float64Array(n).fill(NaN);
  const uArea = new Float64Array(n).fill(NaN);
  const unitOf = new Int32Array(t.nrows);
  labels.forEach((u, k) => {
    for (const r of units.get(u) as number[]) {
      unitOf[r] = k;
      for (const [src, dst, col] of [
        [lon, uLon, o.lon],
        [lat, uLat, o.lat],
        [area, uArea, o.area],
      ] as const) {
        const v = src[r] as number;
        if (Number.isNaN(v)) continue;
        if (Number.isNaN(dst[k] as number)) dst[k] = v;
        else if (dst[k] !== v)
          throw new DataError(`varies within unit "${u}" (${dst[k]} vs ${v}); it must be constant`, {
            file: t.source,
            column: col,
            row: r + 1,
          });
      }
    }
  });
  const inv = inverseDistanceMatrix({ lon: uLon, lat: uLat, area: uArea }, labels);
  const years = groupByColumn(t, o.year);
  const mp = new Float64Array(t.nrows).fill(NaN);
  const lmp = new Float64Array(t.nrows).fill(NaN);
  const hmp = new Float64Array(t.nrows).fill(NaN);
  for (const [yKey, rows] of years) {
    const Yy = new Float64Array(n).fill(NaN);
    const net = netCol || o.internet ? new Float64Array(n).fill(NaN) : undefined;
    const active = new Uint8Array(n);
    for (const r of rows) {
      const k = unitOf[r] as number;
      if (active[k]) throw new DataError(`duplicate year ${yKey} for unit "${labels[k]}"`, { file: t.source, column: o.year, row: r + 1 });
      active[k] = 1;
      Yy[k] = Y[r] as number;
      if (net) net[k] = (netCol ?? (o.internet as Float64Array))[r] as number;
    }
    if (net && mode !== "i")
      for (const r of rows)
        if (!Number.isNaN(Y[r] as number) && Number.isNaN(net[unitOf[r] as number] as number))
          throw new DataError("internet penetration is NA where Y is not", {
            file: t.source,
            column: o.internetColumn ?? "internet",
            row: r + 1,
          });
    const res = mpFromInverse(inv, n, Yy, net, mode, active);
    for (const r of rows) {
      const k = unitOf[r] as number;
      mp[r] = res.mp[k] as number;
      lmp[r] = res.lmp[k] as number;
      hmp[r] = res.hmp[k] as number;
    }
  }
  return { mp, lmp, hmp };
}
