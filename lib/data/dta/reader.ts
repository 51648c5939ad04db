import { table, Table, Column } from "../table";
import { DtaSource } from "./source";
import { makeDecoder, autoProbe, normalizeEncoding, type Decoder } from "./encoding";
import { parseHeader } from "./header";
import { readDataSection, RawColumn } from "./data";
import { parseValueLabels } from "./value-labels";
import { parseStrls } from "./strl";
import { dateKind, stataDateToIso, stataDatetimeToIso } from "./dates";
import { missingCode } from "./missing";
import { ByteOrder, DtaVersion, MISSING_LETTERS, ValueLabelSet } from "./types";
import { ArgumentError, DataError } from "../../util/errors";
import { checkDistinctNames } from "../names";

export interface ReadDtaOptions {
  /**
   * Text encoding of formats 114–117 (118+ is always UTF-8), any name iconv-lite knows:
   * "windows-1252" (haven's default), "latin1", "gb18030", "gbk", "utf-8", …, or "auto"
   * (default): UTF-8 when every non-ASCII text field (strings, names, variable and value
   * labels) is valid UTF-8, else GB18030 (Stata 13 and older on Chinese Windows write GBK)
   * when every one is valid GB18030, else windows-1252. `meta.encoding` says which was used.
   */
  encoding?: string;
  /**
   * "codes" (default): labelled columns stay numeric, labels are in `meta.valueLabels`.
   * "strings": labelled numeric columns become string columns holding the label where one
   * exists and the number otherwise (haven's `as_factor(levels = "default")`); NA stays null
   * unless its missing code (e.g. ".a") has a label.
   */
  valueLabels?: "codes" | "strings";
  /** "iso" (default): `%td` → "YYYY-MM-DD", `%tc`/`%tC` → "YYYY-MM-DDTHH:MM:SS.sssZ" strings. "numeric": keep Stata's numbers. */
  dates?: "iso" | "numeric";
}

/** What the file says about itself and about each column. Per-column maps are keyed by column name. */
export interface DtaMeta {
  readonly file: string;
  readonly version: DtaVersion;
  readonly byteOrder: ByteOrder;
  readonly nobs: number;
  readonly nvar: number;
  readonly dataLabel: string;
  /** As stored, e.g. " 1 Jan 2024 12:00"; "" if absent. */
  readonly timestamp: string;
  /** The encoding used to decode text. */
  readonly encoding: string;
  /** Storage type per column: "byte", "int", "long", "float", "double", "str12", "strL". */
  readonly storageTypes: Record<string, string>;
  /** Display format per column (e.g. "%9.0g", "%td"). */
  readonly formats: Record<string, string>;
  /** Variable label per column ("" if none). */
  readonly variableLabels: Record<string, string>;
  /** Value-label set name per labelled column. */
  readonly valueLabelNames: Record<string, string>;
  /** Value-label sets by set name: { "1": "urban", ".a": "refused" }. Includes sets no column uses. */
  readonly valueLabels: Record<string, ValueLabelSet>;
  /** NA count per column (numeric: system + extended missing; strings: 0 — Stata has no string NA). */
  readonly missing: Record<string, number>;
  /** Extended-missing counts for columns that have any: { a: 3, z: 1 } (system missing "." not included). */
  readonly extendedMissing: Record<string, Record<string, number>>;
  /** Per-row tags (1..26 = .a…z, 0 = not extended) for columns with extended missing; feed back to `writeDta`. */
  readonly missingTags: Record<string, Uint8Array>;
}

/**
 * Read a Stata .dta file (formats 114, 115, 117, 118, 119; either byte order) into a column
 * table. Numeric columns are Float64Array with every missing value (`.`, `.a`–`.z`) as NaN;
 * `str#`/`strL` columns are string arrays. See `help dta` for the format.
 *
 * The file is read through a file descriptor: header and descriptors first, then the data in
 * chunks straight into the output arrays, then strLs and value labels.
 *
 * @example
 *   const { table, meta } = readDta("data/raw/city_panel.dta", { encoding: "gb18030" });
 *   meta.variableLabels.gdp;   // "GDP (10k yuan)"
 *   meta.missing.gdp;          // 12
 *   numeric(table, "gdp");     // Float64Array
 */
export function readDta(path: string, opts: ReadDtaOptions = {}): { table: Table; meta: DtaMeta } {
  const labelsMode = opts.valueLabels ?? "codes";
  if (labelsMode !== "codes" && labelsMode !== "strings") throw new ArgumentError(`valueLabels must be "codes" or "strings", not "${String(labelsMode)}"`);
  const datesMode = opts.dates ?? "iso";
  if (datesMode !== "iso" && datesMode !== "numeric") throw new ArgumentError(`dates must be "iso" or "numeric", not "${String(datesMode)}"`);
  const requested = normalizeEncoding(opts.encoding ?? "auto");
  if (requested !== "auto") return readDtaWith(path, opts, requested);
  // auto: read once with text as latin1 while checking it; re-read only when non-ASCII text of an old format needs another decoder
  const probe = autoProbe();
  const first = readDtaWith(path, opts, "latin1", probe.decoder);
  if (first.meta.version >= 118) return first; // always UTF-8: the probe was not used
  const choice = probe.choice();
  if (choice === null) return { table: first.table, meta: { ...first.meta, encoding: "windows-1252" } }; // ASCII only: any encoding reads it the same
  return readDtaWith(path, opts, choice);
}

