import { pT2 } from "../../util/distributions";
import { RS_PRINTED, RS_TABLE4_GROUPS, printedValue, type PrintedCell, type PrintedMechanismPanel, type Stars } from "./published";

/**
 * The RS paper's own misprints and inconsistencies, found while transcribing it
 * (`./published.ts`). Every piece of evidence is computed here from the printed numbers, never
 * typed; exhibit builders append `rsAnomalyNotes(exhibit)` to their table notes so the
 * notebooks flag them instead of copying them silently.
 */

/** Which exhibit or part of the paper an anomaly belongs to. */
export type RsExhibit = "table1" | "table3" | "table4" | "table5" | "table6" | "sample" | "robustness" | "summary" | "references";

/** One anomaly: what is printed, what is wrong, and the computed evidence. */
export interface RsAnomaly {
  readonly id: string;
  readonly exhibit: RsExhibit;
  /** What the paper prints (verbatim or as close as a one-liner allows). */
  readonly printed: string;
  /** What is wrong with it. */
  readonly problem: string;
  /** Evidence computed from the printed numbers (or the quoted texts). */
  readonly evidence: string;
}

/** Stars implied by a two-sided p-value at the paper's 10 / 5 / 1 % levels. */
export function starsForP(p: number): Stars {
  return p < 0.01 ? "***" : p < 0.05 ? "**" : p < 0.1 ? "*" : "";
}

/** Number of decimals of a printed number ("0.0050" → 4). */
const decimals = (s: string) => (s.includes(".") ? s.length - s.indexOf(".") - 1 : 0);

/** Result of checking a printed cell's stars against t = coef/se. */
export interface StarCheck {
  readonly cell: string;
  /** The cell as printed, e.g. "0.0050** (0.0018)". */
  readonly text: string;
  readonly printed: Stars;
  /** t = coef/se at the printed values. */
  readonly t: number;
  /** Smallest and largest |t| compatible with the rounding of coef and se (± half a unit of the last printed digit). */
  readonly tRange: readonly [number, number];
  /** Stars at the printed t, and the range of stars the rounding allows, under t(df). */
  readonly implied: Stars;
  readonly impliedRange: readonly [Stars, Stars];
  readonly df: number;
  /** consistent: printed = implied; rounding: printed ≠ implied at the printed values but within the rounding range; mismatch: outside it. */
  readonly verdict: "consistent" | "rounding" | "mismatch";
}

/**
 * Checks printed significance stars against the t statistic of the printed coefficient and SE.
 *
 * Method: t = |b|/se with two-sided p from Student's t with df = G − 1 (the small-sample
 * convention of city-clustered SEs, G clusters); because b and se are rounded, |t| ranges over
 * [(|b| − h_b)/(se + h_s), (|b| + h_b)/(se − h_s)] with h = half a unit of the last printed digit,
 * and the printed stars are a `mismatch` only if no value in that range gives them.
 *
 * @example
 *   checkStars({ coef: "0.0050", se: "0.0018", stars: "**" }, 130).verdict; // "mismatch" (t ∈ [2.68, 2.89], p < 0.01 → ***)
 */
export function checkStars(c: PrintedCell, clusters: number, label = `${c.coef}${c.stars} (${c.se})`): StarCheck {
  const b = Math.abs(printedValue(c.coef)),
    s = printedValue(c.se);
  const hb = 0.5 * 10 ** -decimals(c.coef),
    hs = 0.5 * 10 ** -decimals(c.se);
  const df = Math.max(1, clusters - 1);
  const t = b / s;
  const tRange = [Math.max(0, b - hb) / (s + hs), (b + hb) / Math.max(s - hs, Number.MIN_VALUE)] as const;
  const implied = starsForP(pT2(t, df));
  const lo = starsForP(pT2(tRange[0], df)),
    hi = starsForP(pT2(tRange[1], df));
  const k = c.stars.length;
  const verdict = c.stars === implied ? "consistent" : k >= lo.length && k <= hi.length ? "rounding" : "mismatch";
  return { cell: label, text: `${c.coef}${c.stars} (${c.se})`, printed: c.stars, t, tRange, implied, impliedRange: [lo, hi], df, verdict };
}

