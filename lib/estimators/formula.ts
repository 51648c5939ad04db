import { FormulaError } from "../util/errors";
import { type Table, hasColumn, numeric, suggest, column, nonNumericError } from "../data/table";

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
 *
 * Variable names may use letters of any script, as in R and Stata 14+:
 *
 *   产值 ~ 数字化 + log(人口) | 城市 + 年份
 *   lnGDP ~ vagg:开放度 | 城市^年份
 *   产值 ~ 控制 | 城市 | 数字化 ~ 工具
 *
 * Names with spaces or symbols are quoted with backticks, as in R: `` `GDP 增速` ~ x | `city code` ``.
 * Names reach coefficient names unchanged (数字化 stays 数字化); a quoted name keeps its
 * backticks in the label (`` `GDP 增速` ``, as R prints it) so labels parse back as formulas,
 * while `vars` holds the bare column names.
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

/**
 * Split `s` at `sep` where it stands outside parentheses and outside backtick-quoted names.
 *
 * @example splitTop("a + `b + c` + log(d + e)", "+") // ["a ", " `b + c` ", " log(d + e)"]
 */
function splitTop(s: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0,
    cur = "",
    quoted = false;
  for (const ch of s) {
    if (ch === "`") {
      quoted = !quoted;
      cur += ch;
      continue;
    }
    if (quoted) {
      cur += ch;
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (depth < 0) throw new FormulaError(`unbalanced parentheses`, { term: s.trim() });
    if (ch === sep && depth === 0) {
      out.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (quoted) throw new FormulaError(`unclosed backtick (quote a name as \`GDP 增速\`)`, { term: s.trim() });
  if (depth !== 0) throw new FormulaError(`unbalanced parentheses`, { term: s.trim() });
  out.push(cur);
  return out;
}

/**
 * A syntactic variable name, as in R: letters of any script (Unicode \p{L}, so 产值, 数字化,
 * ÖffnungsGrad), digits, combining marks, "_" and "."; not starting with a digit.
 * Anything else (spaces, symbols, a leading digit) must be quoted with backticks.
 */
const NAME = /^[\p{L}_.][\p{L}\p{M}\p{N}_.]*$/u;
/** A backtick-quoted name: `GDP 增速`, `city code`, `2010年`. */
const QUOTED = /^`([^`]+)`$/;
const FUNC = /^([A-Za-z_][A-Za-z0-9_]*)\s*\((.*)\)$/s;
/** Full-width operators a Chinese input method may produce instead of ASCII ones. */
const FULLWIDTH = /[～＋－｜（）：＾，　]/;

/** The variable a name token denotes (backticks removed), or null when it is not a name. */
function nameOf(tok: string): string | null {
  if (NAME.test(tok)) return tok;
  const q = QUOTED.exec(tok);
  return q ? (q[1] as string) : null;
}

/** How a variable is written in a label: bare when syntactic, else in backticks (as R prints it). */
export function quoteName(v: string): string {
  return NAME.test(v) ? v : `\`${v}\``;
}

function cannotParse(s: string): FormulaError {
  const hint = FULLWIDTH.test(s)
    ? ` — it contains a full-width character (～＋｜（）：＾ or a full-width space); type the ASCII operator instead`
    : ` — quote names with spaces or symbols in backticks, e.g. \`GDP 增速\``;
  return new FormulaError(`cannot parse (expected a variable name, fn(term) or a:b)${hint}`, { term: s });
}

function parseTerm(raw: string): Term {
  const s = raw.trim();
  if (!s) throw new FormulaError(`empty term`);
  const factors = splitTop(s, ":").map((f) => f.trim());
  if (factors.length > 1) {
    const parts = factors.map(parseTerm);
    return { label: parts.map((p) => p.label).join(":"), vars: parts.flatMap((p) => p.vars) };
  }
  const v = nameOf(s);
  if (v !== null) return { label: quoteName(v), vars: [v] };
  const m = FUNC.exec(s);
  if (m) {
    const fn = m[1] as string;
    if (!(fn in FUNCS)) throw new FormulaError(`unknown function "${fn}" (supported: ${Object.keys(FUNCS).join(", ")})`, { term: s });
    const inner = parseTerm(m[2] as string);
    return { label: `${fn}(${inner.label})`, vars: inner.vars };
  }
  throw cannotParse(s);
}

