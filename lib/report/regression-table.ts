import { ArgumentError } from "../util/errors";
import { suggest } from "../data/table";
import { DEFAULT_STARS, countCell, formatCount, formatNumber, stars as starsFor } from "./format";
import type { BodyRow, Cell, HeaderCell, Lang, ReportTable, TidyRow } from "./model";

export type { Lang } from "./model";

/**
 * What a regression table needs from an estimate. `FeolsResult` (lib/estimators/feols.ts)
 * satisfies it; so does any IV or other result with the same fields. Only `coef`, `se`,
 * `pvalue` and `nobs` are required.
 */
export interface RegressionModel {
  readonly coef: Readonly<Record<string, number>>;
  readonly se: Readonly<Record<string, number>>;
  readonly pvalue: Readonly<Record<string, number>>;
  readonly tstat?: Readonly<Record<string, number>>;
  /** Coefficient order; defaults to the key order of `coef`. */
  readonly coefNames?: readonly string[];
  readonly nobs: number;
  readonly r2?: number;
  readonly adjR2?: number;
  readonly withinR2?: number;
  readonly depvar?: string;
  readonly fixef?: { readonly names: readonly string[] };
  /**
   * Degrees-of-freedom audit; `G` (clusters per cluster variable) feeds the "clusters" statistic
   * and names the cluster level in the Chinese SE note.
   */
  readonly dof?: { readonly G?: Readonly<Record<string, number>> };
  /** How the SEs were computed ("IID", "Heteroskedasticity-robust", "Clustered (city)"), as `FeolsResult.vcovType`. */
  readonly vcovType?: string;
}
export type StatKey = "nobs" | "r2" | "adjR2" | "withinR2" | "clusters";

/** A Yes/No row. Give `values` (one per model), or `vars`: "Yes" when the model has all these coefficients. */
export interface IndicatorRow {
  readonly label: string;
  readonly values?: readonly (boolean | string | null | undefined)[];
  readonly vars?: readonly string[];
}

/** A free row (e.g. "KP rk LM", "Published", "True value (DGP)", "Empirical p-value"). Numbers are formatted with `digits`. */
export interface ExtraRow {
  readonly label: string;
  readonly values: readonly (string | number | null | undefined)[];
  readonly digits?: number;
  /** Where the row goes: right after the coefficients, after the indicator rows, or at the end (default). */
  readonly position?: "afterCoefs" | "afterIndicators" | "end";
}

export interface ColumnGroup {
  readonly label: string;
  /** Number of model columns the group covers. */
  readonly span: number;
}