/** Years per city in the panel (2008–2019), to turn a sub-sample N into its approximate number of city clusters. */
const YEARS = printedValue(RS_PRINTED.facts.sampleYears.to.text) - printedValue(RS_PRINTED.facts.sampleYears.from.text) + 1;
const clustersOf = (n: string) => Math.ceil(printedValue(n) / YEARS);

/** Every coefficient cell of Tables 3–6 with its star check (clusters: 281 for full-sample N, ⌈N/12⌉ for the Table 4 splits). */
export function rsStarChecks(): readonly (StarCheck & { readonly exhibit: RsExhibit })[] {
  const out: (StarCheck & { exhibit: RsExhibit })[] = [];
  const G = printedValue(RS_PRINTED.facts.sampleCities.text);
  for (const c of RS_PRINTED.table3) out.push({ ...checkStars(c, G, `Table 3 col. ${c.label}`), exhibit: "table3" });
  for (const g of RS_TABLE4_GROUPS)
    for (const s of [RS_PRINTED.table4[g].in, RS_PRINTED.table4[g].out])
      out.push({ ...checkStars(s, clustersOf(s.n), `Table 4 col. ${s.label} (${s.header})`), exhibit: "table4" });
  for (const [ex, panels] of [
    ["table5", RS_PRINTED.table5],
    ["table6", RS_PRINTED.table6],
  ] as const)
    for (const p of panels as readonly PrintedMechanismPanel[]) {
      const T = ex === "table5" ? "Table 5" : "Table 6";
      out.push({ ...checkStars(p.first, G, `${T} Panel ${p.panel} vagg → ${p.mediator}`), exhibit: ex });
      out.push({ ...checkStars(p.second, G, `${T} Panel ${p.panel} ${p.mediator} → resi`), exhibit: ex });
      for (const d of ["resist", "adapt", "transform"] as const)
        out.push({ ...checkStars(p.dims[d], G, `${T} Panel ${p.panel} ${p.mediator} → ${d}`), exhibit: ex });
    }
  return out;
}

const f = (x: number, d = 4) => x.toFixed(d);
const N = (s: string) => printedValue(s);

function digitalInfraN(): RsAnomaly {
  const d = RS_PRINTED.table4.digital_infra_high;
  const sum = N(d.in.n) + N(d.out.n),
    total = N(RS_PRINTED.table3[3]!.n);
  const others = RS_TABLE4_GROUPS.filter((g) => g !== "digital_infra_high")
    .map(
      (g) =>
        `${N(RS_PRINTED.table4[g].in.n)} + ${N(RS_PRINTED.table4[g].out.n)} = ${N(RS_PRINTED.table4[g].in.n) + N(RS_PRINTED.table4[g].out.n)}`,
    )
    .join("; ");
  return {
    id: "table4_digital_infra_n",
    exhibit: "table4",
    printed: `cols (3)/(4) N = ${d.in.n} / ${d.out.n}`,
    problem: `the two digital-infrastructure groups do not add up to the baseline N = ${total}: ${total - sum} city-years are missing from the median split, unexplained`,
    evidence: `${N(d.in.n)} + ${N(d.out.n)} = ${sum} ≠ ${total}; the other splits add up (${others})`,
  };
}

function table4Labels(): RsAnomaly {
  const labels = RS_TABLE4_GROUPS.flatMap((g) => [RS_PRINTED.table4[g].in.label, RS_PRINTED.table4[g].out.label]);
  const dup = labels.filter((l, i) => labels.indexOf(l) !== i);
  const pos = labels.findIndex((l, i) => labels.indexOf(l) !== i);
  return {
    id: "table4_label_duplicate",
    exhibit: "table4",
    printed: labels.join(" "),
    problem: `the column label ${dup.join(", ")} is printed twice; the ${pos + 1}th column (长江经济带) should be (${pos + 1})`,
    evidence: `labels ${labels.join(", ")}: position ${pos + 1} repeats ${dup[0]}; the text calls the Yangtze-belt columns 列(7)和列(8)`,
  };
}

function nestedR2(): RsAnomaly {
  const c = RS_PRINTED.table3;
  return {
    id: "table3_r2_kind",
    exhibit: "table3",
    printed: `R² = ${c.map((x) => x.r2).join(", ")}`,
    problem:
      "the kind of R² is not stated; cols (2) and (4) must be within R² (after the city and year FE), cols (1) and (3) overall R² — they are not comparable across columns",
    evidence: `col (2) nests col (1) (same regressor plus city and year FE) yet its R² falls from ${c[0]!.r2} to ${c[1]!.r2}; col (4) nests col (3) yet falls from ${c[2]!.r2} to ${c[3]!.r2} — impossible for an overall R² of nested OLS models`,
  };
}

