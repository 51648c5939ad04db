import { Table, numeric, table } from "../../data/table";
import { ArgumentError, DataError } from "../../util/errors";
import { groupByColumn } from "../../data/keys";
import { logit, LogitResult } from "./logit";
import { kernelMatch, nearestNeighbor, MatchResult, NearestOptions } from "./match";
import { mapF64From } from "../../util/typed-map";

/** Options of `psmDid`: group indicator, year, covariates, mode and matching method. */
export interface PsmDidOptions {
  readonly treat: string;
  readonly year: string;
  readonly covariates: readonly string[];
  readonly method?: "nearest" | "kernel";
  readonly nearest?: NearestOptions;
  /**
   * Distance the matching (and its caliper) works on: `"ps"` (default) the fitted probability,
   * `"logit"` its log-odds ln(p/(1 − p)) — Austin (2011, Pharm. Stat. 10:150) recommends a caliper
   * of 0.2 SD of the logit: `{ distance: "logit", nearest: { caliper: 0.2, caliperScale: "sd" } }`.
   */
  readonly distance?: "ps" | "logit";
  readonly bandwidth?: number;
  readonly mode?: "yearly" | "baseline";
  readonly unit?: string;
  readonly baselineYear?: number;
}
/** Matched rows with weights and the per-year (or baseline) matching report. */
export interface PsmDidResult {
  /** Weight per table row (0 = not matched). */
  readonly weights: Float64Array;
  /** Score per table row (NaN where no model was fitted / NA covariates). */
  readonly score: Float64Array;
  /** Rows with weight > 0, in table order. */
  readonly rows: Int32Array;
  readonly rowWeights: Float64Array;
  readonly byYear: Table;
  readonly models: ReadonlyMap<number, LogitResult>;
  readonly matches: ReadonlyMap<number, MatchResult>;
}

/**
 * PSM-DID sample construction (RS §4.2: smart-city pilot, "PSM-DID"; Heckman, Ichimura &
 * Todd 1997, Review of Economic Studies 64(4), for matching + differences). Pure data preparation: it returns which rows (and
 * with which weights) enter the later DID regression; it estimates nothing about the outcome.
 *
 * `treat` is the GROUP indicator (1 for cities that are ever in the pilot, 0 never-treated),
 * constant within unit, not the post × treat interaction.
 *
 * Modes:
 *  - `"yearly"` (default; the period-by-period matching common in the Chinese PSM-DID
 *    literature): in each year a logit of `treat` on the covariates is fitted on that year's
 *    rows and treated rows are matched to control rows of the same year. A row's weight is
 *    its match weight in its own year (0 = not in the matched sample).
 *  - `"baseline"`: one logit and one match in `baselineYear` (a pre-treatment year); every
 *    row of a matched unit, in every year, gets that unit's baseline weight. Needs `unit`.
 *
 * Matching: `method: "nearest"` (options as in `nearestNeighbor`; default 1:1 without
 * replacement, descending score order, no caliper) or `"kernel"` (Epanechnikov, `bandwidth`).
 * A year in which the logit does not converge or shows separation is still used but flagged
 * in `byYear` (columns converged, separation) — check it.
 *
 * @example
 *   const s = psmDid(t, { treat: "pilot", year: "year", covariates: ["pop", "open", "wage"], nearest: { caliper: 0.05 } });
 *   const matched = takeRows(t, s.rows);   // the DID sample
 *   s.rowWeights;                           // its weights (aligned with s.rows)
 *   toRecords(s.byYear);                    // per year: nTreated, nControl, nMatchedTreated, ...
 */
