import type { PublishedMoment } from "../published-moment";
import { printedCell, printedValue as printedValueOf, type PrintedCell, type PrintedNumber, type Stars } from "../printed";
export type { PrintedCell, PrintedNumber, Stars } from "../printed";

/**
 * Every number the RS paper prints (Yan, Xu & Zhang 2025, "The resilience code of the digital
 * age", 财经研究 2025(7): 49–63), transcribed from the paper's own text (`../shared/papers/
 * 003_6e53f8dde1dd70c5.txt`), in one place. Nothing here is computed; everything computed is
 * shown beside it, and the paper's own inconsistencies are in `./anomalies.ts`.
 *
 * `RS_PRINTED` holds each number as the text prints it (string, so "0.0050" keeps its trailing
 * zero and "3 177" / "1, 092" keep the paper's thousands separators); `RS_TABLE2`, `RS_PUBLISHED`
 * and `RS_PUBLISHED_SECTIONS` are the numeric views the exhibits read, derived from `RS_PRINTED`
 * (never typed twice). `null` = the paper prints nothing there (checked against the text in
 * tests/papers/rs/published.test.ts).
 */

/** One printed regression column: the cell, N and R² (null = not printed). */
export interface PrintedColumn extends PrintedCell {
  /** Column label as printed, e.g. "(6)". */
  readonly label: string;
  readonly n: string;
  readonly r2: string | null;
}

/** Parses a printed number of RS (`printedValue` of ../printed.ts). */
export const printedValue = (text: string): number => printedValueOf(text, "RS published");
const pn = (text: string): PrintedNumber => ({ value: printedValue(text), text });
const cell = printedCell;

/** Printed row of RS Table 2 (descriptive statistics). */
interface PrintedMoment {
  readonly label: string;
  readonly n: string;
  readonly mean: string;
  readonly sd: string;
  readonly min: string;
  readonly max: string;
}

/** One mechanism panel of Tables 5–6: step 1 (vagg → M), step 2 (M → resi) and M → the three sub-dimensions. */
export interface PrintedMechanismPanel {
  readonly panel: "A" | "B" | "C";
  /** Panel title as printed. */
  readonly title: string;
  readonly mediator: string;
  /** Column (1): M on vagg. */
  readonly first: PrintedCell;
  /** Column (2): resi on M. */
  readonly second: PrintedCell;
  /** Columns (3)–(5): 抵抗力与恢复力 (resist), 适应力与调节力 (adapt), 转型与发展力 (transform) on M. */
  readonly dims: { readonly resist: PrintedCell; readonly adapt: PrintedCell; readonly transform: PrintedCell };
  /** N, printed once per column (the same in all five). */
  readonly n: string;
  /** R² of the five columns: not printed. */
  readonly r2: null;
}

/** The Table 4 split groups (the keys of `RS_PUBLISHED.table4`). */
export const RS_TABLE4_GROUPS = ["old_industrial", "digital_infra_high", "urban_agglomeration", "yangtze_belt"] as const;
export type RsTable4Group = (typeof RS_TABLE4_GROUPS)[number];

/**
 * Everything the paper prints, as printed. Tables 2–6, Table 1's indicator directions, the
 * sample facts of §3.3 and the footnotes, and the §4.2 / §6 claims that carry only a sign and
 * significance (no number).
 */
