import { pNormal2 } from "../../util/distributions";
import { table, type Table } from "../../data/table";
import { CES_DEFAULTS, optimalQuality, optimalQualityPrinted } from "../../theory/ces";
import { cutoffPhiDerivative, cutoffQuality, cutoffQualityPrinted, zeroProfitCutoff } from "../../theory/cutoff";
import { EQ_PRINTED, printedValue, type PrintedCell, type Stars } from "./published";

/**
 * The EQ paper's own misprints and inconsistencies (Zhao, Ban, Li & Liu 2022), found while
 * transcribing it (`./published.ts`) and re-deriving its model (`lib/theory/`). Each entry has the
 * printed form (a verbatim quote of the text, checked in tests/papers/eq/anomalies.test.ts), the
 * corrected form and the reason; evidence is computed here from the printed numbers or the
 * model, never typed. Exhibit builders and the theory notebooks show `eqAnomalyNotes(exhibit)`
 * so the paper's errors are flagged, never copied silently.
 */

/** Which part of the paper an anomaly belongs to. */
export type EqExhibit = "theory" | "measurement" | "table1" | "table5" | "table7" | "table8" | "extensions" | "summary";

/** One anomaly: where, what is printed (verbatim quote), the corrected form, why, and computed evidence. */
export interface EqAnomaly {
  readonly id: string;
  readonly exhibit: EqExhibit;
  /** Equation number "(8)" or table / section reference. */
  readonly equation: string;
  /** Verbatim from the paper text (LaTeX as in the text file). */
  readonly printed: string;
  readonly corrected: string;
  readonly reason: string;
  /** Evidence computed from the printed numbers or the model ("" when the reason is purely algebraic). */
  readonly evidence: string;
}

const fmt = (x: number, d = 4) => (Math.abs(x) < 1e-3 && x !== 0 ? x.toExponential(2) : x.toFixed(d));

/** Stars implied by a two-sided p-value at the paper's 10 / 5 / 1 % levels. */
export function eqStarsForP(p: number): Stars {
  return p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
}

/**
 * Checks every printed coefficient cell's stars against t = |coef|/se under the normal
 * approximation (the paper's SEs cluster on thousands of city × HS4 cells or firms, so t ≈ N(0,1)).
 *
 * @example eqStarChecks().filter((c) => c.implied !== c.printed).length // 0: all 65 cells consistent
 */
export function eqStarChecks(): readonly { cell: string; text: string; t: number; printed: Stars; implied: Stars }[] {
  const P = EQ_PRINTED;
  const cells: [string, PrintedCell][] = [];
  for (const [r, cs] of Object.entries(P.table2.rows)) cs.forEach((c, k) => c && cells.push([`Table 2 ${r} (${k + 1})`, c]));
  for (const c of P.table3) cells.push([`Table 3 ${c.label}`, c]);
  for (const [name, o] of Object.entries({ "Table 4": P.table4, "Table 5": P.table5, "Table 7": P.table7, "Table 8": P.table8 }))
    for (const c of Object.values(o) as (PrintedCell & { label: string })[]) cells.push([`${name} ${c.label}`, c]);
  for (const c of Object.values(P.table6))
    cells.push([`Table 6 ${c.label} vagg`, c.main], [`Table 6 ${c.label} vagg × ${c.term}`, c.inter]);
  return cells.map(([cell, c]) => {
    const t = Math.abs(printedValue(c.coef)) / printedValue(c.se);
    return { cell, text: `${c.coef}${c.stars} (${c.se})`, t, printed: c.stars, implied: eqStarsForP(pNormal2(t)) };
  });
}

