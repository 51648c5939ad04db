import { type Table } from "../data/table";
import { evalTerm, parseFormula, type ParsedFormula } from "./formula";
import { buildModelFrame, type FrameOptions, type ModelFrame } from "./model-frame";
import { FormulaError } from "../util/errors";

/**
 * The outcomes and the right-hand side of a multiple-outcome formula `c(y1, y2, …) ~ rhs`
 * (fixest's syntax); a plain `y ~ rhs` gives one outcome.
 *
 * @example multipleOutcomes("c(quality, quality_true) ~ vagg | city + year")  // { outcomes: ["quality", "quality_true"], rhs: "vagg | city + year" }
 */
export function multipleOutcomes(formula: string): { outcomes: string[]; rhs: string } {
  const tilde = formula.indexOf("~");
  if (tilde < 0) throw new FormulaError(`no "~" in the formula`, { term: formula });
  const lhs = formula.slice(0, tilde).trim();
  const rhs = formula.slice(tilde + 1).trim();
  const m = /^c\(([\s\S]*)\)$/.exec(lhs);
  if (!m) return { outcomes: [lhs], rhs };
  // split at the commas outside parentheses: c(log(y), z)
  const outcomes: string[] = [];
  let depth = 0,
    from = 0;
  const inner = m[1] as string;
  for (let i = 0; i <= inner.length; i++) {
    const ch = inner[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth--;
    if (i === inner.length || (ch === "," && depth === 0)) {
      const y = inner.slice(from, i).trim();
      if (!y) throw new FormulaError(`an empty outcome in c(…)`, { term: lhs });
      outcomes.push(y);
      from = i + 1;
    }
  }
  if (new Set(outcomes).size !== outcomes.length) throw new FormulaError(`an outcome appears twice in c(…)`, { term: lhs });
  return { outcomes, rhs };
}

/** Per row: 0 finite, 1 NaN, 2 ±Inf (the model frame removes rows of the last two). */
function missingPattern(v: Float64Array): Uint8Array {
  const p = new Uint8Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as number;
    p[i] = Number.isNaN(x) ? 1 : Number.isFinite(x) ? 0 : 2;
  }
  return p;
}

function samePattern(a: Uint8Array, b: Uint8Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The frame of outcome `y` (raw values over the table's rows) on the rows of `frame`, whose outcome has the same missing rows. */
function frameWithOutcome(frame: ModelFrame, y: Float64Array, label: string, n0: number): ModelFrame {
  let yk = y;
  if (frame.n !== n0) {
    yk = new Float64Array(frame.n);
    for (let i = 0; i < frame.n; i++) yk[i] = y[frame.rows[i] as number] as number;
  }
  // the outcome's count under its own name, in the same place (the notes list them in this order)
  const rename = (by: Record<string, number>): Record<string, number> =>
    Object.fromEntries(Object.entries(by).map(([k, v]) => [k === frame.yName ? label : k, v]));
  return {
    ...frame,
    y: yk,
    yName: label,
    removed: { ...frame.removed, naByVariable: rename(frame.removed.naByVariable), infByVariable: rename(frame.removed.infByVariable) },
  };
}

/**
 * Model frames for the outcomes of a multiple-outcome formula (see `feolsMulti`): outcomes whose
 * missing (NA/±Inf) rows are the same share one frame, built once, each with its own outcome
 * column and name; an outcome with other missing rows, or one also used elsewhere in the model
 * (`used`: right-hand side, fixed effects, clusters, weights, instruments), gets its own frame.
 * Returns the groups in order of first outcome, each with its outcomes' indices and frames.
 */
export function outcomeFrames(
  data: Table,
  formulas: readonly ParsedFormula[],
  frameOpts: FrameOptions,
  used: ReadonlySet<string>,
): { members: number[]; frames: ModelFrame[] }[] {
  const raw = formulas.map((f) => evalTerm(data, f.lhs));
  const patterns = raw.map(missingPattern);
  const groups: { members: number[]; alone: boolean }[] = [];
  formulas.forEach((f, k) => {
    const alone = used.has(f.lhs.label) || f.lhs.vars.some((v) => used.has(v));
    const g = alone
      ? undefined
      : groups.find((g) => !g.alone && samePattern(patterns[g.members[0] as number] as Uint8Array, patterns[k] as Uint8Array));
    if (g) g.members.push(k);
    else groups.push({ members: [k], alone });
  });
  return groups.map(({ members }) => {
    const lead = members[0] as number;
    const frame = buildModelFrame(data, formulas[lead] as ParsedFormula, frameOpts);
    const frames = members.map((k) =>
      k === lead ? frame : frameWithOutcome(frame, raw[k] as Float64Array, (formulas[k] as ParsedFormula).lhs.label, data.nrows),
    );
    return { members, frames };
  });
}

/** Every variable name a formula and its options use besides the outcome (for `outcomeFrames`). */
export function namesBesidesOutcome(f: ParsedFormula, cluster: readonly string[], weights?: string): Set<string> {
  return new Set<string>([
    ...[...f.rhs, ...f.endo, ...f.inst].flatMap((t) => [t.label, ...t.vars]),
    ...f.fixef.flat(),
    ...cluster.flatMap((c) => c.split("^").map((s) => s.trim())),
    ...(weights ? [weights] : []),
  ]);
}

/** The formulas `y_k ~ rhs` of a multiple-outcome formula, parsed. */
export function outcomeFormulas(formula: string): ParsedFormula[] {
  const { outcomes, rhs } = multipleOutcomes(formula);
  return outcomes.map((y) => parseFormula(`${y} ~ ${rhs}`));
}