export interface RegressionTableOptions {
  readonly title?: string;
  /** Notes printed under the table (after the star note). */
  readonly notes?: readonly string[];
  /** Add the standard note on what is in parentheses and what the stars mean (default true). */
  readonly starNote?: boolean;
  /** Coefficients to show, in this order (names or regular expressions). Default: all, intercept last. */
  readonly keep?: readonly (string | RegExp)[];
  /** Coefficients to hide (applied after `keep`). */
  readonly drop?: readonly (string | RegExp)[];
  /**
   * Row labels for coefficient names (and for dependent-variable names in the depvar row), e.g.
   * `{ vagg: "虚拟集聚" }`. Empty labels are ignored, so a .dta file's variable labels can be
   * passed as they are (`labels: readDta(f).meta.variableLabels`).
   */
  readonly labels?: Readonly<Record<string, string>>;
  /** Decimals of coefficients and SEs (default 4, as the papers print). */
  readonly digits?: number;
  /** Decimals of R² and similar statistics (default `digits`). */
  readonly statDigits?: number;
  /** Star thresholds `[p, symbol]`, or false for none. Default 0.01 ***, 0.05 **, 0.1 *. */
  readonly stars?: false | readonly (readonly [number, string])[];
  /** What goes in parentheses under each coefficient (default "se"). */
  readonly below?: "se" | "t" | "p" | "none";
  /** Header row "(1) (2) …" (default true). */
  readonly columnNumbers?: boolean;
  /** A header row of column labels, one per model. */
  readonly headers?: readonly string[];
  /** A header row with each model's dependent variable (relabelled through `labels`). */
  readonly depvarRow?: boolean;
  /** Column-group headers spanning adjacent models (spans must add up to the number of models). */
  readonly groups?: readonly ColumnGroup[];
  /** Text of the stub (first) column in the last header row (default "" in English, "变量" in Chinese). */
  readonly stubHeader?: string;
  /** Indicator rows for controls and the like. Variables named in `vars` are hidden from the coefficient rows unless `keep` names them. */
  readonly indicators?: readonly IndicatorRow[];
  /**
   * Fixed-effect indicator rows: "auto" (default) gives one row per fixed effect found in any model;
   * a record maps a row label to the FE name(s) that must all be present; false for none.
   */
  readonly fixef?: "auto" | false | Readonly<Record<string, string | readonly string[]>>;
  /** Labels for automatic FE rows (FE name → whole row label, e.g. `{ "province^year": "省份×年份固定效应" }`). */
  readonly fixefLabels?: Readonly<Record<string, string>>;
  /**
   * Names of fixed-effect and cluster variables for the automatic FE rows ("<name> FE",
   * "<name>固定效应") and the Chinese SE note ("括号内为<name>层面聚类稳健标准误"). An interaction
   * "a^b" is named from its parts ("城市×产品(HS4)"). With `lang: "zh"` these are merged over
   * `ZH_VAR_NAMES` (city → 城市, year → 年份, hs4 → 产品(HS4), province → 省份, …).
   */
  readonly varNames?: Readonly<Record<string, string>>;
  /**
   * Chinese SE note: the cluster level as printed ("城市×HS4"), or false to leave the level out.
   * Default: from the models' cluster variables (`dof.G`) through `varNames`, when all models
   * cluster by the same variables.
   */
  readonly clusterLabel?: string | false;
  /** Statistics rows (default ["nobs", "r2"]). */
  readonly stats?: readonly StatKey[];
  readonly statLabels?: Partial<Readonly<Record<StatKey, string>>>;
  readonly extra?: readonly ExtraRow[];
  /**
   * Language of the words the table adds itself (default "en"). "zh" follows Chinese journals:
   * stub header 变量, FE rows 城市固定效应 etc. with 是/否, 观测值, R², 组内R², 聚类数, and the notes
   * 括号内为(…层面)聚类稳健标准误 and *、**、*** 分别表示 10%、5%、1% 的显著性水平.
   */
  readonly lang?: Lang;
  /** Text for a missing value (default ""). */
  readonly na?: string;
}

/**
 * Chinese names of the fixed-effect and cluster variables the papers use, for FE rows
 * ("城市固定效应") and the SE note ("城市层面聚类稳健标准误"); extend or override with `varNames`.
 */
export const ZH_VAR_NAMES: Readonly<Record<string, string>> = Object.freeze({
  city: "城市",
  year: "年份",
  hs4: "产品(HS4)",
  hs6: "产品(HS6)",
  hs2: "行业(HS2)",
  province: "省份",
  firm: "企业",
  industry: "行业",
  country: "国家",
  region: "地区",
  month: "月份",
});

/** The SE note's words for the kind of standard error, from `vcovType`. */
type SeKind = { readonly kind: "iid" | "hetero" | "cluster"; readonly level?: string };

const WORDS = {
  en: {
    yes: "Yes",
    no: "No",
    constant: "Constant",
    stub: "",
    join: "^",
    fe: (n: string) => `${n} FE`,
    stats: { nobs: "N", r2: "R²", adjR2: "Adj. R²", withinR2: "Within R²", clusters: "Clusters" } as Record<StatKey, string>,
    below: { se: "Standard errors", t: "t statistics", p: "p-values", none: "" },
    inParens: (what: string, _se?: SeKind) => `${what} in parentheses.`,
    starNote: (th: readonly (readonly [number, string])[]) => th.map(([p, s]) => `${s} p<${p}`).join(", ") + ".",
  },
  zh: {
    yes: "是",
    no: "否",
    constant: "常数项",
    stub: "变量",
    join: "×",
    fe: (n: string) => `${n}固定效应`,
    stats: { nobs: "观测值", r2: "R²", adjR2: "调整R²", withinR2: "组内R²", clusters: "聚类数" } as Record<StatKey, string>,
    below: { se: "标准误", t: "t值", p: "p值", none: "" },
    inParens: (what: string, se?: SeKind) => {
      if (what !== "标准误" || !se || se.kind === "iid") return `括号内为${what}；`;
      if (se.kind === "hetero") return "括号内为异方差稳健标准误；";
      const lv = se.level ?? "";
      return `括号内为${lv}${lv === "" ? "" : /[A-Za-z0-9]$/.test(lv) ? " 层面" : "层面"}聚类稳健标准误；`;
    },
    // largest p first, as Chinese journals print it: "*、**、*** 分别表示 10%、5%、1% 的显著性水平。"
    starNote: (th: readonly (readonly [number, string])[]) => {
      const d = [...th].reverse();
      return `${d.map(([, s]) => s).join("、")} 分别表示 ${d.map(([p]) => `${+(p * 100).toFixed(6)}%`).join("、")} 的显著性水平。`;
    },
  },
};

