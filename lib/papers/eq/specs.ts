import { filterRows, numeric, type Table } from "../../data/table";
import * as fs from "node:fs";
import * as path from "node:path";
import { ArgumentError, DataError } from "../../util/errors";
import { truthFor, type TruthSource } from "../truth";
import { EQ_CONTROLS } from "./panel";

/**
 * The EQ specifications, named once: every regression of the EQ notebooks is
 *
 *   lhs ~ rhs + fdi + open + fisc + dlp + sci + edu + wage + gdp + fixinv | fixed effects [| iv],
 *
 * the control list `EQ_CONTROLS` of EQ (1) (Table 1). Notebooks write `eqFormula(...)` instead
 * of typing the controls.
 */

/** The fixed effects of the baseline EQ (1): city, year and HS4 (Table 2 col. 4). */
export const EQ_FE = "city + year + hs4";

/**
 * `lhs ~ rhs + controls | fe`, or `lhs ~ controls | fe | iv` for 2SLS (give `rhs` as `""`).
 *
 * @example
 *   eqFormula("quality", "vagg", "city + year")                    // Table 2 col. 2
 *   eqFormula("quality", "", EQ_FE, "vagg ~ tel_iv")                 // Table 3 col. 5
 *   eqFormula("quality", "vagg + vagg:east", EQ_FE)                  // Table 6 col. 3
 */
export function eqFormula(lhs: string, rhs: string, fe: string = EQ_FE, iv?: string): string {
  const right = [rhs, ...EQ_CONTROLS].filter((s) => s !== "").join(" + ");
  return `${lhs} ~ ${right} | ${fe}${iv ? ` | ${iv}` : ""}`;
}

/** EQ (1), the baseline: quality on vagg, controls, city, year and HS4 fixed effects (Table 2 col. 4). */
export const EQ_BASELINE = eqFormula("quality", "vagg", EQ_FE);

/** One EQ regression as the notebooks run it: its sample, formula, estimator and reported term. */
export interface EqSpec {
  readonly label: string;
  /** `all`: the panel; `lag`: without its first year (`eqLagSample`). */
  readonly sample: "all" | "lag";
  /** With outcome `quality` (the truth replaces it by `quality_true`). */
  readonly formula: string;
  /** 2SLS (`iv2sls`) rather than OLS (`feols`). */
  readonly iv: boolean;
  readonly term: string;
}

/** The four columns of EQ Table 2, as `eq-04-baseline-endogeneity` runs them. */
export const EQ_TABLE2_SPECS: readonly EqSpec[] = [
  { label: "T2 (1) city + year FE", sample: "all", formula: "quality ~ vagg | city + year", iv: false, term: "vagg" },
  { label: "T2 (2) + controls", sample: "all", formula: eqFormula("quality", "vagg", "city + year"), iv: false, term: "vagg" },
  { label: "T2 (3) + HS4 FE", sample: "all", formula: "quality ~ vagg | city + year + hs4", iv: false, term: "vagg" },
  { label: "T2 (4) baseline", sample: "all", formula: EQ_BASELINE, iv: false, term: "vagg" },
];

/** The six columns of EQ Table 3, as `eq-04-baseline-endogeneity` runs them. */
export const EQ_TABLE3_SPECS: readonly EqSpec[] = [
  { label: "T3 (1) + province FE", sample: "all", formula: eqFormula("quality", "vagg", `${EQ_FE} + province`), iv: false, term: "vagg" },
  {
    label: "T3 (2) + province × year FE",
    sample: "all",
    formula: eqFormula("quality", "vagg", `${EQ_FE} + province + province^year`),
    iv: false,
    term: "vagg",
  },
  { label: "T3 (3) L.vagg", sample: "lag", formula: eqFormula("quality", "l_vagg", EQ_FE), iv: false, term: "l_vagg" },
  { label: "T3 (4) 2SLS, IV L.vagg", sample: "lag", formula: eqFormula("quality", "", EQ_FE, "vagg ~ l_vagg"), iv: true, term: "vagg" },
  {
    label: "T3 (5) 2SLS, IV Tel1984 × inv",
    sample: "all",
    formula: eqFormula("quality", "", EQ_FE, "vagg ~ tel_iv"),
    iv: true,
    term: "vagg",
  },
  {
    label: "T3 (6) 2SLS, IV Post1984 × inv",
    sample: "all",
    formula: eqFormula("quality", "", EQ_FE, "vagg ~ post_iv"),
    iv: true,
    term: "vagg",
  },
];