function parseTerms(s: string, allowIntercept: boolean): { terms: Term[]; intercept: boolean } {
  // split on + and -, keeping the sign
  const tokens: { sign: 1 | -1; text: string }[] = [];
  let depth = 0,
    cur = "",
    sign: 1 | -1 = 1,
    quoted = false;
  for (const ch of s) {
    if (ch === "`") quoted = !quoted;
    if (quoted) {
      cur += ch;
      continue;
    }
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if ((ch === "+" || ch === "-") && depth === 0) {
      if (cur.trim()) tokens.push({ sign, text: cur.trim() });
      else if (tokens.length || ch === "+") {
        if (cur.trim() === "" && tokens.length && ch) {
          /* "a + + b" */
        }
      }
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
    if (!seen.has(term.label)) {
      seen.add(term.label);
      terms.push(term);
    }
  }
  return { terms, intercept };
}

/**
 * Parse a formula into terms, fixed effects and the IV part. Parts are split at "|" and "~",
 * terms at "+"/"-", products at ":" and interacted fixed effects at "^", each only outside
 * parentheses and backticks; every term must then be a name, `` `quoted name` ``, fn(term) or a:b.
 *
 * @example
 *   parseFormula("产值 ~ 数字化 + log(人口) | 城市 + 年份").rhs.map((t) => t.label) // ["数字化", "log(人口)"]
 *   parseFormula("`GDP 增速` ~ x | `city code`").fixef                            // [["city code"]]
 */
export function parseFormula(text: string): ParsedFormula {
  if (typeof text !== "string" || !text.includes("~")) {
    const wide = typeof text === "string" && text.includes("～") ? ` — "～" is the full-width tilde; type the ASCII "~"` : "";
    throw new FormulaError(`a formula needs "~" (e.g. "y ~ x1 + x2 | fe1 + fe2")${wide}`, { term: String(text) });
  }
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
      if (part === "0" || part === "") {
        fixef = [];
        continue;
      }
      fixef = splitTop(part, "+").map((f) =>
        splitTop(f, "^").map((raw) => {
          const v = nameOf(raw.trim());
          if (v === null)
            throw new FormulaError(`a fixed effect must be a variable or a^b (quote names with spaces in backticks)`, { term: f.trim() });
          return v;
        }),
      );
    }
  }
  return { text, lhs, rhs, intercept: intercept && fixef.length === 0, fixef, endo, inst };
}

/**
 * `suggest`, less suggestions that share no character with the name: two-character Chinese names
 * are all within the edit distance that `suggest` allows of each other (工资 → "did you mean 城市?").
 */
function suggestVar(v: string, names: readonly string[]): string {
  const s = suggest(v, names);
  const m = /"(.*)"\?\)$/.exec(s);
  return m && ![...v].some((ch) => (m[1] as string).includes(ch)) ? "" : s;
}

/**
 * Check that every variable exists and that terms read numeric columns; errors name the term and
 * suggest a close column name.
 *
 * @example checkVariables(t, parseFormula("产值 ~ 数字")) // vagg formula error: term "数字": unknown variable "数字" (did you mean "数字化"?)
 */
export function checkVariables(t: Table, f: ParsedFormula): void {
  const numericTerms = [f.lhs, ...f.rhs, ...f.endo, ...f.inst];
  for (const term of numericTerms)
    for (const v of term.vars) {
      if (!hasColumn(t, v))
        throw new FormulaError(`unknown variable "${v}"${suggestVar(v, t.names)}`, { term: term.label, file: t.source });
      // text in a numeric column: file, column, row and value; the "use it after |" hint only
      // when the column is mostly text
      const bad = nonNumericError(t, v, term.label);
      if (bad) throw bad;
    }
  for (const fe of f.fixef)
    for (const v of fe)
      if (!hasColumn(t, v))
        throw new FormulaError(`unknown fixed-effect variable "${v}"${suggestVar(v, t.names)}`, { term: fe.join("^"), file: t.source });
}

/**
 * Values of a term on the table (NaN where undefined, e.g. log of a negative). The term is
 * evaluated from its label, so a hand-made `{ label: "人口", vars: ["人口"] }` works too; a
 * label that is exactly a column name (e.g. a weight variable with a space) is that column.
 *
 * @example evalTerm(t, parseFormula("产值 ~ log(人口)").rhs[0]) // log of column 人口
 */
export function evalTerm(t: Table, term: Term): Float64Array {
  if (term.vars.length === 1 && term.label === term.vars[0] && hasColumn(t, term.label)) return numeric(t, term.label);
  return evalText(t, term.label);
}

function evalText(t: Table, s: string): Float64Array {
  const factors = splitTop(s, ":");
  if (factors.length > 1) {
    const parts = factors.map((f) => evalText(t, f.trim()));
    const out = Float64Array.from(parts[0] as Float64Array);
    for (let p = 1; p < parts.length; p++) {
      const q = parts[p] as Float64Array;
      for (let i = 0; i < out.length; i++) out[i] *= q[i] as number;
    }
    return out;
  }
  const v = nameOf(s.trim());
  if (v !== null) return numeric(t, v);
  const m = FUNC.exec(s.trim());
  if (!m) throw cannotParse(s.trim());
  const fn = FUNCS[m[1] as string] as (v: number) => number;
  const inner = evalText(t, m[2] as string);
  return inner.map((v) => fn(v));
}