/**
 * The kind of standard error all models share, for the SE note: clustered (by the same variables
 * in every model, named through `nameOf`), heteroskedasticity-robust or i.i.d.; undefined when
 * the models differ or do not say.
 */
function seKindOf(
  models: readonly RegressionModel[],
  nameOf: (v: string) => string,
  clusterLabel: string | false | undefined,
): SeKind | undefined {
  const kinds = models.map((m): SeKind["kind"] | undefined => {
    if (m.dof?.G && Object.keys(m.dof.G).length) return "cluster";
    const v = m.vcovType ?? "";
    if (/^clustered|clustered \(/i.test(v)) return "cluster";
    if (/^hetero/i.test(v)) return "hetero";
    if (/^iid$/i.test(v)) return "iid";
    return undefined;
  });
  const k = kinds[0];
  if (k === undefined || kinds.some((x) => x !== k)) return undefined;
  if (k !== "cluster") return { kind: k };
  if (clusterLabel === false) return { kind: k };
  if (clusterLabel !== undefined) return { kind: k, level: clusterLabel };
  const keys = models.map((m) => Object.keys(m.dof?.G ?? {}).join("|"));
  if (keys[0] === "" || keys.some((x) => x !== keys[0])) return { kind: k };
  return { kind: k, level: (keys[0] as string).split("|").map(nameOf).join("、") };
}

const INTERCEPT = "(Intercept)";

function matches(name: string, pat: string | RegExp): boolean {
  return typeof pat === "string" ? name === pat : pat.test(name);
}

function namesOf(m: RegressionModel): readonly string[] {
  return m.coefNames ?? Object.keys(m.coef);
}

/**
 * A multi-column regression table in the three-line style of Chinese journals: coefficient
 * with stars, SE in parentheses below, indicator rows for controls and fixed effects, N, R²,
 * extra rows, column and group headers, title and notes. Render it with `toHtml`, `toLatex`,
 * `toMarkdown`, `toCsv`, `toDocx` or `toText`.
 *
 * Stars use strict inequalities: p = 0.05 exactly gets `*`, not `**`.
 *
 * With `lang: "zh"` the words the table adds are Chinese (see `lang`): stub header 变量, FE rows
 * named through `varNames`/`ZH_VAR_NAMES` (城市固定效应 是/否), 观测值, R², 组内R², 聚类数, and the
 * notes name the cluster level when every model clusters by the same variables
 * ("括号内为城市×产品(HS4)层面聚类稳健标准误；*、**、*** 分别表示 10%、5%、1% 的显著性水平。").
 * Variable labels come from `labels` (a .dta file's `meta.variableLabels` works as is; the
 * column `Table` itself carries no labels).
 *
 * @example
 *   const m1 = feols(d, "quality ~ vagg | city + year");
 *   const m2 = feols(d, "quality ~ vagg + fdi + open | city + year");
 *   const t = regressionTable([m1, m2], {
 *     title: "表2 基准回归", keep: ["vagg"], labels: { vagg: "虚拟集聚" }, lang: "zh",
 *     indicators: [{ label: "控制变量", vars: ["fdi", "open"] }],
 *     extra: [{ label: "Published", values: [0.2013, 0.1818] }],
 *   });
 *   toHtml(t); toLatex(t); await toDocx(t);
 */
export function regressionTable(models: readonly RegressionModel[], opts: RegressionTableOptions = {}): ReportTable {
  if (models.length === 0) throw new ArgumentError("regressionTable needs at least one model");
  const k = models.length;
  const lang = opts.lang ?? "en";
  const W = WORDS[lang];
  const digits = opts.digits ?? 4;
  const statDigits = opts.statDigits ?? digits;
  const na = opts.na ?? "";
  const thresholds = opts.stars === false ? [] : (opts.stars ?? DEFAULT_STARS);
  const below = opts.below ?? "se";
  const labels: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(opts.labels ?? {}).filter(([, v]) => v !== ""));
  const names = { ...(lang === "zh" ? ZH_VAR_NAMES : {}), ...(opts.varNames ?? {}) };
  /** An FE or cluster variable's name; "a^b" from its parts when not named as a whole. */
  const nameOf = (v: string): string =>
    names[v] ??
    (v.includes("^") && v.split("^").some((p) => names[p] !== undefined)
      ? v
          .split("^")
          .map((p) => names[p] ?? p)
          .join(W.join)
      : v);
  const indicators = opts.indicators ?? [];
  const checkLen = (what: string, n: number) => {
    if (n !== k) throw new ArgumentError(`${what} has ${n} values but there are ${k} models`);
  };

  // ---- coefficient rows ----
  const all: string[] = [];
  for (const m of models) for (const n of namesOf(m)) if (!all.includes(n)) all.push(n);
  let shown: string[];
  if (opts.keep) {
    shown = [];
    for (const pat of opts.keep) {
      const hit = all.filter((n) => matches(n, pat));
      if (typeof pat === "string" && hit.length === 0)
        throw new ArgumentError(`keep: coefficient "${pat}" is in none of the models${suggest(pat, all)}`);
      for (const n of hit) if (!shown.includes(n)) shown.push(n);
    }
  } else {
    const hidden = new Set(indicators.flatMap((r) => r.vars ?? []));
    shown = all.filter((n) => n !== INTERCEPT && !hidden.has(n));
    if (all.includes(INTERCEPT)) shown.push(INTERCEPT);
  }
  if (opts.drop) shown = shown.filter((n) => !opts.drop!.some((p) => matches(n, p)));

  const body: BodyRow[] = [];
  for (const name of shown) {
    const label = labels[name] ?? (name === INTERCEPT ? W.constant : name);
    const top: Cell[] = [{ text: label }];
    const bot: Cell[] = [{ text: "" }];
    for (const m of models) {
      const b = m.coef[name];
      if (b === undefined) {
        top.push({ text: "" });
        bot.push({ text: "" });
        continue;
      }
      const s = starsFor(m.pvalue[name] ?? NaN, thresholds);
      top.push(s ? { text: formatNumber(b, digits, na), stars: s } : { text: formatNumber(b, digits, na) });
      const v =
        below === "se"
          ? m.se[name]
          : below === "t"
            ? (m.tstat?.[name] ?? b / (m.se[name] ?? NaN))
            : below === "p"
              ? m.pvalue[name]
              : undefined;
      const txt = formatNumber(v, digits, "");
      bot.push({ text: below === "none" || txt === "" ? "" : `(${txt})` });
    }
    body.push({ kind: "coef", cells: top });
    if (below !== "none") body.push({ kind: "se", cells: bot });
  }

  const extraRows = (pos: ExtraRow["position"]) => {
    for (const e of opts.extra ?? []) {
      if ((e.position ?? "end") !== pos) continue;
      checkLen(`extra row "${e.label}"`, e.values.length);
      const d = e.digits ?? digits;
      body.push({
        kind: "extra",
        cells: [{ text: e.label }, ...e.values.map((v) => ({ text: typeof v === "number" ? formatNumber(v, d, na) : (v ?? na) }))],
      });
    }
  };
  extraRows("afterCoefs");

  // ---- indicator rows: controls, then fixed effects ----
  const yn = (v: boolean | string | null | undefined): string => (typeof v === "boolean" ? (v ? W.yes : W.no) : (v ?? na));
  for (const r of indicators) {
    let vals: (boolean | string | null | undefined)[];
    if (r.values) {
      checkLen(`indicator row "${r.label}"`, r.values.length);
      vals = [...r.values];
    } else if (r.vars) {
      const vars = r.vars;
      vals = models.map((m) => vars.every((v) => m.coef[v] !== undefined));
    } else throw new ArgumentError(`indicator row "${r.label}" needs values or vars`);
    body.push({ kind: "indicator", cells: [{ text: r.label }, ...vals.map((v) => ({ text: yn(v) }))] });
  }
  const fe = opts.fixef ?? "auto";
  if (fe === "auto") {
    const feNames: string[] = [];
    for (const m of models) for (const n of m.fixef?.names ?? []) if (!feNames.includes(n)) feNames.push(n);
    for (const n of feNames)
      body.push({
        kind: "indicator",
        cells: [
          { text: opts.fixefLabels?.[n] ?? W.fe(nameOf(n)) },
          ...models.map((m) => ({ text: yn((m.fixef?.names ?? []).includes(n)) })),
        ],
      });
  } else if (fe !== false) {
    for (const [label, want] of Object.entries(fe)) {
      const ws = typeof want === "string" ? [want] : want;
      body.push({
        kind: "indicator",
        cells: [{ text: label }, ...models.map((m) => ({ text: yn(ws.every((w) => (m.fixef?.names ?? []).includes(w))) }))],
      });
    }
  }
  extraRows("afterIndicators");

  // ---- statistics ----
  for (const s of opts.stats ?? ["nobs", "r2"]) {
    const cells: Cell[] = [{ text: opts.statLabels?.[s] ?? W.stats[s] }];
    for (const m of models) {
      if (s === "nobs") {
        cells.push(countCell(m.nobs, na));
        continue;
      }
      if (s === "clusters") {
        const g = m.dof?.G;
        const gs = g ? Object.values(g) : [];
        cells.push(
          gs.length ? { text: gs.map((x) => formatCount(x)).join(" / "), plain: gs.map((x) => String(x)).join(" / ") } : { text: na },
        );
        continue;
      }
      cells.push({ text: formatNumber(m[s], statDigits, na) });
    }
    body.push({ kind: "stat", cells });
  }
  extraRows("end");

  // ---- header ----
  const header: HeaderCell[][] = [];
  if (opts.groups) {
    const total = opts.groups.reduce((a, g) => a + g.span, 0);
    if (total !== k) throw new ArgumentError(`column groups span ${total} columns but there are ${k} models`);
    header.push([{ text: "" }, ...opts.groups.map((g) => ({ text: g.label, span: g.span, rule: true }))]);
  }
  const numbers = opts.columnNumbers ?? true;
  if (numbers) header.push([{ text: "" }, ...models.map((_, i) => ({ text: `(${i + 1})` }))]);
  if (opts.headers) {
    checkLen("headers", opts.headers.length);
    header.push([{ text: "" }, ...opts.headers.map((h) => ({ text: h }))]);
  }
  if (opts.depvarRow)
    header.push([{ text: "" }, ...models.map((m) => ({ text: m.depvar !== undefined ? (labels[m.depvar] ?? m.depvar) : "" }))]);
  if (header.length === 0 || (header.length === 1 && opts.groups))
    header.push([{ text: "" }, ...models.map((_, i) => ({ text: `(${i + 1})` }))]);
  const last = header[header.length - 1] as HeaderCell[];
  const stub = opts.stubHeader ?? W.stub;
  if (stub) last[0] = { text: stub };

  // ---- notes ----
  const notes: string[] = [];
  if (opts.starNote ?? true) {
    const parts: string[] = [];
    if (below !== "none") parts.push(W.inParens(W.below[below], seKindOf(models, nameOf, opts.clusterLabel)));
    if (thresholds.length) parts.push(W.starNote([...thresholds].sort((a, b) => a[0] - b[0])));
    if (parts.length) notes.push(parts.join(lang === "zh" ? "" : " "));
  }
  notes.push(...(opts.notes ?? []));

  return {
    kind: "report-table",
    ncol: k + 1,
    title: opts.title,
    header,
    body,
    notes,
    ...(lang === "zh" ? { lang } : {}),
    tidy: tidyRows(models, shown, { ...opts, labels }, W.constant),
  };
}