export const RS_PRINTED = {
  /** 表1: the 14 indicators of the resilience index, by dimension, with the printed direction (指标性质). */
  table1: [
    { dim: "resist", indicator: "CPI年增长率3年滚动标准差", direction: "负向" },
    { dim: "resist", indicator: "GDP增长指数3年滚动标准差", direction: "负向" },
    { dim: "resist", indicator: "人均地区生产总值", direction: "正向" },
    { dim: "resist", indicator: "城乡居民储蓄余额", direction: "正向" },
    { dim: "resist", indicator: "城镇登记失业率", direction: "正向" },
    { dim: "adapt", indicator: "消费市场活跃度", direction: "正向" },
    { dim: "adapt", indicator: "固定资产投资额", direction: "正向" },
    { dim: "adapt", indicator: "金融机构存贷比", direction: "正向" },
    { dim: "adapt", indicator: "地方财政自给率", direction: "正向" },
    { dim: "transform", indicator: "人均专利授权量", direction: "正向" },
    { dim: "transform", indicator: "人均科技经费支出", direction: "正向" },
    { dim: "transform", indicator: "人均教育经费支出", direction: "正向" },
    { dim: "transform", indicator: "产业高级化", direction: "正向" },
    { dim: "transform", indicator: "创业活跃度", direction: "正向" },
  ],
  /** 表2 主要变量的描述性统计结果 (281 cities, 2008–2019): every cell is printed. */
  table2: {
    resi: { label: "经济韧性", n: "3 177", mean: "0.153", sd: "0.095", min: "0.051", max: "0.735" },
    vagg: { label: "虚拟集聚", n: "3 177", mean: "0.159", sd: "0.314", min: "0", max: "1.983" },
    pop: { label: "人口密度", n: "3 177", mean: "5.810", sd: "0.889", min: "3.149", max: "7.925" },
    open: { label: "市场开放度", n: "3 177", mean: "4.077", sd: "1.582", min: "0.341", max: "6.908" },
    fre: { label: "交通通达性", n: "3 177", mean: "8.966", sd: "0.837", min: "6.774", max: "10.870" },
    road: { label: "基础设施建设", n: "3 177", mean: "2.701", sd: "0.427", min: "1.447", max: "3.596" },
    wage: { label: "收入水平", n: "3 177", mean: "10.700", sd: "0.408", min: "9.787", max: "11.520" },
    edu: { label: "人力资本", n: "3 177", mean: "4.641", sd: "0.995", min: "2.222", max: "6.895" },
  } as Readonly<Record<string, PrintedMoment>>,
  /**
   * 表3 基准回归结果: resi on vagg; (1) nothing, (2) year + city FE, (3) controls, (4) both.
   *
   * Interpretation (not printed): the R² of cols (2) and (4), 0.009 and 0.055, are far below
   * col (1)'s 0.146 although those columns add ~290 fixed effects to the same regressor, so
   * they must be within R² (after the city and year FE are swept out), while cols (1) and (3)
   * (no FE) report the ordinary overall R².
   */
  table3: [
    { label: "(1)", coef: "0.1155", se: "0.0227", stars: "***", n: "3 177", r2: "0.146", r2Kind: "overall", fe: false, controls: false },
    { label: "(2)", coef: "0.0083", se: "0.0027", stars: "***", n: "3 177", r2: "0.009", r2Kind: "within", fe: true, controls: false },
    { label: "(3)", coef: "0.0274", se: "0.0163", stars: "*", n: "3 177", r2: "0.534", r2Kind: "overall", fe: false, controls: true },
    { label: "(4)", coef: "0.0075", se: "0.0027", stars: "***", n: "3 177", r2: "0.055", r2Kind: "within", fe: true, controls: true },
  ] as readonly (PrintedColumn & { readonly r2Kind: "overall" | "within"; readonly fe: boolean; readonly controls: boolean })[],
  /**
   * 表4 城市异质性分析 (eight split regressions, controls + year/city FE in all). Column labels
   * as printed — the seventh is printed "(6)" (anomaly). `p`: the bootstrap empirical p-value
   * of the in/out coefficient difference (1 000 draws), printed only for the first two splits.
   */
  table4: {
    old_industrial: {
      in: { label: "(1)", header: "老工业", coef: "0.0039", se: "0.0020", stars: "*", n: "1 053", r2: "0.151" },
      out: { label: "(2)", header: "非老工业", coef: "0.0099", se: "0.0041", stars: "**", n: "2 124", r2: "0.039" },
      p: { text: "0.072", stars: "*" },
    },
    digital_infra_high: {
      in: { label: "(3)", header: "数字基础设施好", coef: "0.0102", se: "0.0043", stars: "**", n: "1 567", r2: "0.078" },
      out: { label: "(4)", header: "数字基础设施差", coef: "0.0050", se: "0.0018", stars: "**", n: "1 575", r2: "0.062" },
      p: { text: "0.091", stars: "*" },
    },
    urban_agglomeration: {
      in: { label: "(5)", header: "城市群", coef: "0.0061", se: "0.0044", stars: "", n: "1, 092", r2: "0.027" },
      out: { label: "(6)", header: "非城市群", coef: "0.0068", se: "0.0028", stars: "**", n: "2, 085", r2: "0.097" },
      p: null,
    },
    yangtze_belt: {
      in: { label: "(6)", header: "长江经济带", coef: "0.0037", se: "0.0028", stars: "", n: "1, 281", r2: "0.026" },
      out: { label: "(8)", header: "非长江经济带", coef: "0.0089", se: "0.0045", stars: "**", n: "1, 896", r2: "0.081" },
      p: null,
    },
  } as Readonly<
    Record<
      RsTable4Group,
      {
        readonly in: PrintedColumn & { readonly header: string };
        readonly out: PrintedColumn & { readonly header: string };
        readonly p: { readonly text: string; readonly stars: Stars } | null;
      }
    >
  >,
  /** 表5 机制检验：缓解资源错配 (N = 3 166 in every column; R² not printed). */
  table5: [
    {
      panel: "A",
      title: "总错配程度",
      mediator: "dist",
      first: cell("-0.0597", "0.0359", "*"),
      second: cell("-0.0047", "0.0027", "*"),
      dims: { resist: cell("-0.0023", "0.0007", "***"), adapt: cell("-0.0003", "0.0006", ""), transform: cell("-0.0120", "0.0031", "***") },
      n: "3 166",
      r2: null,
    },
    {
      panel: "B",
      title: "资本错配程度",
      mediator: "distK",
      first: cell("0.0016", "0.0340", ""),
      second: cell("0.0053", "0.0035", ""),
      dims: { resist: cell("0.0026", "0.0009", "***"), adapt: cell("0.0030", "0.0009", "***"), transform: cell("0.0042", "0.0027", "") },
      n: "3 166",
      r2: null,
    },
    {
      panel: "C",
      title: "劳动错配程度",
      mediator: "distL",
      first: cell("-0.1672", "0.0857", "*"),
      second: cell("-0.0022", "0.0012", "*"),
      dims: {
        resist: cell("-0.0012", "0.0002", "***"),
        adapt: cell("-0.0010", "0.0002", "***"),
        transform: cell("-0.0023", "0.0008", "***"),
      },
      n: "3 166",
      r2: null,
    },
  ] as readonly PrintedMechanismPanel[],
  /** 表6 机制检验:提振市场需求 (N = 3 079 in every column; R² not printed). */
  table6: [
    {
      panel: "A",
      title: "市场需求",
      mediator: "mp",
      first: cell("0.5626", "0.2490", "**"),
      second: cell("0.0016", "0.0006", "**"),
      dims: { resist: cell("0.0009", "0.0002", "***"), adapt: cell("0.0007", "0.0002", "***"), transform: cell("0.0023", "0.0006", "***") },
      n: "3 079",
      r2: null,
    },
    {
      panel: "B",
      title: "本地市场需求",
      mediator: "lmp",
      first: cell("0.0204", "0.0217", ""),
      second: cell("0.0362", "0.0107", "***"),
      dims: { resist: cell("0.0305", "0.0036", "***"), adapt: cell("0.0306", "0.0040", "***"), transform: cell("0.0398", "0.0115", "***") },
      n: "3 079",
      r2: null,
    },
    {
      panel: "C",
      title: "外地市场需求",
      mediator: "hmp",
      first: cell("0.5414", "0.2415", "**"),
      second: cell("0.0015", "0.0007", "**"),
      dims: { resist: cell("0.0008", "0.0002", "***"), adapt: cell("0.0006", "0.0002", "***"), transform: cell("0.0022", "0.0006", "***") },
      n: "3 079",
      r2: null,
    },
  ] as readonly PrintedMechanismPanel[],
  /** Sample and design facts printed in §3.3, §4.2 and the footnotes. */
  facts: {
    /** §3.3: cities whose Alibaba (1688) member firms were scraped. */
    scrapedCities: pn("284"),
    /** §3.3: "约 1128 000 条" firm records with 诚信通 membership. */
    scrapedFirms: pn("1128 000"),
    /** §3.3: years of the scraped firm data ("2002—2019"). */
    scrapedYears: { from: pn("2002"), to: pn("2019") },
    /** Footnote ②: scraping date "2024 年 3 月". */
    scrapedOn: { year: pn("2024"), month: pn("3") },
    /** §3.3: winsorised at 1 % ("1%的缩尾"). */
    winsorPercent: pn("1"),
    /** §3.3: final sample, 281 cities, 2008—2019. */
    sampleCities: pn("281"),
    sampleYears: { from: pn("2008"), to: pn("2019") },
    /** Table 4 note: bootstrap of the coefficient difference, "重复计算1 000次". */
    bootstrapDraws: pn("1 000"),
    /** §4.2.1: IV = log(city member count in 2005 × national internet users). */
    ivBaseYear: pn("2005"),
    /** Footnote: in 2005 the platform had "1000多家" firms, "超过一半的城市" took part. */
    ivBaseYearFirms: { atLeast: pn("1000"), citiesShare: "more than half (超过一半)" },
    /** Footnote: the 诚信通 service started in 2002. */
    serviceStart: pn("2002"),
    /** §4.2.2: Martin et al. (2016) replacement outcome, resistance 2008—2011, recovery 2012—2019. */
    martinResistance: { from: pn("2008"), to: pn("2011") },
    martinRecovery: { from: pn("2012"), to: pn("2019") },
    /** §4.3.1: the old-industrial list is the 2013 plan (2013—2022). */
    oldIndustrialPlan: { year: pn("2013"), from: pn("2013"), to: pn("2022") },
    /** §5: Table 5 and Table 6 N. */
    table5N: pn("3 166"),
    table6N: pn("3 079"),
  },
  /**
   * §4.2 and §6 claims with a sign and (where stated) significance but no printed number
   * ("限于篇幅,省略稳健性检验结果"; §6 "省略图表分析结果"). `quote` = the sentence that carries it.
   */
  claims: [
    { id: "iv", section: "4.2.1", sign: "+", significance: "unstated", quote: "根据回归结果,虚拟集聚对城市经济韧性仍然存在促进作用" },
    {
      id: "did",
      section: "4.2.1",
      sign: "+",
      significance: "unstated",
      quote: "利用智慧城市试点这一自然实验后,虚拟集聚仍能提高城市经济韧性",
    },
    { id: "psm_did", section: "4.2.1", sign: "+", significance: "unstated", quote: "采用 DID 与 PSM-DID 方法进一步控制内生性" },
    {
      id: "bartik",
      section: "4.2.2",
      sign: "+",
      significance: "unstated",
      quote: "在替换变量测量后,虚拟集聚与城市经济韧性的正向关系依然成立",
    },
    {
      id: "martin",
      section: "4.2.2",
      sign: "+",
      significance: "unstated",
      quote: "在替换变量测量后,虚拟集聚与城市经济韧性的正向关系依然成立",
    },
    { id: "drop_capitals", section: "4.2.3", sign: "+", significance: "unstated", quote: "根据回归结果,基准回归结果是稳健的" },
    { id: "province_fe", section: "4.2.3", sign: "+", significance: "unstated", quote: "根据回归结果,基准回归结果是稳健的" },
    { id: "province_cluster", section: "4.2.3", sign: "+", significance: "unstated", quote: "根据回归结果,基准回归结果是稳健的" },
    { id: "vagg_c", section: "6", sign: "+", significance: "significant", quote: "虚拟集聚、地理集聚及交互项的回归系数均显著为正" },
    { id: "agg_c", section: "6", sign: "+", significance: "significant", quote: "虚拟集聚、地理集聚及交互项的回归系数均显著为正" },
    { id: "vagg_c:agg_c", section: "6", sign: "+", significance: "significant", quote: "虚拟集聚、地理集聚及交互项的回归系数均显著为正" },
    { id: "quartile_low", section: "6", sign: "+", significance: "significant", quote: "在低、较低以及较高地理集聚组中显著为正" },
    { id: "quartile_lower", section: "6", sign: "+", significance: "significant", quote: "在低、较低以及较高地理集聚组中显著为正" },
    {
      id: "quartile_higher",
      section: "6",
      sign: "+",
      significance: "significant (largest)",
      quote: "较高地理集聚组的回归系数大于低地理集聚组以及较低地理集聚组",
    },
    { id: "quartile_high", section: "6", sign: "unstated", significance: "n.s.", quote: "高地理集聚组的回归系数不显著" },
  ] as readonly {
    readonly id: string;
    readonly section: string;
    readonly sign: "+" | "-" | "unstated";
    readonly significance: string;
    readonly quote: string;
  }[],
} as const;

