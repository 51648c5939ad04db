import { Table, numeric, table } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";
import { pT2 } from "../../util/distributions";

/**
 * Covariate balance table before and after matching (the "balance test" of RS §4.2 PSM-DID),
 * in the layout of Stata `pstest` (Leuven & Sianesi 2003) with MatchIt's standardised
 * differences available as an option.
 *
 * For each covariate x:
 *  - means: treated and control, unweighted (before) and weighted by the match weights (after;
 *    rows with weight 0 are out);
 *  - standardised bias % = 100 · (x̄_T − x̄_C) / s, where s is computed on the UNMATCHED sample
 *    both before and after (so the reduction is not an artefact of a changing scale):
 *      `sd: "pooled"` (default, Rosenbaum & Rubin 1985, pstest): s = sqrt((s²_T + s²_C)/2);
 *      `sd: "treated"` (MatchIt `summary()` for the ATT, s.d.denom = "treated"): s = s_T;
 *    sample variances with n − 1;
 *  - reduction in |bias| % = 100 · (1 − |bias_after| / |bias_before|);
 *  - t-test of equal means: before, the two-sample t-test with pooled variance (Stata `ttest`);
 *    after, the t-test of the treatment dummy in the regression of x on it with the match
 *    weights as importance weights (pstest's `regress x T [iw = w]`): N = Σw, residual
 *    variance Σ w e² / (N − 2), SE = sqrt(s² (1/W_T + 1/W_C)), df = N − 2.
 *
 * NA in a covariate drops the row for that covariate only. A covariate constant in both
 * groups gives NaN bias (0/0) and NaN t; all-NA covariates are a DataError.
 *
 * @example
 *   const b = balanceTable(t, "treat", ["pop", "open", "wage"], m.weights);
 *   toRecords(b); // [{ variable, meanT_before, meanC_before, bias_before, t_before, p_before, meanT_after, ... , reduction }, ...]
 */
export function balanceTable(
  t: Table,
  treat: string,
  covariates: readonly string[],
  weights: ArrayLike<number>,
  opts: { sd?: "pooled" | "treated" } = {},
): Table {
  const sdMode = opts.sd ?? "pooled";
  if (sdMode !== "pooled" && sdMode !== "treated") throw new ArgumentError(`sd must be "pooled" or "treated", got "${String(sdMode)}"`);
  if (weights.length !== t.nrows) throw new ArgumentError(`weights have ${weights.length} values for ${t.nrows} rows`);
  const d = numeric(t, treat);
  for (let i = 0; i < d.length; i++) {
    const v = d[i] as number;
    if (!Number.isNaN(v) && v !== 0 && v !== 1)
      throw new DataError(`treatment must be 0 or 1, found ${v}`, { file: t.source, column: treat, row: i + 1 });
  }
  const out = {
    variable: [] as string[],
    meanT_before: [] as number[],
    meanC_before: [] as number[],
    bias_before: [] as number[],
    t_before: [] as number[],
    p_before: [] as number[],
    meanT_after: [] as number[],
    meanC_after: [] as number[],
    bias_after: [] as number[],
    t_after: [] as number[],
    p_after: [] as number[],
    reduction: [] as number[],
  };
  for (const name of covariates) {
    const x = numeric(t, name);
    if (!x.some((v) => !Number.isNaN(v))) throw new DataError("all values are NA", { file: t.source, column: name });
    const ones = new Float64Array(t.nrows).fill(1);
    const before = wstats(x, d, ones);
    const after = wstats(x, d, weights);
    const s = sdMode === "pooled" ? Math.sqrt((before.vT + before.vC) / 2) : Math.sqrt(before.vT);
    const bb = (100 * (before.mT - before.mC)) / s;
    const ba = (100 * (after.mT - after.mC)) / s;
    out.variable.push(name);
    out.meanT_before.push(before.mT);
    out.meanC_before.push(before.mC);
    out.bias_before.push(bb);
    out.t_before.push(before.t);
    out.p_before.push(before.p);
    out.meanT_after.push(after.mT);
    out.meanC_after.push(after.mC);
    out.bias_after.push(ba);
    out.t_after.push(after.t);
    out.p_after.push(after.p);
    out.reduction.push(100 * (1 - Math.abs(ba) / Math.abs(bb)));
  }
  return table(out);
}

/** Weighted group means, unweighted group variances (n − 1), and the weighted-regression t-test. */
function wstats(x: Float64Array, d: Float64Array, w: ArrayLike<number>) {
  let wT = 0,
    wC = 0,
    sT = 0,
    sC = 0,
    nT = 0,
    nC = 0,
    uT = 0,
    uC = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const wi = w[i] as number;
    if (Number.isNaN(v) || Number.isNaN(d[i] as number) || !(wi > 0)) continue;
    if (d[i] === 1) {
      wT += wi;
      sT += wi * v;
      nT++;
      uT += v;
    } else {
      wC += wi;
      sC += wi * v;
      nC++;
      uC += v;
    }
  }
  const mT = sT / wT;
  const mC = sC / wC;
  let ssr = 0,
    vT = 0,
    vC = 0;
  const muT = uT / nT,
    muC = uC / nC;
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    const wi = w[i] as number;
    if (Number.isNaN(v) || Number.isNaN(d[i] as number) || !(wi > 0)) continue;
    if (d[i] === 1) {
      ssr += wi * (v - mT) ** 2;
      vT += (v - muT) ** 2;
    } else {
      ssr += wi * (v - mC) ** 2;
      vC += (v - muC) ** 2;
    }
  }
  const N = wT + wC;
  const s2 = ssr / (N - 2);
  const se = Math.sqrt(s2 * (1 / wT + 1 / wC));
  const tt = (mT - mC) / se;
  const df = N - 2;
  const p = df > 0 && Number.isFinite(tt) ? pT2(tt, df) : NaN;
  return { mT, mC, vT: vT / (nT - 1), vC: vC / (nC - 1), t: tt, p };
}
