import { type Column, type Table, column, numeric, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { asArray, compositeKeys, groupRows, keyColumns, keysOf, numberAt } from "../data/keys";

/** Column names, crosswalk, NA rule and tolerance of `bartik`. */
export interface BartikOptions {
  /** Unit key column(s) of `shares` (city, or city × base year). Default "unit". */
  unit?: string | readonly string[];
  /** Industry column, in `shares` and `shifts` (the crosswalk maps between them). Default "ind". */
  industry?: string;
  /** Industry column of `shifts` if it differs from `industry`. */
  shiftIndustry?: string;
  /** Share column of `shares`. Default "share". */
  share?: string;
  /** Time column of `shifts`. Default "time". */
  time?: string;
  /** Shift column of `shifts`. Default "shift". */
  shift?: string;
  /** Crosswalk source → target with weights; columns `from`, `to`, `weight` unless renamed. */
  crosswalk?: Table;
  crosswalkColumns?: { from?: string; to?: string; weight?: string };
  /** How NA shares / missing shifts of matched industries are treated. Default "propagate". */
  na?: "propagate" | "skip";
  /** Tolerance for "shares sum to ≤ 1" and "crosswalk weights sum to 1". Default 1e-9. */
  tolerance?: number;
}

/** A share industry that met no shift (or no crosswalk row), with the share mass lost. */
export interface UnmatchedIndustry {
  industry: string;
  /** Why: no crosswalk row for the source industry, or no shift for the (target) industry. */
  reason: "not in crosswalk" | "no shift";
  /** Share rows carrying it. */
  rows: number;
  /** Σ of its (non-NA) shares over all units, i.e. the share mass that is lost. */
  shareMass: number;
}

/** Everything `bartik` matched, dropped or warned about. */
export interface BartikReport {
  shareRows: number;
  units: number;
  times: number[];
  unmatched: UnmatchedIndustry[];
  /** Number of share rows whose industry is unmatched. */
  unmatchedRows: number;
  /** Shift industries that no share row reaches. */
  unusedShiftIndustries: string[];
  /** Source industries whose crosswalk weights do not sum to 1, with the sum. */
  crosswalkWeightSums: { from: string; sum: number }[];
  /** Units whose shares sum to more than 1 + tolerance, with the sum. */
  unitsShareSumAbove1: { unit: string; sum: number }[];
  negativeShareRows: number;
  naShareRows: number;
  /** (unit, time) cells where a matched industry had no or an NA shift. */
  naShiftCells: number;
  warnings: string[];
}

export interface BartikResult {
  table: Table;
  report: BartikReport;
}

/**
 * Bartik (shift-share) measure of virtual agglomeration, EQ eq. (22)
 * (Zhao, Ban, Li & Liu 2022, *Economic Management* 44(7), §3 "核心解释变量"); the shift-share
 * design of Bartik (1991, Who Benefits from State and Local Economic Development Policies?,
 * W.E. Upjohn Institute), as analysed by Goldsmith-Pinkham, Sorkin & Swift (2020, AER 110(8)):
 *
 *   vagg_ct = Σ_s share_{s,c,base} · shift_{s,t},   share_{s,c,base} = output_{s,c,2004} / output_{c,2004}
 *
 * Shares are base-period (2004 census) city × industry output shares, shifts the industry's
 * direct input coefficient of digital services in year t (see {@link digitalShift}). Both
 * inputs are long tables. An optional crosswalk maps the share industries (e.g. CIC-4,
 * GB/T 4754-2002) onto the shift industries (ISIC Rev.4 2-digit groups, as in the paper's
 * footnote ①): the share of source industry a is split over targets b with weights w_ab,
 * share_{b,c} = Σ_a share_{a,c} · w_ab.
 *
 * Conventions (all counted in the report, nothing dropped silently):
 * - a share industry with no crosswalk row, or whose (crosswalked) industry has no shift at any
 *   time, is *unmatched*: it contributes nothing and is listed with its row count and share mass;
 * - crosswalk weights of a source industry that do not sum to 1 (±`tolerance`) are reported;
 * - a unit whose shares sum to more than 1 + `tolerance`, or has a negative share, is reported
 *   (warning; the sum is still computed);
 * - NA shares and NA/missing shifts of matched industries: `na: "propagate"` (default) makes the
 *   affected vagg NaN; `na: "skip"` treats them as contributing 0 (and counts them);
 * - duplicate (unit, industry) share rows or duplicate (industry, time) shift rows are a DataError.
 * The output has one row per unit × time (times ascending), the unit key columns, the time
 * column, `vagg`, and `matched_share` (the share mass that met a shift at that time).
 *
 * @example
 *   const shares = fromRecords([
 *     { unit: "A", ind: "x", share: 0.6 }, { unit: "A", ind: "y", share: 0.4 },
 *     { unit: "B", ind: "x", share: 1.0 }]);
 *   const shifts = fromRecords([{ ind: "x", time: 2005, shift: 0.1 }, { ind: "y", time: 2005, shift: 0.3 }]);
 *   bartik(shares, shifts).table; // A: 0.6·0.1 + 0.4·0.3 = 0.18;  B: 1.0·0.1 = 0.10
 */
export function bartik(shares: Table, shifts: Table, options: BartikOptions = {}): BartikResult {
  const unitNames = asArray(options.unit ?? "unit");
  const indName = options.industry ?? "ind";
  const shiftIndName = options.shiftIndustry ?? indName;
  const shareName = options.share ?? "share";
  const timeName = options.time ?? "time";
  const shiftName = options.shift ?? "shift";
  const na = options.na ?? "propagate";
  const tol = options.tolerance ?? 1e-9;
  if (na !== "propagate" && na !== "skip") throw new ArgumentError(`na must be "propagate" or "skip", got "${String(na)}"`);

  // ---- shares
  const unitKeys = compositeKeys(shares, unitNames);
  const shareInd = keysOf(column(shares, indName));
  const shareVal = numeric(shares, shareName);
  const units = groupRows(unitKeys);
  for (let i = 0; i < shares.nrows; i++) {
    if (unitKeys[i] === null) throw new DataError("NA in the unit key", { file: shares.source, column: unitNames.join(","), row: i + 1 });
    if (shareInd[i] === null) throw new DataError("NA industry", { file: shares.source, column: indName, row: i + 1 });
  }

  // ---- crosswalk
  let cw: Map<string, { to: string; w: number }[]> | null = null;
  const crosswalkWeightSums: { from: string; sum: number }[] = [];
  if (options.crosswalk) {
    const c = options.crosswalk;
    const cn = {
      from: options.crosswalkColumns?.from ?? "from",
      to: options.crosswalkColumns?.to ?? "to",
      weight: options.crosswalkColumns?.weight ?? "weight",
    };
    const from = keysOf(column(c, cn.from));
    const to = keysOf(column(c, cn.to));
    const w = numeric(c, cn.weight);
    cw = new Map();
    for (let i = 0; i < c.nrows; i++) {
      const f = from[i];
      const tt = to[i];
      const wi = w[i] as number;
      if (f === null || f === undefined || tt === null || tt === undefined || !Number.isFinite(wi))
        throw new DataError("NA or non-finite value in the crosswalk", { file: c.source, row: i + 1 });
      let l = cw.get(f);
      if (!l) cw.set(f, (l = []));
      l.push({ to: tt, w: wi });
    }
    for (const [f, l] of cw) {
      const s = l.reduce((a, b) => a + b.w, 0);
      if (Math.abs(s - 1) > tol) crosswalkWeightSums.push({ from: f, sum: s });
    }
  }

  // ---- shifts
  const sInd = keysOf(column(shifts, shiftIndName));
  const sTimeCol = column(shifts, timeName);
  const sVal = numeric(shifts, shiftName);
  const timeSet = new Set<number>();
  const shiftMap = new Map<string, Map<number, number>>();
  for (let i = 0; i < shifts.nrows; i++) {
    const k = sInd[i];
    const t = numberAt(sTimeCol, i, shifts.source, timeName);
    if (k === null || k === undefined || Number.isNaN(t)) throw new DataError("NA industry or time", { file: shifts.source, row: i + 1 });
    timeSet.add(t);
    let m = shiftMap.get(k);
    if (!m) shiftMap.set(k, (m = new Map()));
    if (m.has(t)) throw new DataError(`duplicate shift for industry "${k}", time ${t}`, { file: shifts.source, row: i + 1 });
    m.set(t, sVal[i] as number);
  }
  const times = [...timeSet].sort((a, b) => a - b);
  const T = times.length;

  // ---- per unit: target-industry shares
  const unmatched = new Map<string, UnmatchedIndustry>();
  const used = new Set<string>();
  let unmatchedRows = 0;
  let negativeShareRows = 0;
  let naShareRows = 0;
  const unitsShareSumAbove1: { unit: string; sum: number }[] = [];
  const U = units.keys.length;
  const vagg = new Float64Array(U * T);
  const matched = new Float64Array(U * T);
  let naShiftCells = 0;
  const noteUnmatched = (ind: string, reason: UnmatchedIndustry["reason"], s: number) => {
    let u = unmatched.get(ind + "\u0000" + reason);
    if (!u) unmatched.set(ind + "\u0000" + reason, (u = { industry: ind, reason, rows: 0, shareMass: 0 }));
    u.rows++;
    if (!Number.isNaN(s)) u.shareMass += s;
    unmatchedRows++;
  };
  for (let g = 0; g < U; g++) {
    const rows = units.rows[g] as number[];
    const target = new Map<string, number>();
    const seen = new Set<string>();
    let sum = 0;
    let hasNA = false;
    for (const i of rows) {
      const ind = shareInd[i] as string;
      if (seen.has(ind))
        throw new DataError(`duplicate share row for unit "${units.keys[g]}", industry "${ind}"`, { file: shares.source, row: i + 1 });
      seen.add(ind);
      const s = shareVal[i] as number;
      if (Number.isNaN(s)) naShareRows++;
      else {
        sum += s;
        if (s < 0) negativeShareRows++;
      }
      const dests = cw ? cw.get(ind) : [{ to: ind, w: 1 }];
      if (!dests) {
        noteUnmatched(ind, "not in crosswalk", s);
        continue;
      }
      let anyShift = false;
      for (const d of dests) {
        if (!shiftMap.has(d.to)) continue;
        anyShift = true;
        used.add(d.to);
        if (Number.isNaN(s)) {
          if (na === "propagate") hasNA = true;
          continue;
        }
        target.set(d.to, (target.get(d.to) ?? 0) + s * d.w);
      }
      if (!anyShift) noteUnmatched(cw ? dests.map((d) => d.to).join("|") + ` (from ${ind})` : ind, "no shift", s);
    }
    if (sum > 1 + tol) unitsShareSumAbove1.push({ unit: units.keys[g] as string, sum });
    for (let t = 0; t < T; t++) {
      const time = times[t] as number;
      let v = 0;
      let m = 0;
      let cellNA = hasNA;
      for (const [ind, s] of target) {
        const sh = (shiftMap.get(ind) as Map<number, number>).get(time);
        if (sh === undefined || Number.isNaN(sh)) {
          naShiftCells++;
          if (na === "propagate") cellNA = true;
          continue;
        }
        v += s * sh;
        m += s;
      }
      vagg[g * T + t] = cellNA ? NaN : v;
      matched[g * T + t] = m;
    }
  }

  // ---- output
  const rep = new Int32Array(U * T);
  const timeOut = new Float64Array(U * T);
  for (let g = 0; g < U; g++)
    for (let t = 0; t < T; t++) {
      rep[g * T + t] = units.first[g] as number;
      timeOut[g * T + t] = times[t] as number;
    }
  const cols: Record<string, Column> = keyColumns(shares, unitNames, rep);
  cols[timeName] = timeOut;
  cols["vagg"] = vagg;
  cols["matched_share"] = matched;
  const unusedShiftIndustries = [...shiftMap.keys()].filter((k) => !used.has(k));
  const unmatchedList = [...unmatched.values()];
  const warnings: string[] = [];
  if (unmatchedList.length)
    warnings.push(
      `${unmatchedList.length} share industries (${unmatchedRows} rows) unmatched: ${unmatchedList
        .slice(0, 8)
        .map((u) => u.industry)
        .join(", ")}${unmatchedList.length > 8 ? ", …" : ""}`,
    );
  if (unitsShareSumAbove1.length) warnings.push(`${unitsShareSumAbove1.length} units have shares summing to more than 1`);
  if (negativeShareRows) warnings.push(`${negativeShareRows} negative share rows`);
  if (naShareRows) warnings.push(`${naShareRows} NA share rows (${na})`);
  if (naShiftCells) warnings.push(`${naShiftCells} unit-time cells met an NA/missing shift (${na})`);
  if (crosswalkWeightSums.length) warnings.push(`${crosswalkWeightSums.length} crosswalk source industries have weights not summing to 1`);
  return {
    table: table(cols, shares.source),
    report: {
      shareRows: shares.nrows,
      units: U,
      times,
      unmatched: unmatchedList,
      unmatchedRows,
      unusedShiftIndustries,
      crosswalkWeightSums,
      unitsShareSumAbove1,
      negativeShareRows,
      naShareRows,
      naShiftCells,
      warnings,
    },
  };
}

/** Input industries with their splitting coefficients κ, and column names of `digitalShift`. */
export interface DigitalShiftOptions {
  /** Input industry → splitting coefficient κ (a number, or year → κ). */
  inputs: Record<string, number | Record<string, number>>;
  columns?: { time?: string; input?: string; use?: string; value?: string };
}

/**
 * The digital-service "shift" of EQ eq. (22): for each using industry s and year t,
 *
 *   Virtual_{s,t} = Σ_k κ_{k,t} · a_{k→s,t}
 *
 * where a is the direct input coefficient of digital input k into s (OECD IOT 2021, China:
 * `oecd_iot2021_chn_digital_coef.csv`, column `a` = z/output) and κ the splitting coefficient:
 * 1 for purely digital inputs (D61 telecom, D62T63 IT/information services) and the digital
 * (e-commerce) fraction for wholesale/retail. The paper splits G46/G47 with coefficients from
 * the China Economic Census Yearbook following Xu & Zhang (2020); the OECD 2021 edition has
 * G45–47 only as one row (D45T47), so one κ (per year if given as a record) applies to it.
 * Inputs not listed in `inputs` are ignored (e.g. D58T60 publishing/broadcasting, which the paper
 * does not use). A listed input missing for a (use, year) makes that shift NaN and is counted.
 *
 * @example
 *   digitalShift(coefs, { inputs: { D61: 1, D62T63: 1, D45T47: 0.1 } });
 *   // use D26, 2005: 1·a(D61) + 1·a(D62T63) + 0.1·a(D45T47)
 */
export function digitalShift(coefs: Table, options: DigitalShiftOptions): { table: Table; missingInputs: number } {
  const cn = {
    time: options.columns?.time ?? "year",
    input: options.columns?.input ?? "input_isic4",
    use: options.columns?.use ?? "use_isic4",
    value: options.columns?.value ?? "a",
  };
  const inputs = Object.keys(options.inputs);
  if (inputs.length === 0) throw new ArgumentError("digitalShift: no inputs given");
  const tc = column(coefs, cn.time);
  const ic = keysOf(column(coefs, cn.input));
  const uc = keysOf(column(coefs, cn.use));
  const a = numeric(coefs, cn.value);
  const cells = new Map<string, { use: string; time: number; parts: Map<string, number> }>();
  for (let i = 0; i < coefs.nrows; i++) {
    const inp = ic[i];
    if (inp === null || inp === undefined || !(inp in options.inputs)) continue;
    const t = numberAt(tc, i, coefs.source, cn.time);
    const u = uc[i];
    if (u === null || u === undefined || Number.isNaN(t))
      throw new DataError("NA use industry or year", { file: coefs.source, row: i + 1 });
    const key = u + "\u001f" + t;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { use: u, time: t, parts: new Map() }));
    if (c.parts.has(inp))
      throw new DataError(`duplicate coefficient for input "${inp}", use "${u}", year ${t}`, { file: coefs.source, row: i + 1 });
    c.parts.set(inp, a[i] as number);
  }
  const list = [...cells.values()].sort((x, y) => (x.use < y.use ? -1 : x.use > y.use ? 1 : x.time - y.time));
  const use: string[] = [];
  const time = new Float64Array(list.length);
  const shift = new Float64Array(list.length);
  let missingInputs = 0;
  list.forEach((c, r) => {
    use.push(c.use);
    time[r] = c.time;
    let v = 0;
    for (const k of inputs) {
      const spec = options.inputs[k] as number | Record<string, number>;
      const kappa = typeof spec === "number" ? spec : spec[String(c.time)];
      if (kappa === undefined) throw new ArgumentError(`no splitting coefficient for input "${k}" in year ${c.time}`);
      const ak = c.parts.get(k);
      if (ak === undefined) {
        missingInputs++;
        v = NaN;
        continue;
      }
      v += kappa * ak;
    }
    shift[r] = v;
  });
  return { table: table({ ind: use, time, shift }, coefs.source), missingInputs };
}
