import { table, type Table } from "../../lib/data/table";
import { rng } from "../../lib/util/rng";

// Shared by the multiple-outcome tests (feols-multi, iv2sls-multi).

/** A 3-FE panel with clusters and weights; y1, y2 share missing rows, y3 has more, y4 has ±Inf. */
export function panel(n: number, seed: number): Table {
  const r = rng(seed);
  const a = new Float64Array(n),
    b = new Float64Array(n),
    c = new Float64Array(n),
    x1 = new Float64Array(n),
    x2 = new Float64Array(n),
    z = new Float64Array(n),
    w = new Float64Array(n);
  const y1 = new Float64Array(n),
    y2 = new Float64Array(n),
    y3 = new Float64Array(n),
    y4 = new Float64Array(n),
    pos = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    a[i] = Math.floor(r.uniform() * 40);
    b[i] = Math.floor(r.uniform() * 25);
    c[i] = Math.floor(r.uniform() * 6);
    z[i] = r.normal();
    x1[i] = 0.8 * (z[i] as number) + r.normal();
    x2[i] = r.normal() + 0.3 * (x1[i] as number);
    w[i] = 0.5 + r.uniform();
    const e = r.normal();
    y1[i] = 1 + 0.5 * (x1[i] as number) - 0.2 * (x2[i] as number) + 0.1 * (a[i] as number) + e;
    y2[i] = 0.3 * (x1[i] as number) + 0.05 * (b[i] as number) + 0.5 * e + r.normal();
    y3[i] = (y2[i] as number) + r.normal();
    y4[i] = (y1[i] as number) - (y2[i] as number);
    pos[i] = Math.exp(0.1 * (y1[i] as number));
    if (i % 37 === 5) {
      y1[i] = NaN;
      y2[i] = NaN;
      y3[i] = NaN;
      y4[i] = NaN;
      pos[i] = NaN;
    }
    if (i % 53 === 7) y3[i] = NaN; // more missing rows than y1, y2
    if (i % 61 === 9) y4[i] = Infinity; // ±Inf: removed, counted apart from NaN
    if (i % 97 === 11) x2[i] = NaN; // a missing regressor: dropped for every outcome
  }
  // a singleton level of a (removed with the same rows for every outcome)
  a[0] = 999;
  return table({ y1, y2, y3, y4, pos, x1, x2, z, a, b, c, w });
}

/** The first path where two results differ (numbers compared with Object.is), or null. */
export function firstDifference(a: unknown, b: unknown, at = "result"): string | null {
  if (typeof a === "number" || typeof b === "number") return Object.is(a, b) ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object")
    return a === b ? null : `${at}: ${String(a)} vs ${String(b)}`;
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    const x = Array.from(a as Float64Array),
      y = Array.from(b as Float64Array);
    if (x.length !== y.length) return `${at}: length ${x.length} vs ${y.length}`;
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) return `${at}[${i}]: ${x[i]} vs ${y[i]}`;
    return null;
  }
  const ka = Object.keys(a).sort(),
    kb = Object.keys(b).sort();
  if (ka.join() !== kb.join()) return `${at}: keys ${ka.join()} vs ${kb.join()}`;
  for (const k of ka) {
    const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (d) return d;
  }
  return null;
}
