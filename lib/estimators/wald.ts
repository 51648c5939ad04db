import type { CommonResult } from "./fit";
import { inv } from "./iv/linalg";
import { pF } from "../util/distributions";
import { ArgumentError, EstimationError } from "../util/errors";

/**
 * What to test: coefficient names (each = 0) or linear restrictions ("x1 = x2",
 * "x1 + 2*x2 = 1") in an array; a RegExp or a single pattern string selecting coefficients by
 * name (fixest's `keep`, each selected coefficient = 0; a string containing "=" is one linear
 * restriction instead). Omitted: every coefficient but the intercept (fixest's default).
 */
export type WaldHypothesis = RegExp | string | readonly string[];

export interface WaldTest {
  readonly stat: number;
  readonly p: number;
  readonly df1: number;
  readonly df2: number;
  /** The model's vcov label (the test uses the model's vcov, as fixest). */
  readonly vcov: string;
  /** The restrictions tested, one per row of R, written "R β = r". */
  readonly restrictions: readonly string[];
}

/**
 * Joint Wald test of linear restrictions H0: Rβ = r with the model's variance V, in F form,
 * as fixest's `wald()` (Bergé 2018):
 *
 *   F = (Rβ̂ − r)'(R V R')⁻¹(Rβ̂ − r) / q,   p = P[F(q, n − nparams) > F],
 *
 * q the number of restrictions, nparams fixest's parameter count (k, plus Σ_q(G_q − 1) + 1 with
 * fixed effects). With names or a pattern it is fixest's `wald(est, keep = ...)`; linear
 * restrictions between coefficients ("x1 = x2") use the same formula with a general R
 * (car::linearHypothesis's F test with the model's vcov).
 *
 * @example
 *   wald(r);                        // all slopes = 0
 *   wald(r, /^x/);                  // coefficients whose name starts with x
 *   wald(r, ["x1", "x2"]);          // x1 = x2 = 0
 *   wald(r, ["x1 = x2"]).p;         // equality of two coefficients
 */
export function wald(result: CommonResult, hypothesis?: WaldHypothesis): WaldTest {
  const names = result.coefNames;
  const k = names.length;
  if (k === 0) throw new EstimationError(`wald: the model has no coefficients (only fixed effects)`);
  const rows: { R: number[]; r: number; text: string }[] = [];
  const zero = (nm: string) => {
    const R = new Array<number>(k).fill(0);
    R[names.indexOf(nm)] = 1;
    rows.push({ R, r: 0, text: `${nm} = 0` });
  };
  const select = (re: RegExp) => {
    const hit = names.filter((nm) => re.test(nm));
    if (!hit.length) throw new ArgumentError(`wald: no coefficient matches ${re} (coefficients: ${names.join(", ")})`);
    hit.forEach(zero);
  };
  if (hypothesis === undefined) {
    const slopes = names.filter((nm) => nm !== "(Intercept)");
    if (!slopes.length) throw new ArgumentError(`wald: no slope coefficient to test`);
    slopes.forEach(zero);
  } else if (hypothesis instanceof RegExp) select(hypothesis);
  else if (typeof hypothesis === "string") {
    if (hypothesis.includes("=")) rows.push(parseRestriction(hypothesis, names));
    else select(new RegExp(hypothesis));
  } else {
    if (!hypothesis.length) throw new ArgumentError(`wald: empty hypothesis list`);
    for (const h of hypothesis) {
      if (names.includes(h)) zero(h);
      else if (h.includes("=")) rows.push(parseRestriction(h, names));
      else throw new ArgumentError(`wald: "${h}" is not a coefficient of the model (coefficients: ${names.join(", ")})`);
    }
  }
  const q = rows.length;
  const V = result.vcov;
  const d = rows.map((row) => row.R.reduce((s, v, j) => s + v * (result.coef[names[j] as string] as number), 0) - row.r);
  const RVR = rows.map((a) =>
    rows.map((b) => {
      let s = 0;
      for (let i = 0; i < k; i++) {
        const ai = a.R[i] as number;
        if (ai === 0) continue;
        for (let j = 0; j < k; j++) s += ai * ((V[i] as readonly number[])[j] as number) * (b.R[j] as number);
      }
      return s;
    }),
  );
  let Vi: number[][];
  try {
    Vi = inv(RVR);
  } catch {
    throw new EstimationError(`wald: R V R' is singular (redundant restrictions?): ${rows.map((r) => r.text).join("; ")}`);
  }
  let stat = 0;
  for (let a = 0; a < q; a++) for (let b = 0; b < q; b++) stat += (d[a] as number) * ((Vi[a] as number[])[b] as number) * (d[b] as number);
  stat /= q;
  const nparams = k + (result.fixef.sizes.length ? result.fixef.sizes.reduce((s, g) => s + g - 1, 0) + 1 : 0);
  const df2 = result.nobs - nparams;
  return Object.freeze({
    stat,
    p: pF(stat, q, df2),
    df1: q,
    df2,
    vcov: result.vcovType,
    restrictions: Object.freeze(rows.map((r) => r.text)),
  });
}

/** "a*x1 + x2 - 3 = x3 + 1" → one row of R and r, coefficient names matched longest first. */
function parseRestriction(h: string, names: readonly string[]): { R: number[]; r: number; text: string } {
  const parts = h.split("=");
  if (parts.length !== 2) throw new ArgumentError(`wald: a restriction needs exactly one "=": "${h}"`);
  const R = new Array<number>(names.length).fill(0);
  let r = 0;
  const byLength = [...names].sort((a, b) => b.length - a.length);
  parts.forEach((side, sideIdx) => {
    const sgnSide = sideIdx === 0 ? 1 : -1;
    let s = side.trim();
    if (!s) throw new ArgumentError(`wald: empty side in "${h}"`);
    let first = true;
    while (s.length) {
      let sign = 1;
      const m = /^([+-])\s*/.exec(s);
      if (m) {
        sign = m[1] === "-" ? -1 : 1;
        s = s.slice(m[0].length);
      } else if (!first)
        throw new ArgumentError(`wald: cannot read "${s}" in "${h}" (terms are [number *] coefficient or numbers, joined by + or -)`);
      first = false;
      let c = 1,
        hasNum = false;
      const num = /^(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\s*/.exec(s);
      if (num) {
        c = Number(num[1]);
        hasNum = true;
        s = s.slice(num[0].length);
      }
      const star = /^\*\s*/.exec(s);
      if (star) s = s.slice(star[0].length);
      const nm = byLength.find((n) => s.startsWith(n) && !/^[A-Za-z0-9_.]/.test(s.slice(n.length)));
      if (nm) {
        R[names.indexOf(nm)] += sgnSide * sign * c;
        s = s.slice(nm.length).trimStart();
      } else if (hasNum && !star) r -= sgnSide * sign * c;
      else throw new ArgumentError(`wald: unknown coefficient in "${h}" at "${s}" (coefficients: ${names.join(", ")})`);
    }
  });
  if (R.every((v) => v === 0)) throw new ArgumentError(`wald: "${h}" involves no coefficient`);
  return { R, r, text: h.trim() };
}