/** Sub-dimension coefficients vs the resi coefficient, for every mechanism panel. */
export function rsDimensionAdditivity(): readonly {
  readonly table: "table5" | "table6";
  readonly panel: string;
  readonly mediator: string;
  readonly resi: number;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  /** resi within [min, max] of the three, allowing the rounding of the printed digits (± half a unit each). */
  readonly convexPossible: boolean;
}[] {
  return (
    [
      ["table5", RS_PRINTED.table5],
      ["table6", RS_PRINTED.table6],
    ] as const
  ).flatMap(([table, panels]) =>
    (panels as readonly PrintedMechanismPanel[]).map((p) => {
      const ds = [p.dims.resist, p.dims.adapt, p.dims.transform];
      const b = ds.map((c) => printedValue(c.coef));
      const h = (s: string) => 0.5 * 10 ** -decimals(s);
      const lo = Math.min(...ds.map((c) => printedValue(c.coef) - h(c.coef))),
        hi = Math.max(...ds.map((c) => printedValue(c.coef) + h(c.coef)));
      const r = printedValue(p.second.coef),
        hr = h(p.second.coef);
      return {
        table,
        panel: p.panel,
        mediator: p.mediator,
        resi: r,
        sum: b.reduce((a, x) => a + x, 0),
        min: Math.min(...b),
        max: Math.max(...b),
        convexPossible: r + hr >= lo && r - hr <= hi,
      };
    }),
  );
}

function additivity(): RsAnomaly[] {
  const rows = rsDimensionAdditivity();
  const out: RsAnomaly[] = (["table5", "table6"] as const).map((t) => ({
    id: `dims_not_additive_${t}`,
    exhibit: t,
    printed: `${t === "table5" ? "Table 5" : "Table 6"} cols (3)–(5) vs col (2)`,
    problem:
      "the three sub-dimension coefficients do not add up to the resi coefficient in any panel, so resi is not the plain sum of the three sub-indices: the paper must (re)weight within each dimension; the weighting is not stated",
    evidence: `sum of cols (3)–(5) vs col (2): ${rows
      .filter((r) => r.table === t)
      .map((r) => `Panel ${r.panel} ${r.mediator}: ${f(r.sum)} vs ${f(r.resi)}`)
      .join("; ")}`,
  }));
  for (const r of rows.filter((r) => !r.convexPossible))
    out.push({
      id: `dims_outside_range_${r.table}_${r.panel}`,
      exhibit: r.table,
      printed: `Panel ${r.panel}: ${r.mediator} → resi ${f(r.resi)}; → sub-dimensions ${f(r.min)} … ${f(r.max)}`,
      problem:
        "if each sub-index is its indicators' weighted average with the weights renormalised within the dimension (e.g. entropy weights, which depend on each indicator alone), resi is a convex combination of the three and its coefficient must lie between theirs; it does not",
      evidence: `${f(r.resi)} ∉ [${f(r.min)}, ${f(r.max)}] even at the rounding limits`,
    });
  return out;
}

function capitalMisallocation(): RsAnomaly {
  const p = RS_PRINTED.table5[1]!;
  const chk = [p.dims.resist, p.dims.adapt].map((c) => checkStars(c, printedValue(RS_PRINTED.facts.sampleCities.text)));
  return {
    id: "table5_distK_positive",
    exhibit: "table5",
    printed: `Panel B: distK → 抵抗力与恢复力 ${p.dims.resist.coef}${p.dims.resist.stars} (${p.dims.resist.se}), → 适应力与调节力 ${p.dims.adapt.coef}${p.dims.adapt.stars} (${p.dims.adapt.se})`,
    problem:
      "more capital misallocation significantly RAISES two resilience sub-dimensions (and the resi point estimate is positive), while the text only says optimising capital allocation 'does not bring a significant improvement' — the positive, significant sign is neither reported nor explained",
    evidence: `t = ${chk.map((c) => c.t.toFixed(2)).join(" and ")} (p < 0.01); distK → resi ${p.second.coef} (${p.second.se}), t = ${(printedValue(p.second.coef) / printedValue(p.second.se)).toFixed(2)}`,
  };
}

