import { FormulaError } from "../util/errors";
import { type Table, hasColumn, numeric, suggest, column } from "../data/table";

/**
 * fixest-style formulas:
 *
 *   y ~ x1 + x2                        OLS with intercept
 *   y ~ x1 + x2 - 1                    no intercept (also `+ 0`)
 *   y ~ x1 + log(x2) + x1:x3 | fe1 + fe2 + fe1^fe3      fixed effects, interacted FE
 *   y ~ x3 | fe1 + fe2 | x1 + x2 ~ z1 + z2              2SLS (endogenous ~ instruments)
 *   y ~ x3 | x1 ~ z1                                    2SLS without fixed effects
 *
 * Terms: a variable name, a function of a term (log, log1p, exp, sqrt, abs), or a product
 * `a:b` of numeric terms. Errors name the offending term.
 */
export interface Term {
  /** The term as written (normalised spacing): the coefficient name. */
  readonly label: string;
  /** Variables the term reads. */
  readonly vars: readonly string[];
}

export interface ParsedFormula {
  readonly text: string;
  readonly lhs: Term;
  readonly rhs: readonly Term[];
  readonly intercept: boolean;
  /** Fixed effects: each a list of variables interacted with ^. */
  readonly fixef: readonly (readonly string[])[];
  readonly endo: readonly Term[];
  readonly inst: readonly Term[];
}

const FUNCS: Record<string, (v: number) => number> = {
  log: Math.log,
  log1p: Math.log1p,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0, cur = "";
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) throw new FormulaError(`unbalanced parentheses`, { term: s.trim() });
    if (ch === sep && depth === 0) { out.push(cur); cur = ""; }
    else cur += ch;
  }
  if (depth !== 0) throw new FormulaError(`unbalanced parentheses`, { term: s.trim() });
  out.push(cur);
  return out;
}

const NAME = /^[A-Za-z_.][A-Za-z0-9_.]*$/;

function parseTerm(raw: string): Term {
  const s = raw.trim();
  if (!s) throw new FormulaError(`empty term`);
  const factors = splitTop(s, ":").map((f) => f.trim());
  if (factors.length > 1) {
    const parts = factors.map(parseTerm);
    return { label: parts.map((p) => p.label).join(":"), vars: parts.flatMap((p) => p.vars) };
  }
  if (NAME.test(s)) return { label: s, vars: [s] };
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)$/s.exec(s);
  if (m) {
    const fn = m[1] as string;
    if (!(fn in FUNCS)) throw new FormulaError(`unknown function "${fn}" (supported: ${Object.keys(FUNCS).join(", ")})`, { term: s });
    const inner = parseTerm(m[2] as string);
    return { label: `${fn}(${inner.label})`, vars: inner.vars };
  }
  throw new FormulaError(`cannot parse (expected a variable name, fn(term) or a:b)`, { term: s });
}

function parseTerms(s: string, allowIntercept: boolean): { terms: Term[]; intercept: boolean } {
  // split on + and -, keeping the sign
  const tokens: { sign: 1 | -1; text: string }[] = [];
  let depth = 0, cur = "", sign: 1 | -1 = 1;
  for (const ch of s) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if ((ch === "+" || ch === "-") && depth === 0) {
      if (cur.trim()) tokens.push({ sign, text: cur.trim() });
      else if (tokens.length || ch === "+") { if (cur.trim() === "" && tokens.length && ch) { /* "a + + b" */ } }
      sign = ch === "+" ? 1 : -1;
      cur = "";
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) tokens.push({ sign, text: cur.trim() });
  else if (s.trim()) throw new FormulaError(`dangling operator`, { term: s.trim() });
  let intercept = true;
  const terms: Term[] = [];
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.text === "1" || t.text === "0") {
      if (!allowIntercept) throw new FormulaError(`an intercept term is not allowed here`, { term: t.text });
      if (t.text === "0" || t.sign === -1) intercept = false;
      continue;
    }
    if (t.sign === -1) throw new FormulaError(`only "- 1" may be subtracted`, { term: `-${t.text}` });
    const term = parseTerm(t.text);
    if (!seen.has(term.label)) { seen.add(term.label); terms.push(term); }
  }
  return { terms, intercept };
}