/** The sample of a lagged-vagg regression: the panel without its first year, and how many rows that removed. */
export interface LagSample {
  readonly panel: Table;
  /** The first sample year (its rows have no L.vagg inside the sample). */
  readonly firstYear: number;
  /** Rows removed (those of `firstYear`). */
  readonly dropped: number;
}

/**
 * The sample of every EQ regression on L.vagg (Table 3 cols. 3–4, Table 8 col. 1): the first
 * sample year has no lag inside the sample (the paper's data start in 2005), so its rows are
 * removed — as N falls in the paper (Table 3: 616,591 → 576,343) — even where `l_vagg` could be
 * filled from the year before (the panel's shifts exist for 2004). Returns the rows removed.
 *
 * @example
 *   const lag = eqLagSample(eq.panel);       // lag.dropped: rows of 2005
 *   feols(lag.panel, eqFormula("quality", "l_vagg"), { vcov: { cluster: ["city^hs4"] } });   // Table 3 col. 3
 */
export function eqLagSample(panel: Table, yearColumn = "year"): LagSample {
  const y = numeric(panel, yearColumn);
  let first = Infinity;
  for (let i = 0; i < y.length; i++) if ((y[i] as number) < first) first = y[i] as number;
  if (!Number.isFinite(first)) throw new ArgumentError(`eqLagSample: column "${yearColumn}" has no year`);
  const keep = Uint8Array.from(y, (v) => (v > first ? 1 : 0));
  const out = filterRows(panel, keep);
  return { panel: out, firstYear: first, dropped: panel.nrows - out.nrows };
}

/** The true values of the EQ exhibits on synthetic data: realised (truth.json → realised.eq) where the generator wrote them, else the design (`TRUTH.eq`). */
export interface EqTruth {
  /** β of (17), Table 2 col. 4 and every column that estimates it (Table 3 cols. 1–2, 4–6; Table 4 cols. 6–7). */
  readonly beta_vagg: number;
  /** Table 8 col. 2: ln road area per capita on vagg. */
  readonly road_vagg: number;
  /** Where the numbers come from: `realised` (truth.json → realised.eq, per key) or `design` (TRUTH.eq). */
  readonly source: { readonly beta_vagg: "realised" | "design"; readonly road_vagg: "realised" | "design" };
}

/**
 * The EQ true values for the "True (DGP)" rows: `null` on real data (no `truth.json`, see
 * `isSynthetic`); on synthetic data each value from `truth.json → realised.eq.<key>` when the
 * generator wrote it (the realised value of the seed's data), else the design parameter
 * `TRUTH.eq.<key>` (older folders). A source without a folder (a boolean) gets the design.
 *
 * @example
 *   eqTruth(env)?.beta_vagg   // realised β on synthetic data; undefined on real data
 */
export function eqTruth(src: TruthSource): EqTruth | null {
  const T = truthFor(src);
  if (!T) return null;
  let realised: Record<string, unknown> = {};
  if (typeof src !== "boolean") {
    const f = path.join(typeof src === "string" ? src : src.dataDir, "truth.json");
    try {
      const j = JSON.parse(fs.readFileSync(f, "utf8")) as { realised?: { eq?: Record<string, unknown> } };
      realised = j.realised?.eq ?? {};
    } catch (e) {
      throw new DataError(`cannot read true values: ${(e as Error).message.split("\n")[0]}`, { file: f });
    }
  }
  const pick = (k: "beta_vagg" | "road_vagg"): [number, "realised" | "design"] => {
    const v = realised[k];
    return typeof v === "number" && Number.isFinite(v) ? [v, "realised"] : [T.eq[k], "design"];
  };
  const [b, bs] = pick("beta_vagg"),
    [r, rs] = pick("road_vagg");
  return { beta_vagg: b, road_vagg: r, source: { beta_vagg: bs, road_vagg: rs } };
}

export { buildFirmPanel, eqFirmFormula, EQ_FIRM_CONTROLS, EQ_FIRM_FE, EQ_FIRM_YEARS, type FirmPanel } from "./firm-level";
