import { fromRecords } from "../data/table";
import { ArgumentError } from "../util/errors";
import { dataTable } from "../report/data-table";
import type { ReportTable } from "../report/model";

/**
 * Exhibit helpers shared by both papers: the "published vs recomputed vs true value" table and
 * the IV-diagnostics panel. Paper-specific exhibits live in `papers/eq` and `papers/rs`.
 */

/** One row of a published / recomputed / true comparison. */
export interface ComparisonRow {
  readonly label: string;
  readonly published?: number | null;
  readonly publishedSe?: number | null;
  readonly estimate: number;
  readonly se?: number;
  readonly truth?: number | null;
  readonly n?: number;
}

/**
 * A compact "published vs recomputed vs true value" table. With `synthetic: false` (real data,
 * see `isSynthetic` in ./truth) the true-value column and its note are left out.
 *
 * @example comparisonTable([comparisonRow("T2 (4)", b4, "vagg", EQ_PUBLISHED.table2[3], 0.3087)], "Table 2: published vs recomputed vs true")
 */
export function comparisonTable(
  rows: readonly ComparisonRow[],
  title: string,
  notes: readonly string[] = [],
  opts: { readonly synthetic?: boolean } = {},
): ReportTable {
  const synthetic = opts.synthetic ?? true;
  const t = fromRecords(
    rows.map((r) => ({
      exhibit: r.label,
      published: r.published ?? NaN,
      published_se: r.publishedSe ?? NaN,
      recomputed: r.estimate,
      se: r.se ?? NaN,
      ...(synthetic ? { true_value: r.truth ?? NaN } : {}),
      N: r.n ?? NaN,
    })),
  );
  const legend = synthetic
    ? "published: the paper's estimate on real data; recomputed: this notebook on synthetic data; true (DGP): the parameter the synthetic data were generated with (– = not built into the generator)."
    : "published: the paper's estimate on real data; recomputed: this notebook on the data in use.";
  return dataTable(t, {
    title,
    digits: 4,
    na: "–",
    headers: { published_se: "(SE)", se: "(SE)", ...(synthetic ? { true_value: "true (DGP)" } : {}) },
    counts: ["N"],
    notes: [...notes, legend],
  });
}

/** Coefficient, SE and N of one term of a fitted model, for `comparisonTable`. */
export function comparisonRow(
  label: string,
  m: { coef: Readonly<Record<string, number>>; se: Readonly<Record<string, number>>; nobs: number },
  term: string,
  published?: { coef: number; se?: number } | null,
  truth?: number | null,
): ComparisonRow {
  if (!(term in m.coef)) throw new ArgumentError(`"${term}" is not a coefficient of the model`, { term });
  return {
    label,
    estimate: m.coef[term] as number,
    se: m.se[term],
    n: m.nobs,
    published: published?.coef ?? null,
    publishedSe: published?.se ?? null,
    truth: truth ?? null,
  };
}

type Stat = {
  readonly kind: string;
  readonly stat?: number;
  readonly p?: number;
  readonly df?: number;
  readonly df1?: number;
  readonly df2?: number;
  readonly reason?: string;
};
function statText(s: Stat | undefined): [number, number, string] {
  if (!s || s.kind === "invalid") return [NaN, NaN, s?.reason ?? "not available"];
  const df = s.df !== undefined ? `χ²(${s.df})` : s.df1 !== undefined ? `F(${s.df1}, ${s.df2})` : "";
  return [s.stat ?? NaN, s.p ?? NaN, df];
}

/**
 * The weak-IV diagnostics of an `iv2sls` fit as ivreg2/ivreghdfe print them: first-stage F and
 * partial R², Kleibergen–Paap rk LM (under-identification), Cragg–Donald and Kleibergen–Paap
 * rk Wald F (weak identification) with Stock–Yogo critical values, Hansen J / Sargan,
 * endogeneity C statistic, Anderson–Rubin test and confidence set.
 */
export function ivDiagnosticsTable(
  iv: {
    readonly firstStage: readonly { readonly endogenous: string; readonly partialR2: number; readonly f: Stat; readonly swF: Stat }[];
    readonly diagnostics?: object;
  },
  title = "IV diagnostics",
): ReportTable {
  const d = (iv.diagnostics ?? {}) as Record<string, any>;
  const recs: Record<string, string | number>[] = [];
  const add = (test: string, s: Stat | undefined, note = ""): void => {
    const [stat, p, df] = statText(s);
    recs.push({ test, statistic: stat, p, distribution: df, note });
  };
  for (const f of iv.firstStage) {
    add(`First-stage F (${f.endogenous})`, f.f, `partial R² ${f.partialR2.toFixed(4)}`);
    add(`Sanderson–Windmeijer F (${f.endogenous})`, f.swF);
  }
  add(
    d.underidentification?.test === "anderson-lm" ? "Anderson LM (under-identification)" : "Kleibergen–Paap rk LM (under-identification)",
    d.underidentification,
  );
  recs.push({
    test: "Cragg–Donald Wald F (weak identification)",
    statistic: d.cd?.kind === "cd" ? d.cd.ivreg2 : NaN,
    p: NaN,
    distribution: "",
    note: "",
  });
  recs.push({
    test: d.weakIdF?.test === "cragg-donald-f" ? "Weak-ID F used (Cragg–Donald)" : "Kleibergen–Paap rk Wald F (weak identification)",
    statistic: d.weakIdF?.stat ?? NaN,
    p: NaN,
    distribution: "",
    note: d.stockYogo ? `Stock–Yogo 10% max IV size: ${d.stockYogo.ivSize?.["10"] ?? "–"}; 15%: ${d.stockYogo.ivSize?.["15"] ?? "–"}` : "",
  });
  add(
    d.overidentification?.test === "sargan" ? "Sargan (over-identification)" : "Hansen J (over-identification)",
    d.overidentification,
    d.overidentification?.kind === "invalid" ? "exactly identified" : "",
  );
  add("Endogeneity C statistic", d.endogeneity?.cStatistic);
  add("Anderson–Rubin test (β = 0)", d.andersonRubin?.test);
  const cs = d.andersonRubin?.confidenceSet;
  recs.push({
    test: "Anderson–Rubin confidence set",
    statistic: NaN,
    p: NaN,
    distribution: cs?.level ? `${cs.level * 100}%` : "",
    note:
      cs && cs.kind !== "invalid"
        ? `${cs.kind}: ${(cs.intervals as [number, number][]).map(([a, b]) => `[${a.toFixed(4)}, ${b.toFixed(4)}]`).join(" ∪ ")}`
        : "not available",
  });
  return dataTable(fromRecords(recs), { title, digits: { statistic: 3, p: 4 }, na: "–" });
}