export function psmDid(t: Table, o: PsmDidOptions): PsmDidResult {
  const mode = o.mode ?? "yearly";
  const method = o.method ?? "nearest";
  if (method !== "nearest" && method !== "kernel") throw new ArgumentError(`method must be "nearest" or "kernel", got "${String(method)}"`);
  if (mode !== "yearly" && mode !== "baseline") throw new ArgumentError(`mode must be "yearly" or "baseline", got "${String(mode)}"`);
  const distance = o.distance ?? "ps";
  if (distance !== "ps" && distance !== "logit") throw new ArgumentError(`distance must be "ps" or "logit", got "${String(distance)}"`);
  const d = numeric(t, o.treat);
  const years = groupByColumn(t, o.year);
  const n = t.nrows;
  const weights = new Float64Array(n);
  const score = new Float64Array(n).fill(NaN);
  const models = new Map<number, LogitResult>();
  const matches = new Map<number, MatchResult>();
  const info = {
    year: [] as number[],
    nTreated: [] as number[],
    nControl: [] as number[],
    nMatchedTreated: [] as number[],
    nMatchedControl: [] as number[],
    converged: [] as number[],
    separation: [] as number[],
  };

  const fitYear = (yKey: string, rows: number[]) => {
    const m = logit(t, o.treat, o.covariates, { subset: rows });
    const s = new Float64Array(n).fill(NaN);
    const tr = new Float64Array(n).fill(NaN);
    m.rows.forEach((r, q) => {
      const p = m.fitted[q] as number;
      s[r] = distance === "logit" ? Math.log(p / (1 - p)) : p;
      tr[r] = d[r] as number;
      score[r] = m.fitted[q] as number;
    });
    let mr: MatchResult;
    try {
      mr = method === "nearest" ? nearestNeighbor(s, tr, o.nearest) : kernelMatch(s, tr, { bandwidth: o.bandwidth });
    } catch (e) {
      if (e instanceof DataError) throw new DataError(`year ${yKey}: ${e.detail}`, { file: t.source, column: o.treat });
      throw e;
    }
    const y = Number(yKey);
    models.set(y, m);
    matches.set(y, mr);
    info.year.push(y);
    info.nTreated.push(mr.nTreated);
    info.nControl.push(mr.nControl);
    info.nMatchedTreated.push(mr.nMatchedTreated);
    info.nMatchedControl.push(mr.nMatchedControl);
    info.converged.push(m.converged ? 1 : 0);
    info.separation.push(m.separation ? 1 : 0);
    return mr;
  };

  if (mode === "yearly") {
    const keys = [...years.keys()].sort((a, b) => Number(a) - Number(b));
    for (const k of keys) {
      const mr = fitYear(k, years.get(k) as number[]);
      for (const r of years.get(k) as number[]) weights[r] = mr.weights[r] as number;
    }
  } else {
    if (!o.unit) throw new ArgumentError('mode "baseline" needs the unit column (option `unit`)');
    if (o.baselineYear === undefined) throw new ArgumentError('mode "baseline" needs `baselineYear`');
    const rows = years.get(String(o.baselineYear));
    if (!rows) throw new DataError(`baseline year ${o.baselineYear} not in the data`, { file: t.source, column: o.year });
    const mr = fitYear(String(o.baselineYear), rows);
    const units = groupByColumn(t, o.unit);
    const inBase = new Set(rows);
    for (const [u, ur] of units) {
      const base = ur.filter((r) => inBase.has(r));
      const w = base.length ? (mr.weights[base[0] as number] as number) : 0;
      for (const r of ur) {
        if (d[r] !== d[ur[0] as number])
          throw new DataError(`treatment group varies within unit "${u}"`, { file: t.source, column: o.treat, row: r + 1 });
        weights[r] = w;
      }
    }
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if ((weights[i] as number) > 0) keep.push(i);
  return {
    weights,
    score,
    rows: Int32Array.from(keep),
    rowWeights: mapF64From(keep, (i) => weights[i] as number),
    byYear: table({
      year: Int32Array.from(info.year),
      nTreated: Int32Array.from(info.nTreated),
      nControl: Int32Array.from(info.nControl),
      nMatchedTreated: Int32Array.from(info.nMatchedTreated),
      nMatchedControl: Int32Array.from(info.nMatchedControl),
      converged: Int32Array.from(info.converged),
      separation: Int32Array.from(info.separation),
    }),
    models,
    matches,
  };
}