const TABLE4_TITLE = "表4 城市异质性分析:老工业城市与数字基础设施建设";
const ZH_INTEGRATION = "区域一体化程度较低的城市更为明显";
const EN_INTEGRATION = "cities with a higher degree of integration";

/** Every anomaly, with computed evidence. */
export function rsAnomalies(): readonly RsAnomaly[] {
  const stars = rsStarChecks();
  const slug = (s: string) =>
    s
      .replace(/[^A-Za-z0-9]+/g, "_")
      .replace(/^_|_$/g, "")
      .toLowerCase();
  const starAnoms: RsAnomaly[] = stars
    .filter((s) => s.verdict !== "consistent")
    .map((s) => ({
      id: `stars_${slug(s.cell)}`,
      exhibit: s.exhibit,
      printed: `${s.cell}: ${s.text}`,
      problem:
        s.verdict === "mismatch"
          ? `the stars do not match t = coef/se: the printed numbers imply "${s.implied}" at every value their rounding allows`
          : `at the printed values t = coef/se implies "${s.implied}", not "${s.printed}"; only the rounding of coef and SE can reconcile them (borderline)`,
      evidence: `t = ${s.t.toFixed(2)} (rounding range ${s.tRange[0].toFixed(2)}–${s.tRange[1].toFixed(2)}), two-sided p = ${pT2(s.t, s.df).toFixed(4)} under t(${s.df}) → "${s.impliedRange[0]}" to "${s.impliedRange[1]}"`,
    }));
  // the stars of the printed bootstrap p-values (Table 4, 经验P值)
  for (const g of RS_TABLE4_GROUPS) {
    const pr = RS_PRINTED.table4[g].p;
    if (pr && starsForP(printedValue(pr.text)) !== pr.stars)
      starAnoms.push({
        id: `stars_table4_p_${g}`,
        exhibit: "table4",
        printed: `Table 4 经验P值 ${pr.text}${pr.stars}`,
        problem: "the stars of the bootstrap p-value do not match its level",
        evidence: `p = ${pr.text} → "${starsForP(printedValue(pr.text))}"`,
      });
  }
  const unemp = RS_PRINTED.table1.find((r) => r.indicator === "城镇登记失业率")!;
  const G = printedValue(RS_PRINTED.facts.sampleCities.text);
  const full = G * YEARS,
    n = printedValue(RS_PRINTED.table3[3]!.n);
  return [
    digitalInfraN(),
    ...starAnoms,
    table4Labels(),
    {
      id: "table4_title",
      exhibit: "table4",
      printed: TABLE4_TITLE,
      problem:
        "the title names only the old-industrial and digital-infrastructure splits, but the table has four (also urban agglomerations and the Yangtze River Economic Belt)",
      evidence: `${RS_TABLE4_GROUPS.length} splits, ${RS_TABLE4_GROUPS.length * 2} columns`,
    },
    nestedR2(),
    ...additivity(),
    capitalMisallocation(),
    {
      id: "summary_integration",
      exhibit: "summary",
      printed: `English summary: "…more pronounced in … ${EN_INTEGRATION}"`,
      problem:
        "the English summary reverses the Chinese text and Table 4: the effect is stronger where regional integration is LOWER (区域一体化程度较低)",
      evidence: `Chinese abstract and conclusion: "${ZH_INTEGRATION}"; Table 4 is significant only outside urban agglomerations (${RS_PRINTED.table4.urban_agglomeration.out.coef}${RS_PRINTED.table4.urban_agglomeration.out.stars} vs ${RS_PRINTED.table4.urban_agglomeration.in.coef}) and outside the Yangtze belt (${RS_PRINTED.table4.yangtze_belt.out.coef}${RS_PRINTED.table4.yangtze_belt.out.stars} vs ${RS_PRINTED.table4.yangtze_belt.in.coef})`,
    },
    {
      id: "table1_unemployment_direction",
      exhibit: "table1",
      printed: `${unemp.indicator}: 指标性质 ${unemp.direction}`,
      problem:
        "the registered urban unemployment rate enters the resistance dimension as a POSITIVE indicator: higher unemployment would raise measured resilience; it should be 负向",
      evidence: `Table 1 prints ${RS_PRINTED.table1.filter((r) => r.direction === "负向").length} negative indicators (the two rolling SDs); the unemployment rate is not one of them`,
    },
    {
      id: "ref_goldsmith_pinkham",
      exhibit: "references",
      printed: "[32] Goldschmidt-Pinkham P, Sorkin I, Swift H. Bartik instruments…",
      problem: "the author is Goldsmith-Pinkham (as the text itself spells him in §4.2)",
      evidence: "text: 'Goldsmith-Pinkham 等(2020)'; reference list: 'Goldschmidt-Pinkham P'",
    },
    {
      id: "ref_ngouhouo",
      exhibit: "references",
      printed: "text: (Ngouhou 和 Nchofoung, 2022)",
      problem: "the in-text citation misspells the author as 'Ngouhou'; the reference list has 'Ngouhouo I'",
      evidence: "§1: 'Ngouhou 和 Nchofoung, 2022'; [40] 'Ngouhouo I, Nchofoung T N'",
    },
    {
      id: "sample_unbalanced",
      exhibit: "sample",
      printed: `${RS_PRINTED.facts.sampleCities.text} cities, ${RS_PRINTED.facts.sampleYears.from.text}—${RS_PRINTED.facts.sampleYears.to.text}; N = ${RS_PRINTED.table3[3]!.n}`,
      problem:
        "the panel is unbalanced although §3.3 says gaps were interpolated and cities with serious gaps dropped; the missing city-years are not explained",
      evidence: `${G} × ${YEARS} = ${full} city-years, N = ${n}: ${full - n} missing (${(((full - n) / full) * 100).toFixed(1)} %)`,
    },
    {
      id: "demand_wording",
      exhibit: "summary",
      printed: "贡献第三: 缓解资源错配与提振消费需求",
      problem:
        "the contribution paragraph names the channel 'consumption demand' (消费需求); the abstract, hypothesis 3 and §5.2 test market demand (市场需求, market potential)",
      evidence: "abstract: '缓解资源错配与提振市场需求'; Table 6 mediators mp, lmp, hmp (market potential)",
    },
    {
      id: "table3_fe_label",
      exhibit: "table3",
      printed: "row label 'Year 或 City 固定效应' (year OR city FE)",
      problem: "the row label says 'or' while the text says cols (2) and (4) include both year and city fixed effects",
      evidence: "§4.1: '列(4)同时加入控制变量与年份、城市固定效应'",
    },
    {
      id: "did_timing_unstated",
      exhibit: "robustness",
      printed: "§4.2.1: 以智慧城市试点作为准自然实验, 采用 DID 与 PSM-DID",
      problem: "the smart-city DID prints neither the pilot batches used, the treatment years, nor any coefficient; it cannot be checked",
      evidence: `§4.2 prints no decimal number; claims with sign only: ${RS_PRINTED.claims.filter((c) => c.section.startsWith("4.2")).length}`,
    },
  ];
}