export function parseFormula(text: string): ParsedFormula {
  if (typeof text !== "string" || !text.includes("~")) throw new FormulaError(`a formula needs "~" (e.g. "y ~ x1 + x2 | fe1 + fe2")`, { term: String(text) });
  const parts = splitTop(text, "|");
  const head = parts[0] as string;
  const ht = splitTop(head, "~");
  if (ht.length !== 2) throw new FormulaError(`the first part must be "y ~ x" with exactly one "~"`, { term: head.trim() });
  const lhsText = (ht[0] as string).trim();
  if (!lhsText) throw new FormulaError(`missing dependent variable before "~"`, { term: head.trim() });
  const lhs = parseTerm(lhsText);
  const { terms: rhs, intercept } = parseTerms(ht[1] as string, true);
  let fixef: string[][] = [];
  let endo: Term[] = [];
  let inst: Term[] = [];
  const rest = parts.slice(1);
  if (rest.length > 2) throw new FormulaError(`too many "|" parts (at most: y ~ x | fe | endo ~ inst)`, { term: text.trim() });
  for (let p = 0; p < rest.length; p++) {
    const part = (rest[p] as string).trim();
    if (part.includes("~")) {
      if (p !== rest.length - 1) throw new FormulaError(`the IV part "endo ~ inst" must come last`, { term: part });
      const [e, z] = splitTop(part, "~") as [string, string];
      endo = parseTerms(e, false).terms;
      inst = parseTerms(z, false).terms;
      if (!endo.length || !inst.length) throw new FormulaError(`the IV part needs endogenous variables and instruments`, { term: part });
    } else {
      if (part === "0" || part === "") { fixef = []; continue; }
      fixef = splitTop(part, "+").map((f) => {
        const vars = f.split("^").map((v) => v.trim());
        for (const v of vars) if (!NAME.test(v)) throw new FormulaError(`a fixed effect must be a variable or a^b`, { term: f.trim() });
        return vars;
      });
    }
  }
  return { text, lhs, rhs, intercept: intercept && fixef.length === 0, fixef, endo, inst };
}

/** Check that every variable exists; a string column is allowed only where `allowString`. */
export function checkVariables(t: Table, f: ParsedFormula): void {
  const numericTerms = [f.lhs, ...f.rhs, ...f.endo, ...f.inst];
  for (const term of numericTerms)
    for (const v of term.vars) {
      if (!hasColumn(t, v)) throw new FormulaError(`unknown variable "${v}"${suggest(v, t.names)}`, { term: term.label, file: t.source });
      const c = column(t, v);
      if (!(c instanceof Float64Array) && !(c instanceof Int32Array)) {
        const firstText = c.find((x) => x !== null && Number.isNaN(Number(x)));
        if (firstText !== undefined) throw new FormulaError(`variable "${v}" is text (e.g. "${firstText}"), not numeric; use it as a fixed effect after "|"`, { term: term.label, file: t.source });
      }
    }
  for (const fe of f.fixef) for (const v of fe) if (!hasColumn(t, v)) throw new FormulaError(`unknown fixed-effect variable "${v}"${suggest(v, t.names)}`, { term: fe.join("^"), file: t.source });
}

/** Values of a term on the table (NaN where undefined, e.g. log of a negative). */
export function evalTerm(t: Table, term: Term): Float64Array {
  return evalText(t, term.label);
}

function evalText(t: Table, s: string): Float64Array {
  const factors = splitTop(s, ":");
  if (factors.length > 1) {
    const parts = factors.map((f) => evalText(t, f.trim()));
    const out = Float64Array.from(parts[0] as Float64Array);
    for (let p = 1; p < parts.length; p++) { const q = parts[p] as Float64Array; for (let i = 0; i < out.length; i++) out[i] *= q[i] as number; }
    return out;
  }
  if (NAME.test(s)) return numeric(t, s);
  const m = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/s.exec(s) as RegExpExecArray;
  const fn = FUNCS[m[1] as string] as (v: number) => number;
  const inner = evalText(t, m[2] as string);
  return inner.map((v) => fn(v));
}
