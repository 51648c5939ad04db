import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";
import { type Column, type Table, column, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { asArray, compositeKeys, groupRows, keyColumns } from "../data/keys";

/** A jieba segmenter (default dictionary + the given terms as user words), HMM off. */
export interface Segmenter {
  cut(text: string): string[];
  readonly terms: readonly string[];
}

/**
 * Create a segmenter: jieba with its bundled default dictionary (`@node-rs/jieba/dict`) plus
 * every term as a user word with frequency `freq` (default 100000, high enough that each
 * multi-character term is kept whole in running text). Segmentation is precise mode with
 * HMM off, so results depend only on the dictionaries (deterministic).
 *
 * @example
 *   createSegmenter(["数字经济", "平台经济"]).cut("发展数字经济和平台经济"); // ["发展", "数字经济", "和", "平台经济"]
 */
export function createSegmenter(terms: readonly string[], options: { freq?: number } = {}): Segmenter {
  const freq = options.freq ?? 100000;
  for (const t of terms) if (!t || /\s/.test(t)) throw new ArgumentError(`dictionary term "${t}" is empty or contains white space`);
  const j = Jieba.withDict(dict);
  if (terms.length) j.loadDict(Buffer.from(terms.map((t) => `${t} ${freq} n`).join("\n") + "\n", "utf8"));
  return { cut: (text: string) => j.cut(text, false), terms };
}

/** Segmenters by dictionary (loading jieba's dictionary takes ~0.1 s, so each dictionary is built once). */
const SEGMENTERS = new Map<string, Segmenter>();
function segmenterFor(terms: readonly string[]): Segmenter {
  const key = terms.join("\u0000");
  let s = SEGMENTERS.get(key);
  if (!s) SEGMENTERS.set(key, (s = createSegmenter(terms)));
  return s;
}

/**
 * Count dictionary terms in one document: the number of jieba tokens equal to a term.
 *
 * @example
 *   countTerms("大数据、云计算和大数据", createSegmenter(["大数据", "云计算"])).total; // 3 (大数据 ×2, 云计算 ×1)
 */
export function countTerms(text: string, segmenter: Segmenter): { total: number; perTerm: Map<string, number> } {
  const set = new Set(segmenter.terms);
  const perTerm = new Map<string, number>();
  let total = 0;
  for (const tok of segmenter.cut(text))
    if (set.has(tok)) {
      total++;
      perTerm.set(tok, (perTerm.get(tok) ?? 0) + 1);
    }
  return { total, perTerm };
}

export interface TextIndexOptions {
  /** Aggregation key columns, e.g. ["city", "year"]. */
  unit: string | readonly string[];
  /** Text column. Default "text". */
  text?: string;
  /** The dictionary: a segmenter (`createSegmenter(terms)`), or the terms themselves. One is required. */
  segmenter?: Segmenter;
  terms?: readonly string[];
}

/**
 * Text index per unit (city-year): `count` = Σ over the unit's documents of dictionary-term
 * tokens, `vagg_txt` = ln(1 + count) (sum first, then log, as the paper describes: "获取相关词频进行
 * 加总并做对数化处理"), `ndocs` = documents used. Also per-document counts and ln(1 + count),
 * aligned with the input rows. Documents with NA text are skipped and counted (`naDocs`);
 * a unit whose documents are all NA gets NA.
 *
 * @example
 *   textIndex(reports, { unit: ["city", "year"], text: "text", terms: VAGG_TERMS }).table; // city, year, ndocs, count, vagg_txt
 */
export function textIndex(
  docs: Table,
  o: TextIndexOptions,
): { table: Table; docCount: Float64Array; docLog: Float64Array; naDocs: number } {
  if (!o.segmenter && !o.terms) throw new ArgumentError("textIndex needs a dictionary: pass `terms` or a `segmenter`");
  const seg = o.segmenter ?? segmenterFor(o.terms as readonly string[]);
  const units = asArray(o.unit);
  const txt = column(docs, o.text ?? "text");
  if (txt instanceof Float64Array || txt instanceof Int32Array) throw new ArgumentError(`text column "${o.text ?? "text"}" is numeric`);
  const docCount = new Float64Array(docs.nrows).fill(NaN);
  let naDocs = 0;
  for (let i = 0; i < docs.nrows; i++) {
    const s = txt[i];
    if (s === null || s === undefined) {
      naDocs++;
      continue;
    }
    docCount[i] = countTerms(s, seg).total;
  }
  const docLog = docCount.map((c) => Math.log1p(c));
  const keys = compositeKeys(docs, units);
  keys.forEach((k, i) => {
    if (k === null) throw new DataError("NA in the unit key", { file: docs.source, column: units.join(","), row: i + 1 });
  });
  const groups = groupRows(keys);
  const G = groups.keys.length;
  const count = new Float64Array(G);
  const nd = new Float64Array(G);
  for (let g = 0; g < G; g++) {
    let c = 0;
    let n = 0;
    for (const i of groups.rows[g] as number[])
      if (!Number.isNaN(docCount[i] as number)) {
        c += docCount[i] as number;
        n++;
      }
    nd[g] = n;
    count[g] = n > 0 ? c : NaN;
  }
  const cols: Record<string, Column> = keyColumns(docs, units, groups.first);
  cols["ndocs"] = nd;
  cols["count"] = count;
  cols["vagg_txt"] = count.map((c) => Math.log1p(c));
  return { table: table(cols, docs.source), docCount, docLog, naDocs };
}
