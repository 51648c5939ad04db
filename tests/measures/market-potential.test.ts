import { test } from "uvu";
import * as assert from "uvu/assert";
import { table } from "../../lib/data/table";
import { DataError } from "../../lib/util/errors";
import { haversineKm, internalDistanceKm, marketPotential, marketPotentialPanel } from "../../lib/measures/market-potential";

// Tolerances
// GEO: 1e-9 relative — the hand distances below were computed with the spherical law of cosines
//   (acos form, R = 6371.0088 km), not haversine; for 100–1100 km the two agree to ~1e-12, acos
//   loses a few digits, so 1e-9 leaves room without hiding a wrong radius (1 km in 6371 = 1.6e-4).
const GEO = 1e-9;
// EXACT: 1e-13 relative — identities of the same arithmetic (sums of 2–3 terms).
const EXACT = 1e-13;
const close = (a: number, b: number, tol: number, what = "") =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

// Real cities: centroids from /work/shared/data/cities/cn_city_census_2010_2020_centroids.csv (leiii/census, MIT),
// GDP 2015 (10k CNY -> 100 million CNY) from cn_city_yearbook_light_2015_quanturban.csv (quanturban/firm, MIT):
//   北京 116.41247, 40.18558, GDP 230145900 ; 天津 117.34169, 39.28381, 165381900 ; 上海 121.48409, 31.21195, 251234500.
// Areas (km², administrative, official figures, typed in here): 北京 16410.54, 天津 11966.45, 上海 6340.5.
const lon = Float64Array.of(116.41247, 117.34169, 121.48409);
const lat = Float64Array.of(40.18558, 39.28381, 31.21195);
const area = Float64Array.of(16410.54, 11966.45, 6340.5);
const gdp = Float64Array.of(23014.59, 16538.19, 25123.45);

test("haversine and internal distance, three real cities by hand", () => {
  // law of cosines: d = R acos(sin φ1 sin φ2 + cos φ1 cos φ2 cos Δλ)
  close(haversineKm(lon[0] as number, lat[0] as number, lon[1] as number, lat[1] as number), 127.9361837494349, GEO, "BJ-TJ");
  close(haversineKm(lon[0] as number, lat[0] as number, lon[2] as number, lat[2] as number), 1097.3831555896072, GEO, "BJ-SH");
  close(haversineKm(lon[2] as number, lat[2] as number, lon[1] as number, lat[1] as number), 972.8790136868485, GEO, "SH-TJ");
  // (2/3) sqrt(16410.54/π) = (2/3) * 72.27473 = 48.183155745617825
  close(internalDistanceKm(16410.54), 48.183155745617825, EXACT, "d_BJ");
});

test("Harris market potential: 北京 / 天津 / 上海 by hand", () => {
  const r = marketPotential({ lon, lat, area }, gdp);
  // 北京: lmp = 23014.59/48.183155745617825 = 477.64804201503836
  //       hmp = 16538.19/127.9361837494349 + 25123.45/1097.3831555896072 = 129.2689 + 22.8941 = 152.16302191533745
  // 天津: lmp = 16538.19/41.14494345886136 = 401.9495133475066 ; hmp = 23014.59/127.936 + 25123.45/972.879 = 205.7149891176547
  // 上海: lmp = 25123.45/29.949912508485262 = 838.8488611738732 ; hmp = 23014.59/1097.383 + 16538.19/972.879 = 37.971472229355925
  const lmp = [477.64804201503836, 401.9495133475066, 838.8488611738732];
  const hmp = [152.16302191533745, 205.7149891176547, 37.971472229355925];
  for (let i = 0; i < 3; i++) {
    close(r.lmp[i] as number, lmp[i] as number, GEO, `lmp ${i}`);
    close(r.hmp[i] as number, hmp[i] as number, GEO, `hmp ${i}`);
    close(r.mp[i] as number, (lmp[i] as number) + (hmp[i] as number), GEO, `mp ${i}`);
  }
});

test("internet weighting: destination j, origin i, both", () => {
  const Y1 = Float64Array.of(1, 1, 1);
  const net = Float64Array.of(0.5, 1, 2);
  const dBT = 127.9361837494349,
    dBS = 1097.3831555896072,
    dB = 48.183155745617825;
  const j = marketPotential({ lon, lat, area }, Y1, { internet: net });
  // 北京, weight by destination: lmp = 0.5/dB ; hmp = 1*1/dBT + 1*2/dBS
  close(j.lmp[0] as number, 0.5 / dB, GEO, "lmp j");
  close(j.hmp[0] as number, 1 / dBT + 2 / dBS, GEO, "hmp j");
  const i = marketPotential({ lon, lat, area }, Y1, { internet: net, internetWeight: "i" });
  close(i.hmp[0] as number, 0.5 * (1 / dBT + 1 / dBS), GEO, "hmp i");
  const ij = marketPotential({ lon, lat, area }, Y1, { internet: net, internetWeight: "ij" });
  close(ij.hmp[0] as number, 0.5 * (1 / dBT + 2 / dBS), GEO, "hmp ij");
  close(ij.lmp[0] as number, 0.25 / dB, GEO, "lmp ij");
});

