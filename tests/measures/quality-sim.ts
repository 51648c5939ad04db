import { fromRecords, type Table } from "../../lib/data/table";
import { rng } from "../../lib/util/rng";

/**
 * Simulated customs rows for the quality tests (not a test file itself): firm × HS6 ×
 * destination × year with the leave-one-out instrument valid (ln p = c_ght + u_ghdt, firm-product
 * cost independent of quality ρ), a city-year control `gdp` (a few missing), and rows that each
 * cleaning rule drops: non-positive values (1), intermediaries (2), a chapter-09 product (3),
 * single-destination firm-products (4), a rare product (5), and destination × year cells with
 * one row (fixed-effect singletons).
 */
export function simulateCustoms(seed: number, opts: { sigma?: number } = {}): { customs: Table; truth: Map<string, number> } {
  const SIGMA = opts.sigma ?? 4;
  const r = rng(seed);
  const rows: Record<string, number | string | null>[] = [];
  const truth = new Map<string, number>();
  const dests = ["USA", "JPN", "DEU", "KOR", "GBR", "FRA"];
  const years = [2010, 2011, 2012, 2013];
  const feD = dests.map(() => r.normal(0, 0.5));
  const gdp = new Map<string, number>();
  const products = [...Array.from({ length: 10 }, (_, h) => `84${h < 5 ? 1 : 2}${h}${h % 2 ? "10" : "20"}`), "090110", "842990"];
  products.forEach((hs6, hIdx) => {
    const feH = r.normal(0, 1);
    const rare = hs6 === "842990";
    for (let g = 0; g < (rare ? 3 : 50); g++) {
      for (const t of years) {
        if (r.uniform() < 0.3) continue;
        const rho = r.normal(0, 0.5),
          c = r.normal(0, 0.3);
        truth.set(`${g}|${hs6}|${t}`, rho);
        for (let d = 0; d < dests.length; d++) {
          if (r.uniform() < 0.45) continue;
          const u = r.normal(0, 0.4);
          const eps = 0.8 * u + r.normal(0, 0.1);
          const lnp = c + u;
          const city = 100 + (g % 5);
          const key = `${city}|${t}`;
          if (!gdp.has(key)) gdp.set(key, r.uniform() < 0.05 ? NaN : r.normal(10, 0.3));
          const lnq =
            5 - SIGMA * lnp + (SIGMA - 1) * rho + feH + (feD[d] as number) + 0.1 * (t - 2010) + 0.2 * (gdp.get(key) as number) + eps;
          const q = Math.exp(lnq),
            p = Math.exp(lnp);
          const bad = r.uniform() < 0.01;
          rows.push({
            firm_id: 3201000000 + g * 7919,
            city_code: city,
            hs6,
            dest: dests[d] as string,
            year: t,
            value_usd: bad ? 0 : p * q,
            quantity: q,
            is_intermediary: g === 7 ? 1 : 0,
            gdp: Number.isNaN(gdp.get(key) as number) ? null : (gdp.get(key) as number),
          });
        }
      }
    }
    void hIdx;
  });
  // fixed-effect singletons: a destination sold once per year (by a firm with a second destination)
  for (const t of years) {
    const base = { firm_id: 3299000001, city_code: 101, hs6: "841020", year: t, is_intermediary: 0, gdp: 10 };
    rows.push({ ...base, dest: `Z${t}`, value_usd: 120 + t, quantity: 7 });
    rows.push({ ...base, dest: "USA", value_usd: 95, quantity: 6 });
  }
  return { customs: fromRecords(rows), truth };
}
