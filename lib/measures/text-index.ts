import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict";
import { type Column, type Table, column, table } from "../data/table";
import { ArgumentError, DataError } from "../util/errors";
import { asArray, compositeKeys, groupRows, keyColumns } from "../data/keys";

/**
 * Dictionary of virtual-agglomeration terms for the text-based index `vagg_txt` (EQ §4.3,
 * Table 4 col. 3, Zhao et al. 2022): the paper counts, in 5,776 government work reports,
 * the frequency of words from a "virtual agglomeration" dictionary built following 何帆 & 刘红霞
 * (2019) and 倪克金 & 刘修岩 (2021), segmented with jieba, sums them and takes logs. The paper
 * does not print its dictionary (footnote: "限于篇幅,相关词典与词频数据未列示,备案"), so this list
 * is a reconstruction from that description: digital infrastructure and technologies, platforms
 * and e-commerce (the "virtual space" where firms agglomerate), and the digital economy.
 * Terms are matched as whole jieba tokens; nested terms (工业互联网 ⊃ 互联网) count once, as the
 * longer token.
 */
export const VAGG_TERMS: readonly string[] = Object.freeze([
  // virtual agglomeration and platforms
  "虚拟集聚",
  "虚拟产业集群",
  "网络平台",
  "平台经济",
  "数字平台",
  "互联网平台",
  "云平台",
  "共享经济",
  // e-commerce
  "电子商务",
  "电商",
  "网络零售",
  "跨境电商",
  "网购",
  "互联网+",
  // digital infrastructure and technologies
  "互联网",
  "移动互联网",
  "工业互联网",
  "物联网",
  "大数据",
  "云计算",
  "人工智能",
  "区块链",
  "5G",
  "宽带",
  "数据中心",
  // digital economy
  "数字经济",
  "数字化",
  "信息化",
  "数字产业化",
  "产业数字化",
  "智慧城市",
  "信息技术",
  "数字技术",
]);

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
 *   createSegmenter().cut("发展数字经济和平台经济"); // ["发展", "数字经济", "和", "平台经济"]
 */
export function createSegmenter(terms: readonly string[] = VAGG_TERMS, options: { freq?: number } = {}): Segmenter {
  const freq = options.freq ?? 100000;
  for (const t of terms) if (!t || /\s/.test(t)) throw new ArgumentError(`dictionary term "${t}" is empty or contains white space`);
  const j = Jieba.withDict(dict);
  if (terms.length) j.loadDict(Buffer.from(terms.map((t) => `${t} ${freq} n`).join("\n") + "\n", "utf8"));
  return { cut: (text: string) => j.cut(text, false), terms };
}

let defaultSegmenter: Segmenter | null = null;
function getDefault(): Segmenter {
  if (!defaultSegmenter) defaultSegmenter = createSegmenter();
  return defaultSegmenter;
}

/**
 * Count dictionary terms in one document: the number of jieba tokens equal to a term.
 *
 * @example
 *   countTerms("大数据、云计算和大数据").total; // 3 (大数据 ×2, 云计算 ×1)
 */
export function countTerms(text: string, segmenter: Segmenter = getDefault()): { total: number; perTerm: Map<string, number> } {
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
  segmenter?: Segmenter;
}

/**
 * Text index per unit (city-year): `count` = Σ over the unit's documents of dictionary-term
 * tokens, `vagg_txt` = ln(1 + count) (sum first, then log, as the paper describes: "获取相关词频进行
 * 加总并做对数化处理"), `ndocs` = documents used. Also per-document counts and ln(1 + count),
 * aligned with the input rows. Documents with NA text are skipped and counted (`naDocs`);
 * a unit whose documents are all NA gets NA.
 *
 * @example
 *   textIndex(reports, { unit: ["city", "year"], text: "text" }).table; // city, year, ndocs, count, vagg_txt
 */
export function textIndex(
  docs: Table,
  o: TextIndexOptions,
): { table: Table; docCount: Float64Array; docLog: Float64Array; naDocs: number } {
  const seg = o.segmenter ?? getDefault();
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