test("origin weighting (RS): own internet scales own lmp and hmp; NA internet gives NaN only in its own row", () => {
  const net = Float64Array.of(0.5, 1, 2);
  const plain = marketPotential({ lon, lat, area }, gdp);
  const o = marketPotential({ lon, lat, area }, gdp, { internet: net, internetWeight: "i" });
  for (let i = 0; i < 3; i++) {
    close(o.hmp[i] as number, (net[i] as number) * (plain.hmp[i] as number), EXACT, `hmp ${i} = net_i × Harris hmp_i`);
    close(o.lmp[i] as number, (net[i] as number) * (plain.lmp[i] as number), EXACT, `lmp ${i}`);
  }
  // raising Beijing's own internet raises its hmp under origin weighting, not under destination weighting
  const net2 = Float64Array.of(1, 1, 2);
  assert.ok((marketPotential({ lon, lat, area }, gdp, { internet: net2, internetWeight: "i" }).hmp[0] as number) > (o.hmp[0] as number));
  const d1 = marketPotential({ lon, lat, area }, gdp, { internet: net }).hmp[0] as number;
  const d2 = marketPotential({ lon, lat, area }, gdp, { internet: net2 }).hmp[0] as number;
  close(d2, d1, EXACT, "destination: own internet does not move own hmp");
  const t = table({
    city: ["BJ", "TJ", "SH"],
    year: Int32Array.of(2015, 2015, 2015),
    lon: [...lon],
    lat: [...lat],
    area: [...area],
    gdp: [...gdp],
    inet: [NaN, 1, 2],
  });
  const p = marketPotentialPanel(t, {
    unit: "city",
    year: "year",
    lon: "lon",
    lat: "lat",
    area: "area",
    y: "gdp",
    internetColumn: "inet",
    internetWeight: "i",
  });
  assert.ok(Number.isNaN(p.hmp[0] as number));
  close(p.hmp[1] as number, plain.hmp[1] as number, EXACT, "TJ keeps Beijing's GDP in its potential");
  close(p.hmp[2] as number, 2 * (plain.hmp[2] as number), EXACT, "SH");
  assert.throws(
    () => marketPotentialPanel(t, { unit: "city", year: "year", lon: "lon", lat: "lat", area: "area", y: "gdp", internetColumn: "inet" }),
    (e: unknown) => e instanceof DataError && /internet penetration is NA/.test((e as Error).message),
  );
});

test("panel: per-year cross-sections; a NA-GDP city drops out of that year", () => {
  const t = table({
    city: ["BJ", "TJ", "SH", "BJ", "TJ", "SH"],
    year: Int32Array.of(2015, 2015, 2015, 2016, 2016, 2016),
    lon: [...lon, ...lon],
    lat: [...lat, ...lat],
    area: [...area, ...area],
    gdp: [...gdp, 1, NaN, 2],
  });
  const p = marketPotentialPanel(t, { unit: "city", year: "year", lon: "lon", lat: "lat", area: "area", y: "gdp" });
  const cs = marketPotential({ lon, lat, area }, gdp);
  for (let i = 0; i < 3; i++) close(p.mp[i] as number, cs.mp[i] as number, EXACT, `2015 ${i}`);
  // 2016: BJ = 1/dB + 2/dBS (TJ missing)
  close(p.mp[3] as number, 1 / 48.183155745617825 + 2 / 1097.3831555896072, GEO, "BJ 2016");
  assert.ok(Number.isNaN(p.mp[4] as number));
});

test("bad input: duplicate coordinates, zero area, varying area, unknown column", () => {
  const same = { lon: Float64Array.of(1, 1), lat: Float64Array.of(2, 2), area: Float64Array.of(1, 1), labels: ["a", "b"] };
  assert.throws(
    () => marketPotential(same, Float64Array.of(1, 1)),
    (e: unknown) => e instanceof DataError && /"a" and "b"/.test((e as Error).message),
  );
  assert.throws(
    () => marketPotential({ ...same, lon: Float64Array.of(1, 2), area: Float64Array.of(0, 1) }, Float64Array.of(1, 1)),
    (e: unknown) => e instanceof DataError && /area 0/.test((e as Error).message),
  );
  const t = table({ city: ["a", "a"], year: [1, 2], lon: [1, 1], lat: [1, 1], area: [5, 6], y: [1, 1] });
  assert.throws(
    () => marketPotentialPanel(t, { unit: "city", year: "year", lon: "lon", lat: "lat", area: "area", y: "y" }),
    (e: unknown) => e instanceof DataError && /column "area", row 2/.test((e as Error).message),
  );
  assert.throws(
    () => marketPotentialPanel(t, { unit: "city", year: "year", lon: "lon", lat: "lat", area: "area", y: "gdp" }),
    (e: unknown) => e instanceof DataError && /column "gdp"/.test((e as Error).message),
  );
});

test.run();