const TIDY_COLUMNS = new Set([
  "panel",
  "model",
  "model_label",
  "group",
  "depvar",
  "term",
  "term_label",
  "estimate",
  "std_error",
  "statistic",
  "p_value",
  "nobs",
]);

/**
 * A label as a CSV column name: NFKD-normalised without accents (R² → r2, é → e), lower case, runs of anything but
 * letters and digits → "_", no leading/trailing "_".
 *
 * @example
 *   columnSlug("True (DGP)"); // "true_dgp"
 */
export function columnSlug(label: string): string {
  return label
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "_")
    .replace(/^_+|_+$/g, "");
}

/**
 * The tidy rows of a regression table (one per model × shown term, models in column order):
 * raw estimate, SE, statistic (the model's t, else estimate / SE), p-value and N, plus the
 * numeric per-model values the table prints — the R²-type statistics asked for in `stats`,
 * cluster counts, and every `extra` row whose values are all numbers or empty — under
 * `columnSlug` names (made unique, never one of the fixed tidy columns).
 */
function tidyRows(models: readonly RegressionModel[], shown: readonly string[], opts: RegressionTableOptions, constant: string): TidyRow[] {
  const groupOf: (string | undefined)[] = [];
  for (const g of opts.groups ?? []) for (let j = 0; j < g.span; j++) groupOf.push(g.label);
  const used = new Set(TIDY_COLUMNS);
  const key = (label: string): string => {
    let base = columnSlug(label) || "extra";
    if (TIDY_COLUMNS.has(base)) base = `extra_${base}`;
    let k = base;
    for (let n = 2; used.has(k); n++) k = `${base}_${n}`;
    used.add(k);
    return k;
  };
  const extras: Record<string, number>[] = models.map(() => ({}));
  const statKeys: Partial<Record<StatKey, string>> = { r2: "r2", adjR2: "adj_r2", withinR2: "within_r2" };
  for (const s of opts.stats ?? ["nobs", "r2"]) {
    if (s === "nobs") continue;
    if (s === "clusters") {
      const dims = [...new Set(models.flatMap((m) => Object.keys(m.dof?.G ?? {})))];
      for (const d of dims) {
        const k = key(dims.length === 1 ? "clusters" : `clusters ${d}`);
        models.forEach((m, i) => {
          const g = m.dof?.G?.[d];
          if (g !== undefined) (extras[i] as Record<string, number>)[k] = g;
        });
      }
      continue;
    }
    const k = key(statKeys[s] ?? s);
    models.forEach((m, i) => {
      const v = m[s];
      if (typeof v === "number" && !Number.isNaN(v)) (extras[i] as Record<string, number>)[k] = v;
    });
  }
  for (const e of opts.extra ?? []) {
    if (!e.values.every((v) => typeof v === "number" || v === null || v === undefined)) continue;
    const k = key(e.label);
    e.values.forEach((v, i) => {
      if (typeof v === "number" && !Number.isNaN(v)) (extras[i] as Record<string, number>)[k] = v;
    });
  }
  const rows: TidyRow[] = [];
  models.forEach((m, i) => {
    for (const name of shown) {
      const b = m.coef[name];
      if (b === undefined) continue;
      const se = m.se[name] ?? NaN;
      const extra = extras[i] as Record<string, number>;
      rows.push({
        model: i + 1,
        ...(opts.headers?.[i] !== undefined ? { modelLabel: opts.headers[i] } : {}),
        ...(groupOf[i] !== undefined ? { group: groupOf[i] } : {}),
        ...(m.depvar !== undefined ? { depvar: m.depvar } : {}),
        term: name,
        termLabel: opts.labels?.[name] ?? (name === INTERCEPT ? constant : name),
        estimate: b,
        stdError: se,
        statistic: m.tstat?.[name] ?? b / se,
        pValue: m.pvalue[name] ?? NaN,
        nobs: m.nobs,
        ...(Object.keys(extra).length ? { extra: Object.freeze({ ...extra }) } : {}),
      });
    }
  });
  return rows;
}
