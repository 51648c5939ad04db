import { table, type Table } from "../../../lib/data/table";

/**
 * A small synthetic panel for the weak-IV panel tests: 40 cities × 15 years, city effects,
 * heteroskedastic errors correlated between the stages (x is endogenous), instruments z1 (first
 * stage coefficient `pi1`, default 0.8) and z2 (coefficient 0.1). Deterministic (a fixed LCG), true β = 0.5.
 */
export function weakIvData(pi1 = 0.8): Table {
  let s = 12345;
  const u01 = () => {
    s = (1103515245 * s + 12345) % 2147483648;
    return (s + 0.5) / 2147483648;
  };
  const norm = () => Math.sqrt(-2 * Math.log(u01())) * Math.cos(2 * Math.PI * u01());
  const n = 600;
  const city = new Float64Array(n),
    year = new Float64Array(n),
    z1 = new Float64Array(n),
    z2 = new Float64Array(n),
    w = new Float64Array(n),
    x = new Float64Array(n),
    y = new Float64Array(n);
  const ce = Array.from({ length: 40 }, () => norm());
  for (let i = 0; i < n; i++) {
    const c = i % 40;
    city[i] = c + 1;
    year[i] = 2000 + Math.floor(i / 40);
    z1[i] = norm() + 0.3 * ce[c]!;
    z2[i] = norm();
    w[i] = norm();
    const e = norm(),
      v = norm() * (1 + Math.abs(z1[i]!));
    x[i] = pi1 * z1[i]! + 0.1 * z2[i]! + 0.5 * w[i]! + ce[c]! + v;
    y[i] = 0.5 * x[i]! + w[i]! + 2 * ce[c]! + 0.6 * v + e;
  }
  return table({ y, x, z1, z2, w, city, year });
}
