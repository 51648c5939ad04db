import { IVBIAS, IVSIZE, STOCK_YOGO_SOURCE } from "./stock-yogo-data";

/** Stock–Yogo critical values for (K1, L1); `null` where the tables have none. */
export interface StockYogo {
  readonly K1: number;
  readonly L1: number;
  /** Maximal IV relative bias 5/10/20/30%. */
  readonly ivBias: Readonly<Record<"5" | "10" | "20" | "30", number | null>>;
  /** Maximal IV (Wald test) size 10/15/20/25%. */
  readonly ivSize: Readonly<Record<"10" | "15" | "20" | "25", number | null>>;
  readonly source: string;
}

const parsed = new Map<string, (number | null)[][]>();

/**
 * Parse a packed critical-value table: rows separated by ';', cells by ',', '.' = none (null).
 * Memoised per string.
 *
 * @example parseTable("1,.;2.5,3") // [[1, null], [2.5, 3]]
 */
export function parseTable(s: string): (number | null)[][] {
  const hit = parsed.get(s);
  if (hit) return hit;
  const t = s.split(";").map((row) => row.split(",").map((v) => (v.trim() === "." ? null : Number(v))));
  parsed.set(s, t);
  return t;
}
function look(s: string, L1: number, K1: number): number | null {
  const t = parseTable(s);
  return t[L1 - 1]?.[K1 - 1] ?? null;
}

/**
 * Stock & Yogo (2005, "Testing for weak instruments in linear IV regression", in Andrews &
 * Stock (eds.), Identification and Inference for Econometric Models, Tables 5.1–5.2) critical values for the Cragg–Donald (or, by the usual convention,
 * Kleibergen–Paap) F statistic with K1 endogenous regressors and L1 excluded instruments,
 * as ivreg2's `cdsy` looks them up: row L1, column K1; IV relative bias defined for
 * K1 ≤ 3 (and L1 ≥ K1 + 2), IV size for K1 ≤ 2; L1 ≤ 100. Unavailable values are `null`.
 *
 * @example
 *   stockYogo(1, 1).ivSize[10];   // 16.38 (10% maximal IV size)
 *   stockYogo(1, 3).ivBias[10];   // 9.08 (10% maximal IV relative bias)
 */
export function stockYogo(K1: number, L1: number): StockYogo {
  const ok = Number.isInteger(K1) && Number.isInteger(L1) && K1 >= 1 && L1 >= 1 && L1 <= 100;
  const bias = (p: 5 | 10 | 20 | 30) => (ok && K1 <= 3 ? look(IVBIAS[p], L1, K1) : null);
  const size = (p: 10 | 15 | 20 | 25) => (ok && K1 <= 2 ? look(IVSIZE[p], L1, K1) : null);
  return Object.freeze({
    K1,
    L1,
    ivBias: Object.freeze({ "5": bias(5), "10": bias(10), "20": bias(20), "30": bias(30) }),
    ivSize: Object.freeze({ "10": size(10), "15": size(15), "20": size(20), "25": size(25) }),
    source: STOCK_YOGO_SOURCE,
  });
}
