/**
 * The two alternative virtual-agglomeration regressors of EQ Table 4 (Zhao, Ban, Li & Liu 2022,
 * §4.3), attached to an EQ panel (e.g. `buildQualityPanel(dir).panel`, city × HS4 × year):
 *
 * - **`vagg_in`** (col. 1, "measurement error"): the Bartik index (22) with the digital-service
 *   input *quantities* in place of the direct consumption coefficients — the paper: "使用数据要素
 *   投入量替换直接消耗系数重新构建代理指标". Shares are the same 2004 census output shares
 *   (`census_2004.csv` through `censusShares`); the shift of industry s in year t is the flow of digital inputs into s,
 *   Z_st = z_D61,s,t + z_D62T63,s,t + ω · z_D45T47,s,t (OECD Input-Output Tables 2021, China, total
 *   flows at basic prices, USD million — `oecd_iot2021_chn_digital_coef.csv`, column `z`, the same
 *   cells as `oecd_iot2021_chn_1995_2018_long.csv`), ω the digital share of wholesale/retail (the
 *   baseline shift's splitting coefficient, 0.2), reported in USD billion (÷ `unit` = 1000):
 *   vagg_in_ct = Σ_s share_s,c,2004 · Z_st / 1000. The flows are nominal USD; the common price
 *   level is absorbed by the year fixed effects. The paper does not print its units, so only the
 *   sign and significance of its coefficient (0.0281) are comparable.
 * - **`vagg_txt`** (col. 3): ln(1 + count of virtual-agglomeration dictionary words) in the city's
 *   government work report of the year, segmented with jieba (`textIndex`, `VAGG_TERMS`).
 *
 * Each city-year value is joined to every panel row of that city and year; panel rows without a
 * value keep NaN (counted in `counts`; the estimators drop them).
 */
import * as path from "node:path";
import { readTable } from "../../data/io";
import { GOV_REPORTS } from "../../data/schemas";
import { type Table, column, fromRecords, numeric, table, withColumns } from "../../data/table";
import { ArgumentError } from "../../util/errors";
import { bartik, digitalShift, type BartikReport } from "../../measures/bartik";
import { keysOf, numberAt } from "../../data/keys";
import { censusShares, DIGITAL_TRADE_SHARE } from "./measurement";
import { mapF64From } from "../../util/typed-map";
export { DIGITAL_TRADE_SHARE };
import { publicDataPath } from "../../data/public";
import { textIndex, type Segmenter } from "../../measures/text-index";
import { VAGG_TERMS } from "../../data/vagg-terms";

/** Digital share of wholesale/retail (D45T47) in the digital input bundle: the baseline shifts' ω. */

export interface AlternativeVaggOptions {
  /** OECD digital-input file (columns year, input_isic4, use_isic4, z); default the public OECD 2021 China file. */
  readonly io?: string;
  /** ω, the digital share of the D45T47 flow. Default {@link DIGITAL_TRADE_SHARE}. */
  readonly tradeShare?: number;
  /** Divisor of the flows (USD million → USD billion: 1000, the default). */
  readonly unit?: number;
  /** City and year columns of the panel. Default "city", "year". */
  readonly cityColumn?: string;
  readonly yearColumn?: string;
  /** jieba segmenter for the text index (default: jieba + `VAGG_TERMS`). */
  readonly segmenter?: Segmenter;
}

export interface AlternativeVagg {
  /** The input panel with `vagg_in` and `vagg_txt` added. */
  readonly panel: Table;
  /** City × year: vagg_in (Bartik of digital input flows) and the text index (vagg_txt, word count, documents). */
  readonly inputs: Table;
  readonly text: Table;
  readonly bartikReport: BartikReport;
  /** Every dropped or missing item with its reason (columns item, rows). */
  readonly counts: Table;
}

/**
 * Compute `vagg_in` and `vagg_txt` from the raw files in `dir` and attach them to `panel`
 * (see the module comment for the definitions).
 *
 * @example
 *   const eq = await buildQualityPanel(dir);
 *   const alt = await attachAlternativeVagg(eq.panel, dir);
 *   feols(alt.panel, "quality ~ vagg_in + fdi + open | city + year + hs4", { vcov: { cluster: ["city^hs4"] } });
 */
