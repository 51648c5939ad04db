import { ArgumentError, DataError } from "../util/errors";

/**
 * Coupling coordination degree of two systems (RS §6 and EQ §5.2 "coordination indices").
 *
 *     C = 2·sqrt(U1·U2) / (U1 + U2)        (coupling degree, in [0, 1])
 *     T = a·U1 + b·U2,  a + b = 1          (comprehensive development index; default a = b = 0.5)
 *     D = sqrt(C · T)                      (coupling coordination degree)
 *
 * This is the corrected two-system form in Wang Shujia, Kong Wei, Ren Lang, Zhi Dandan &
 * Dai Bingtao (王淑佳 等 2021), "中国耦合协调度模型的误区及修正", 经济地理 41(4): 1–15; it is the
 * n = 2 case of C = [Π U_i / ((Σ U_i)/n)^n]^{1/n} (Liu Yaobin, Li Rendong & Song Xuefeng 2005,
 * 地理学报 60(2)). Older papers print C = [U1U2/((U1+U2)/2)^2]^{1/2}, which is identical for
 * n = 2, or C = [U1U2/(U1+U2)^2]^{1/2}, which is the "misuse" Wang et al. correct
 * (its maximum is 0.5); `legacy: true` returns that old form for comparison only.
 *
 * Assumptions: U1, U2 ≥ 0 and normally in [0, 1] (e.g. entropy indices). U1 = U2 = 0 gives
 * C = NaN (0/0) and D = NaN; NA inputs give NaN. Negative values are a DataError.
 *
 * @example
 *   const { C, T, D } = couplingCoordination(u1, u2);          // a = b = 0.5
 *   couplingCoordination(Float64Array.of(0.3), Float64Array.of(0.5)).D[0]; // 0.62233...
 */
export function couplingCoordination(
  u1: Float64Array,
  u2: Float64Array,
  opts: { a?: number; b?: number; legacy?: boolean; names?: [string, string] } = {},
): { C: Float64Array; T: Float64Array; D: Float64Array } {
  const a = opts.a ?? 0.5;
  const b = opts.b ?? 1 - a;
  if (!(a >= 0 && b >= 0 && Math.abs(a + b - 1) < 1e-12))
    throw new ArgumentError(`weights must be ≥ 0 and add to 1, got a = ${a}, b = ${b}`);
  if (u1.length !== u2.length) throw new ArgumentError(`U1 has ${u1.length} values, U2 ${u2.length}`);
  const n = u1.length;
  const [n1, n2] = opts.names ?? ["U1", "U2"];
  const C = new Float64Array(n);
  const T = new Float64Array(n);
  const D = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = u1[i] as number;
    const y = u2[i] as number;
    if (x < 0) throw new DataError(`negative system score ${x}`, { column: n1, row: i + 1 });
    if (y < 0) throw new DataError(`negative system score ${y}`, { column: n2, row: i + 1 });
    const c = opts.legacy ? Math.sqrt((x * y) / ((x + y) * (x + y))) : (2 * Math.sqrt(x * y)) / (x + y);
    const tt = a * x + b * y;
    C[i] = c;
    T[i] = tt;
    D[i] = Math.sqrt(c * tt);
  }
  return { C, T, D };
}