/** The registry (evidence computed on each call). */
export function eqAnomalies(): readonly EqAnomaly[] {
  const P = EQ_PRINTED;
  const p = CES_DEFAULTS;
  const z = zeroProfitCutoff(p);
  const atCut = { ...p, phiProd: z.phiProd };
  const dcut = cutoffPhiDerivative(p);
  const t1 = (k: "wage" | "gdp") => {
    const m = P.table1[k]!;
    const [mean, sd, min] = [printedValue(m.mean), printedValue(m.sd), printedValue(m.min)];
    return `${k}: min ${m.min} is ${fmt((mean - min) / sd, 1)} SD below the mean ${m.mean}; exp(${m.min}) = ${fmt(Math.exp(min), 1)} vs exp(${m.mean}) = ${fmt(Math.exp(mean), 0)}`;
  };
  const t7 = P.table7;
  const v = (c: PrintedCell) => printedValue(c.coef);
  const sum4 = v(t7.within) + v(t7.between) + v(t7.entry) + v(t7.exit);
  const realloc = v(t7.between) + v(t7.entry) + v(t7.exit);
  const ns7 = Object.values(t7).map((c) => printedValue(c.n));
  const stars = eqStarChecks();
  const starBad = stars.filter((s) => s.printed !== s.implied);
  const out: EqAnomaly[] = [
    {
      id: "eq5-fixed-cost-notation",
      exhibit: "theory",
      equation: "(5)",
      printed: "其中, $F_o$ 表示产品出口的固定成本,包括与出口产品质量相关的可变成本 $b\\lambda^{\\beta}$ 和固定成本 $F_o$",
      corrected: "π_j = [p_j − C_jλ_j^α] q_j − F, with the fixed cost F = F_0 + bλ_j^β (a fixed cost that rises with quality)",
      reason:
        "three symbols (F_o, F_e, F_0) for one fixed cost and its constant part; F_o is defined as containing itself, and bλ^β is called a 可变成本 (variable cost) although it does not scale with output",
      evidence: "",
    },
    {
      id: "eq8-stray-price",
      exhibit: "theory",
      equation: "(8)",
      printed: "r_j^* = p_j^* q_j = \\lambda_j^{(1-\\alpha)(\\sigma-1)} p_j^{-\\sigma} (\\rho P)^{\\sigma-1} C_j^{(1-\\sigma)} E",
      corrected: "r_j^* = λ_j^{(1−α)(σ−1)} (ρP)^{σ−1} C_j^{1−σ} E (no p_j^{−σ}: the price has been substituted)",
      reason:
        "p*q = λ^{σ−1}p*^{1−σ}P^{σ−1}E with p* = Cλ^α/ρ gives λ^{(1−α)(σ−1)}(ρP)^{σ−1}C^{1−σ}E; the printed form still carries p^{−σ} after substituting p*",
      evidence: "",
    },
    {
      id: "eq9-constant",
      exhibit: "theory",
      equation: "(9)",
      printed:
        "\\frac{1-\\alpha}{\\beta} \\left( \\frac{\\sigma-1}{\\sigma} \\right)^\\sigma (\\rho P)^{\\sigma-1} (C_j)^{1-\\sigma} E \\right]^{\\frac{1}{\\beta'}}",
      corrected: "λ_j* = [(1−α)/(bβ) · ρ^σ P^{σ−1} C_j^{1−σ} E]^{1/β'}, β' = β − (1−α)(σ−1) > 0",
      reason:
        "the FOC (1−α)(σ−1) r/σ = bβλ^β with r from (8) gives ρ^σ P^{σ−1}: the printed ((σ−1)/σ)^σ(ρP)^{σ−1} has an extra ρ^{σ−1}, and b is missing; β' > 0 (the second-order condition) is needed but only β > β' is stated. Signs of (10)–(11) are unaffected",
      evidence: `at CES_DEFAULTS λ* (derived, = brute-force maximiser) = ${fmt(optimalQuality(p))}, printed (9) = ${fmt(optimalQualityPrinted(p))}`,
    },
    {
      id: "eq10-exponent",
      exhibit: "theory",
      equation: "(10)",
      printed: "\\right]^{\\frac{1}{\\beta'-1}} \\frac{(1-\\sigma)(1-\\alpha)}{\\varphi \\beta' \\beta}",
      corrected:
        "∂λ_j/∂τ_d = (1/β') X^{1/β' − 1} · (1−α)(1−σ)/(bβ) · ρ^σ P^{σ−1} C_j^{−σ} E · τ(1−θ)w_d/φ = (1−σ)/β' · λ_j/C_j · τ(1−θ)w_d/φ < 0, X = the bracket of (9) as corrected; the printed exponent 1/(β'−1) must be 1/β' − 1",
      reason:
        "d/dX X^{1/β'} = (1/β') X^{1/β'−1}; the printed exponent 1/(β'−1) is a different number (and inherits the constant of (9)); the sign (< 0) is right",
      evidence: "",
    },
    {
      id: "eq12-cutoff",
      exhibit: "theory",
      equation: "(12)",
      printed: "\\lambda_j = \\Theta \\tau [\\theta w_f \\tau_f + (1-\\theta)w_d \\tau_d]^{\\frac{1}{1-\\alpha}}",
      corrected:
        "in the model λ_cut = [(1−α)(σ−1)F_0/(bβ')]^{1/β} (zero profit + the quality FOC), a constant; the paper's own route (invert (8) at r_j = σβF_0/β') gives λ = (r_j/E)^{1/((1−α)(σ−1))} (ρPφ)^{−1/(1−α)} (τ[θw_fτ_f + (1−θ)w_dτ_d])^{1/(1−α)}: τ inside the power, Θ = [σβF_0/(β'E)]^{1/((1−α)(σ−1))} (ρPφ)^{−1/(1−α)} (E missing and ρP, φ with the wrong side and exponent in the printed Θ = [σβF_0/β']^{1/((1−α)(σ−1))}(ρP/φ)^{1/(σ−1)})",
      reason:
        "the printed (12) inverts revenue (8) for a given cost and ignores that quality is chosen by (9); at the zero-profit firm the two together pin λ_cut independent of C, τ_d and ϕ — what ϕ moves is the cutoff productivity, not the cutoff quality",
      evidence: `at CES_DEFAULTS: zero-profit cutoff solved numerically ${fmt(z.lambda, 6)} = closed form ${fmt(cutoffQuality(p), 6)}; printed (12) at that productivity ${fmt(cutoffQualityPrinted(atCut), 6)}; ∂λ_cut/∂ϕ = ${fmt(dcut.model)} (numerical), paper route ${fmt(dcut.paperRoute)}, ∂ln φ_cut/∂ϕ = ${fmt(dcut.cutoffShiftsCost)}`,
    },
    {
      id: "eq16-first-term",
      exhibit: "theory",
      equation: "(16)",
      printed:
        "\\left(\\frac{1}{1-\\alpha}\\right)^{\\frac{1}{\\sigma-1}} \\frac{(\\partial \\kappa / \\partial \\phi)(1-\\sigma)}{(1+\\kappa-\\sigma)^2} \\cdot (\\lambda_j)",
      corrected: "(1/(σ−1)) (κ/(1+κ−σ))^{(2−σ)/(σ−1)} (∂κ/∂ϕ)(1−σ)/(1+κ−σ)² λ_j = −(κ/(1+κ−σ))^{(2−σ)/(σ−1)} κ'(ϕ) λ_j/(1+κ−σ)²",
      reason:
        "α does not appear in (15); the chain-rule factor 1/(σ−1) and the power (κ/(1+κ−σ))^{1/(σ−1)−1} are missing. The sign (> 0 for κ' < 0) is right",
      evidence: "",
    },
    {
      id: "eq16-second-term",
      exhibit: "theory",
      equation: "(16)",
      printed:
        "\\left(\\frac{1}{1+\\kappa-\\sigma}\\right)^{\\frac{1}{\\sigma-1}} \\\\ &\\cdot \\Theta \\frac{1}{1-\\alpha} \\zeta^{\\frac{\\alpha}{1-\\alpha}}",
      corrected:
        "(κ/(1+κ−σ))^{1/(σ−1)} ∂λ_j/∂ϕ, and ∂λ_j/∂ϕ = 0 in the model (λ_cut does not depend on τ_d); along the paper's route ∂λ_j/∂ϕ = Θ (1/(1−α)) X^{α/(1−α)} τ(1−θ)w_d ∂τ_d/∂ϕ with X = τ[θw_fτ_f + (1−θ)w_dτ_d]",
      reason:
        "the base drops the κ of (15); ζ = τ[θ + (1−θ)(q/τ_d)] is not the cost index (no wages, no τ_f, and a q that appears nowhere else) and τ is counted twice; and the model's cutoff quality is invariant to ϕ, so the text's ∂λ_j/∂ϕ < 0 (出口门槛降低) does not follow from the model: ∂λ̄/∂ϕ > 0 holds through κ'(ϕ) < 0 alone",
      evidence: `numerical ∂λ_cut/∂ϕ at CES_DEFAULTS = ${fmt(dcut.model)} (zero to solver precision) vs the paper route's ${fmt(dcut.paperRoute)}`,
    },
    {
      id: "eq16-zeta",
      exhibit: "theory",
      equation: "(16)",
      printed: "\\zeta = \\tau \\left[ \\theta + (1-\\theta) \\left( \\frac{q}{\\tau_d} \\right) \\right]",
      corrected: "ζ = τ[θw_fτ_f + (1−θ)w_dτ_d] (the bracket of (4) and (12))",
      reason: "the term of (12) being differentiated is τ[θw_fτ_f + (1−θ)w_dτ_d]; q (quantity) has no place in it",
      evidence: "",
    },
    {
      id: "kappa-condition",
      exhibit: "theory",
      equation: "(13)–(15)",
      printed: "\\kappa(\\kappa > 1 + \\sigma)",
      corrected: "(15) needs only κ > σ − 1 (integrability of λ^{σ−κ−2}); κ > 1 + σ is a sufficient, stronger assumption",
      reason:
        "not an error, but Figure 1 draws κ ∈ {1.5, 2}, which violate the stated κ > 1 + σ for every σ > 1 (the figure here uses κ > 1 + σ)",
      evidence: "",
    },
    {
      id: "eq18-sigma-index",
      exhibit: "measurement",
      equation: "(18)",
      printed: "\\ln q_{hgt} = -\\sigma_j \\ln p_{hgt} + \\alpha_h + (\\sigma_j - 1) \\ln P_{ft}",
      corrected: "ln q_hgt = −σ_h ln p_hgt + α_h + (σ_h − 1) ln P_ft + ln Y_ft + ε_hgt (σ indexed by product h, as the text and (19) use)",
      reason: "the equation writes σ_j, the text below and (19) σ_h (HS3 elasticities of Broda et al.)",
      evidence: "",
    },
    {
      id: "eq21-weights",
      exhibit: "measurement",
      equation: "(21)",
      printed: "Quality_{cjt} = \\frac{value_{hgt}}{\\sum_{hgt \\in \\Delta value_{hgt}}} rqua_{hgt}",
      corrected: "Quality_cjt = Σ_{hgt∈Δ} [value_hgt / Σ_{h'g't∈Δ} value_h'g't] · rqua_hgt",
      reason: "the outer sum over the set Δ is missing and the summand of the denominator is inside the index",
      evidence: "",
    },
    {
      id: "eq23-within-sign",
      exhibit: "table7",
      equation: "(23)",
      printed: "Δ  $\\overline{qua}_s = \\overline{qua}_{s_1} - \\overline{qua}_{s_2}$",
      corrected: "Δq̄_S = q̄_S2 − q̄_S1 (period 2 minus period 1), as in the first line of (23) and Melitz–Polanec (2015)",
      reason: "the text defines the within term with the periods reversed, which would flip its sign",
      evidence: "",
    },
    {
      id: "eq24-log",
      exhibit: "extensions",
      equation: "(24)",
      printed: "|\\Delta Q_{it}^k| = | (p_{i,t}^k/p_{i,t-1}^k) - \\ln(p_{j,t}^k/p_{j,t-1}^k) |",
      corrected: "|ΔQ_ijt^k| = |ln(p_it^k/p_i,t−1^k) − ln(p_jt^k/p_j,t−1^k)| (Gui et al. 2006)",
      reason: "the first term lacks the ln (the text says 价格指数之比的对数一阶差分)",
      evidence: "",
    },
    {
      id: "eq26-div",
      exhibit: "extensions",
      equation: "(26)",
      printed: "div_{ct} = 1 / \\sum |s_{ijt} / s_{jt}|",
      corrected: "div_ct = 1 / Σ_j |s_cjt − s_jt| (Duranton–Puga relative diversity index)",
      reason:
        "a ratio inside the absolute value makes |·| redundant and the index a sum of location quotients; the modified Herfindahl/RDI uses the difference, and the subscript i should be c",
      evidence: "",
    },
    {
      id: "table1-wage-gdp-min",
      exhibit: "table1",
      equation: "Table 1",
      printed: "<i>wage</i>\t689022\t10.349\t0.502\t2.283\t11.828",
      corrected: `minima of log wage and log GDP within a few SD of the means; the printed ${P.table1["wage"]!.min} and ${P.table1["gdp"]!.min} are most likely unit errors in the city yearbook series (a value in 万元/亿元 logged among values in 元/万元)`,
      reason: "implausible minima for logs of a city's average wage and GDP",
      evidence: `${t1("wage")}; ${t1("gdp")}`,
    },
    {
      id: "table7-additivity",
      exhibit: "table7",
      equation: "Table 7",
      printed: "<i>total</i>\t<i>gap</i>",
      corrected:
        "on a common sample the OLS coefficients of the components add up: total = within + between + entry + exit, gap (再配置效应 = between + entry + exit) = between + entry + exit",
      reason:
        "the printed coefficients do not add up; the six columns use different samples (N 613 513–616 591), which allows small gaps only",
      evidence: `within + between + entry + exit = ${fmt(sum4)} vs total ${t7.total.coef}; between + entry + exit = ${fmt(realloc)} vs gap ${t7.gap.coef} (difference ${fmt(printedValue(t7.gap.coef) - realloc)}, ${fmt((printedValue(t7.gap.coef) - realloc) / printedValue(t7.gap.se), 2)} SE)`,
    },
    {
      id: "table7-header",
      exhibit: "table7",
      equation: "Table 7",
      printed: "<i>exitt</i>",
      corrected: "exit",
      reason: "typo in the column header",
      evidence: "",
    },
    {
      id: "table8-headers",
      exhibit: "table8",
      equation: "Table 8",
      printed: "<i>minteg</i>\t<i>lnitff</i>",
      corrected: "integ (= sqrt(1/mseg), §5.2(1)) and ln road area per capita (§5.2(2))",
      reason: "the column headers name variables the text never defines",
      evidence: "",
    },
    {
      id: "control-dlp-name",
      exhibit: "table1",
      equation: "§3.2(3)",
      printed: "地区存贷款余额占比 ( $dip$ )",
      corrected: "dlp (the name used in Tables 1 and 2)",
      reason: "the text names the deposit-loan control dip, the tables dlp",
      evidence: "",
    },
    {
      id: "bec-summary",
      exhibit: "table5",
      equation: "§4.4 vs §6 vs English abstract",
      printed: "虚拟集聚的出口质量升级效应对一般贸易品和中间贸易品的影响更为显著",
      corrected: `§4.4 and Table 5: no clear difference between intermediate (${P.table5.intermediate.coef}) and final goods (${P.table5.final.coef})`,
      reason:
        "three different statements of the BEC result: §4.4 says 没有明显差异, the conclusion says the effect is larger for intermediate goods, the English abstract says it is larger for final goods",
      evidence: `Table 5: intermediate ${P.table5.intermediate.coef} (${P.table5.intermediate.se}), final ${P.table5.final.coef} (${P.table5.final.se}); difference ${fmt(printedValue(P.table5.intermediate.coef) - printedValue(P.table5.final.coef))}`,
    },
    {
      id: "table4-r2-digits",
      exhibit: "summary",
      equation: "Table 4 (3)",
      printed: "0.072\t0.8168",
      corrected: "R² to four decimals like every other R² of Tables 2–8",
      reason: "one R² printed with three decimals (possibly a dropped trailing digit)",
      evidence: "",
    },
  ];
  for (const s of starBad)
    out.push({
      id: `stars-${s.cell.replace(/[^A-Za-z0-9]+/g, "-").toLowerCase()}`,
      exhibit: "summary",
      equation: s.cell,
      printed: s.text,
      corrected: `${s.implied} at t = ${fmt(s.t, 2)}`,
      reason: "the printed stars do not match t = coef/se under the normal approximation",
      evidence: `t = ${fmt(s.t, 2)}, p = ${fmt(pNormal2(s.t))}`,
    });
  return out;
}