export async function attachAlternativeVagg(panel: Table, dir: string, opts: AlternativeVaggOptions = {}): Promise<AlternativeVagg> {
  const omega = opts.tradeShare ?? DIGITAL_TRADE_SHARE;
  const unit = opts.unit ?? 1000;
  if (!(omega >= 0 && omega <= 1)) throw new ArgumentError(`tradeShare must be in [0, 1], got ${omega}`);
  if (!(unit > 0)) throw new ArgumentError(`unit must be > 0, got ${unit}`);
  const cityCol = opts.cityColumn ?? "city",
    yearCol = opts.yearColumn ?? "year";
  const counts: { item: string; rows: number }[] = [];

  // vagg_in: 2004 census output shares × digital input flows
  const cs = await censusShares(path.join(dir, "census_2004.csv"));
  counts.push({ item: "census_2004.csv: rows with missing or negative output (left out of the shares)", rows: cs.droppedRows });
  const ioFile = opts.io ?? publicDataPath("io", "oecd_iot2021_chn_digital_coef.csv");
  const io = await readTable(ioFile, { columns: ["year", "input_isic4", "use_isic4", "z"] });
  const flows = digitalShift(io, { inputs: { D61: 1, D62T63: 1, D45T47: omega }, columns: { value: "z" } });
  counts.push({
    item: `${path.basename(ioFile)}: use industry × year cells missing one of D61, D62T63, D45T47`,
    rows: flows.missingInputs,
  });
  const shifts = withColumns(flows.table, { shift: numeric(flows.table, "shift").map((v) => v / unit) });
  const b = bartik(cs.table, shifts, { unit: "city", industry: "ind" });
  counts.push({ item: "census_2004.csv: rows whose industry has no digital-input flow (unmatched)", rows: b.report.unmatchedRows });
  const inputs = table(
    {
      city: column(b.table, "city"),
      year: column(b.table, "time"),
      vagg_in: numeric(b.table, "vagg"),
      matched_share: numeric(b.table, "matched_share"),
    },
    ioFile,
  );

  // vagg_txt: jieba word counts in the government work reports
  const docs = await readTable(path.join(dir, "gov_reports.csv"), { schema: GOV_REPORTS });
  const ti = textIndex(docs, {
    unit: ["city_code", "year"],
    text: "text",
    ...(opts.segmenter ? { segmenter: opts.segmenter } : { terms: VAGG_TERMS }),
  });
  counts.push({ item: "gov_reports.csv: reports with missing text", rows: ti.naDocs });
  const text = table(
    {
      city: column(ti.table, "city_code"),
      year: column(ti.table, "year"),
      vagg_txt: numeric(ti.table, "vagg_txt"),
      count: numeric(ti.table, "count"),
      ndocs: numeric(ti.table, "ndocs"),
    },
    docs.source,
  );

  // join on (city, year)
  const pc = keysOf(column(panel, cityCol));
  const py = column(panel, yearCol);
  const pk = pc.map((c, i) => `${c}\u001f${numberAt(py, i, panel.source, yearCol)}`);
  const lookup = (t: Table, col: string): Float64Array => {
    const tc = keysOf(column(t, "city")),
      ty = column(t, "year"),
      v = numeric(t, col);
    const m = new Map<string, number>();
    for (let i = 0; i < t.nrows; i++) m.set(`${tc[i]}\u001f${numberAt(ty, i, t.source, "year")}`, v[i] as number);
    return mapF64From(pk, (k) => m.get(k) ?? NaN);
  };
  const vaggIn = lookup(inputs, "vagg_in"),
    vaggTxt = lookup(text, "vagg_txt");
  const nMissing = (x: Float64Array): number => x.reduce((a, v) => a + (Number.isNaN(v) ? 1 : 0), 0);
  counts.push({ item: "panel rows without vagg_in (city not in the census, or year without flows)", rows: nMissing(vaggIn) });
  counts.push({ item: "panel rows without vagg_txt (no report for the city-year, or its text is missing)", rows: nMissing(vaggTxt) });
  return {
    panel: withColumns(panel, { vagg_in: vaggIn, vagg_txt: vaggTxt }),
    inputs,
    text,
    bartikReport: b.report,
    counts: fromRecords(counts),
  };
}