/**
 * The anomaly notes for one exhibit, for exhibit builders to append to their table notes.
 *
 * @example
 *   rsTable4(..., { notes: [...notes, ...rsAnomalyNotes("table4")] });
 *   rsAnomalyNotes("table4")[0]; // "Paper anomaly (table4_digital_infra_n): cols (3)/(4) N = 1 567 / 1 575 — the two … (1567 + 1575 = 3142 ≠ 3177; …)"
 */
export function rsAnomalyNotes(exhibit: RsExhibit): string[] {
  return rsAnomalies()
    .filter((a) => a.exhibit === exhibit)
    .map((a) => `Paper anomaly (${a.id}): ${a.printed} — ${a.problem} (${a.evidence}).`);
}

/** Quoted strings the anomalies rely on, for the tests to find in the paper text. */
export const RS_ANOMALY_QUOTES = {
  table4Title: TABLE4_TITLE,
  zhIntegration: ZH_INTEGRATION,
  enIntegration: EN_INTEGRATION,
  goldsmithText: "Goldsmith-Pinkham 等(2020)",
  goldsmithRef: "Goldschmidt-Pinkham P",
  ngouhouText: "Ngouhou 和 Nchofoung, 2022",
  ngouhouoRef: "Ngouhouo I",
  consumption: "缓解资源错配与提振消费需求",
  feLabel: "<i>Year</i> 或 <i>City</i> 固定效应",
  yangtzeCols: "列(7)和列(8)",
} as const;