const v = printedValue;
const num = (c: PrintedCell) => ({ coef: v(c.coef), se: v(c.se), stars: c.stars });
const moment = (m: PrintedMoment): PublishedMoment => ({ n: v(m.n), mean: v(m.mean), sd: v(m.sd), min: v(m.min), max: v(m.max) });

/** RS Table 2: descriptive statistics (281 cities, 2008–2019). The calibration targets of the synthetic data. */
export const RS_TABLE2: Readonly<Record<string, PublishedMoment>> = Object.fromEntries(
  Object.entries(RS_PRINTED.table2).map(([k, m]) => [k, moment(m)]),
);

type T3Col = {
  readonly coef: number;
  readonly se: number;
  readonly stars: Stars;
  readonly n: number;
  readonly r2: number;
  readonly r2Kind: "overall" | "within";
  readonly fe: boolean;
  readonly controls: boolean;
};
type Side = { coef: number; se: number; n: number; r2: number; stars: Stars };
const side = (c: PrintedColumn): Side => ({ ...num(c), n: v(c.n), r2: v(c.r2 as string) });
const T4 = RS_PRINTED.table4;
const t4 = (g: RsTable4Group) => ({
  in: side(T4[g].in),
  out: side(T4[g].out),
  ...(T4[g].p ? { p: v(T4[g].p!.text), pStars: T4[g].p!.stars } : {}),
});
const [P5A, P5B, P5C] = RS_PRINTED.table5 as [PrintedMechanismPanel, PrintedMechanismPanel, PrintedMechanismPanel];
const [P6A, P6B, P6C] = RS_PRINTED.table6 as [PrintedMechanismPanel, PrintedMechanismPanel, PrintedMechanismPanel];
/** `<M>_resist`, `<M>_adapt`, `<M>_transform` entries of one mechanism panel. */
const dims = (p: PrintedMechanismPanel) =>
  Object.fromEntries((["resist", "adapt", "transform"] as const).map((d) => [`${p.mediator}_${d}`, num(p.dims[d])])) as Record<
    string,
    { coef: number; se: number; stars: Stars }
  >;