function readDtaWith(path: string, opts: ReadDtaOptions, enc: string, probe?: Decoder): { table: Table; meta: DtaMeta } {
  const labelsMode = opts.valueLabels ?? "codes";
  const datesMode = opts.dates ?? "iso";
  const src = DtaSource.open(path);
  try {
    let encoding = "";
    const h = parseHeader(src, (version) => {
      encoding = version >= 118 ? "utf-8" : enc;
      return probe && version < 118 ? probe : makeDecoder(version, enc);
    });
    const dec = probe && h.version < 118 ? probe : makeDecoder(h.version, enc);
    checkDistinctNames(h.variables.map((v) => v.name), path);
    // the encoding probe counts every field (not a pure decoder): no memo on that pass
    const raw = readDataSection(src, h, dec, undefined, !(probe && h.version < 118));
    const sets = parseValueLabels(src, h, dec);
    const hasStrl = h.variables.some((v) => v.type === "strL");
    const strls = hasStrl ? parseStrls(src, h, dec) : new Map<number, string>();

    const cols: Record<string, Column> = {};
    const storageTypes: Record<string, string> = {};
    const formats: Record<string, string> = {};
    const variableLabels: Record<string, string> = {};
    const valueLabelNames: Record<string, string> = {};
    const missing: Record<string, number> = {};
    const extendedMissing: Record<string, Record<string, number>> = {};
    const missingTags: Record<string, Uint8Array> = {};
    h.variables.forEach((v, j) => {
      const rc = raw[j] as RawColumn;
      storageTypes[v.name] = v.type === "str" ? `str${v.strWidth}` : v.type;
      formats[v.name] = v.format;
      variableLabels[v.name] = v.label;
      if (v.valueLabel !== "") valueLabelNames[v.name] = v.valueLabel;
      if (rc.tags) missingTags[v.name] = rc.tags;
      if (rc.tagCounts) {
        const ext: Record<string, number> = {};
        for (let t = 1; t <= 26; t++) if ((rc.tagCounts[t] as number) > 0) ext[MISSING_LETTERS[t - 1] as string] = rc.tagCounts[t] as number;
        if (Object.keys(ext).length) extendedMissing[v.name] = ext;
      }
      let col: Column;
      if (v.type === "str") col = rc.str as string[];
      else if (v.type === "strL") col = resolveStrls(rc.num as Float64Array, strls, src.path, v.name);
      else {
        const num = rc.num as Float64Array;
        const set = v.valueLabel !== "" ? sets[v.valueLabel] : undefined;
        const kind = dateKind(v.format);
        if (labelsMode === "strings" && set !== undefined) col = labelStrings(num, rc.tags, set);
        else if (datesMode === "iso" && kind !== null) col = isoColumn(num, kind);
        else col = num;
      }
      cols[v.name] = col;
      let na = 0;
      if (col instanceof Float64Array) na = rc.missing;
      else for (const s of col) if (s === null) na++;
      missing[v.name] = na;
    });
    const meta: DtaMeta = {
      file: path,
      version: h.version,
      byteOrder: h.byteOrder,
      nobs: h.nobs,
      nvar: h.nvar,
      dataLabel: h.dataLabel,
      timestamp: h.timestamp,
      encoding,
      storageTypes,
      formats,
      variableLabels,
      valueLabelNames,
      valueLabels: sets,
      missing,
      extendedMissing,
      missingTags,
    };
    return { table: table(cols, path), meta };
  } finally {
    src.close();
  }
}

function resolveStrls(keys: Float64Array, strls: Map<number, string>, file: string, name: string): string[] {
  const out = new Array<string>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as number;
    if (k === 0) out[i] = "";
    else {
      const s = strls.get(k);
      if (s === undefined) {
        const o = Math.floor(k / 16777216);
        const v = k - o * 16777216;
        throw new StrlError(file, name, i + 1, `strL reference (${v}, ${o}) has no matching GSO in <strls>`);
      }
      out[i] = s;
    }
  }
  return out;
}

class StrlError extends DataError {
  constructor(file: string, column: string, row: number, detail: string) {
    super(`corrupt file: ${detail}`, { file, column, row });
  }
}

function labelStrings(num: Float64Array, tags: Uint8Array | undefined, set: ValueLabelSet): (string | null)[] {
  const out = new Array<string | null>(num.length);
  for (let i = 0; i < num.length; i++) {
    const x = num[i] as number;
    if (x !== x) {
      const lab = set[missingCode(tags ? (tags[i] as number) : 0)];
      out[i] = lab ?? null;
    } else out[i] = set[String(x)] ?? String(x);
  }
  return out;
}

function isoColumn(num: Float64Array, kind: "date" | "datetime"): (string | null)[] {
  const out = new Array<string | null>(num.length);
  const f = kind === "date" ? stataDateToIso : stataDatetimeToIso;
  for (let i = 0; i < num.length; i++) {
    const x = num[i] as number;
    out[i] = x !== x ? null : f(x);
  }
  return out;
}

/** Re-exported from ../names (the one duplicate-name check every reader uses). */
export { checkDistinctNames } from "../names";