/**
 * One-line notes of the anomalies of an exhibit, for table notes and notebooks.
 *
 * @example eqAnomalyNotes("theory")[0]; // "Paper anomaly (eq5-fixed-cost-notation), (5): printed … — corrected: … (…)."
 */
export function eqAnomalyNotes(exhibit: EqExhibit): string[] {
  return eqAnomalies()
    .filter((a) => a.exhibit === exhibit)
    .map(
      (a) =>
        `Paper anomaly (${a.id}), ${a.equation}: corrected — ${a.corrected}. Reason: ${a.reason}${a.evidence ? ` (${a.evidence})` : ""}.`,
    );
}

/**
 * The anomalies of an exhibit as a table (id, equation, printed, corrected, reason, evidence),
 * optionally only those of the listed equations — for the notebooks.
 *
 * @example eqAnomalyTable("theory", ["(12)", "(16)"]).nrows // 4
 */
export function eqAnomalyTable(exhibit: EqExhibit, equations?: readonly string[]): Table {
  const a = eqAnomalies().filter((x) => x.exhibit === exhibit && (!equations || equations.includes(x.equation)));
  return table({
    id: a.map((x) => x.id),
    equation: a.map((x) => x.equation),
    printed: a.map((x) => x.printed),
    corrected: a.map((x) => x.corrected),
    reason: a.map((x) => x.reason),
    evidence: a.map((x) => x.evidence),
  });
}