/** Published numbers of RS used by the notebooks (numeric views of `RS_PRINTED`). */
export const RS_PUBLISHED = {
  /** = RS_TABLE2 (one transcription). */
  table2: RS_TABLE2,
  /** Table 3 cols (1)–(4); r2Kind is an interpretation (see `RS_PRINTED.table3`). */
  table3: RS_PRINTED.table3.map((c) => ({
    coef: v(c.coef),
    se: v(c.se),
    stars: c.stars,
    n: v(c.n),
    r2: v(c.r2 as string),
    r2Kind: c.r2Kind,
    fe: c.fe,
    controls: c.controls,
  })) as unknown as readonly [T3Col, T3Col, T3Col, T3Col],
  nobs: v(RS_PRINTED.table3[3]!.n),
  /** Table 4: in = the named group, out = its complement; p = bootstrap empirical p-value (cols 1–4 only). */
  table4: Object.fromEntries(RS_TABLE4_GROUPS.map((g) => [g, t4(g)])) as Record<
    string,
    { in: Side; out: Side; p?: number; pStars?: Stars }
  >,
  /** Table 5: `vagg_<M>` (col. 1), `<M>_resi` (col. 2), `<M>_<dimension>` (cols 3–5) for M = dist, distK, distL. */
  table5: {
    vagg_dist: num(P5A.first),
    dist_resi: num(P5A.second),
    vagg_distK: num(P5B.first),
    distK_resi: num(P5B.second),
    vagg_distL: num(P5C.first),
    distL_resi: num(P5C.second),
    ...dims(P5A),
    ...dims(P5B),
    ...dims(P5C),
    nobs: v(P5A.n),
  },
  /** Table 6: `vagg_<M>`, `<M>_resi`, `<M>_<dimension>` for M = mp, lmp, hmp. */
  table6: {
    vagg_mp: num(P6A.first),
    mp_resi: num(P6A.second),
    vagg_lmp: num(P6B.first),
    lmp_resi: num(P6B.second),
    vagg_hmp: num(P6C.first),
    hmp_resi: num(P6C.second),
    ...dims(P6A),
    ...dims(P6B),
    ...dims(P6C),
    nobs: v(P6A.n),
  },
  /** Sample facts (numbers of `RS_PRINTED.facts`). */
  facts: {
    scrapedCities: RS_PRINTED.facts.scrapedCities.value,
    scrapedFirms: RS_PRINTED.facts.scrapedFirms.value,
    sampleCities: RS_PRINTED.facts.sampleCities.value,
    sampleYears: [RS_PRINTED.facts.sampleYears.from.value, RS_PRINTED.facts.sampleYears.to.value] as const,
    bootstrapDraws: RS_PRINTED.facts.bootstrapDraws.value,
    ivBaseYear: RS_PRINTED.facts.ivBaseYear.value,
    martinResistance: [RS_PRINTED.facts.martinResistance.from.value, RS_PRINTED.facts.martinResistance.to.value] as const,
    martinRecovery: [RS_PRINTED.facts.martinRecovery.from.value, RS_PRINTED.facts.martinRecovery.to.value] as const,
  },
} as const;

const dimsNum = (p: PrintedMechanismPanel): Readonly<Record<string, number>> =>
  Object.fromEntries((["resist", "adapt", "transform"] as const).map((d) => [d, v(p.dims[d].coef)]));

/**
 * The mediator → sub-dimension effects (Tables 5–6, cols 3–5) as plain numbers, and the signs of
 * the §6 extension (the paper prints no coefficients there, only signs and significance).
 * `distDims` = Table 5 Panel A (kept under its old name); `dims[M]` for every mediator.
 */
export const RS_PUBLISHED_SECTIONS = {
  distDims: dimsNum(P5A),
  dims: Object.fromEntries([P5A, P5B, P5C, P6A, P6B, P6C].map((p) => [p.mediator, dimsNum(p)])) as Readonly<
    Record<string, Readonly<Record<string, number>>>
  >,
  extension: { vagg_c: "+", agg_c: "+", "vagg_c:agg_c": "+", quartiles: ["+", "+", "+ (largest)", "n.s."] },
} as const;
