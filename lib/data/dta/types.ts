/**
 * Shared types of the Stata .dta reader and writer.
 *
 * Format reference: Stata's own documentation, `help dta` (format 118/119, Stata 14+) and
 * `help dta_117`, `help dta_115`, `help dta_114` for the older formats ("[P] File formats .dta").
 */

/** Byte order as the .dta header names it: MSF = most significant first (big endian), LSF = little endian. */
export type ByteOrder = "LSF" | "MSF";

/** The .dta format versions this module reads ("release" in `help dta`). */
export type DtaVersion = 114 | 115 | 117 | 118 | 119;
export const SUPPORTED_VERSIONS: readonly number[] = [114, 115, 117, 118, 119];

/** Stata storage types. `str` is the fixed-width `str#` (width in `DtaVariable.strWidth`). */
export type StorageType = "byte" | "int" | "long" | "float" | "double" | "str" | "strL";

/** Bytes one value of the type takes in a data record (strL: the 8-byte (v,o) reference). */
export function storageWidth(type: StorageType, strWidth: number): number {
  switch (type) {
    case "byte":
      return 1;
    case "int":
      return 2;
    case "long":
    case "float":
      return 4;
    case "double":
    case "strL":
      return 8;
    case "str":
      return strWidth;
  }
}

/** One variable as described by the file's descriptor sections. */
export interface DtaVariable {
  readonly name: string;
  readonly type: StorageType;
  /** For `str#`: #; otherwise 0. */
  readonly strWidth: number;
  /** Display format, e.g. "%9.0g", "%td", "%-12s". */
  readonly format: string;
  /** Name of the value-label set attached to the variable, or "". */
  readonly valueLabel: string;
  /** Variable label, or "". */
  readonly label: string;
}

/** Everything before the data, plus where each later section starts (byte offsets in the file). */
export interface DtaHeader {
  readonly version: DtaVersion;
  readonly byteOrder: ByteOrder;
  readonly littleEndian: boolean;
  readonly nvar: number;
  readonly nobs: number;
  readonly dataLabel: string;
  readonly timestamp: string;
  readonly variables: readonly DtaVariable[];
  /** Offset of the first data record. */
  readonly dataOffset: number;
  /** Bytes per observation. */
  readonly recordLength: number;
  /** Offset of each variable within a record. */
  readonly fieldOffsets: readonly number[];
  /** Offset of the strL (GSO) section, after `<strls>`; -1 for formats < 117. */
  readonly strlsOffset: number;
  /** Offset of the value-label section (formats 117+: the `<value_labels>` tag). */
  readonly valueLabelsOffset: number;
  /** Offset where the value-label section ends (file size for < 117; `</value_labels>` otherwise). */
  readonly valueLabelsEnd: number;
  readonly fileSize: number;
}

/**
 * Value labels of one set: value → label. Keys are integer values as decimal strings
 * ("1", "-5") or Stata missing codes (".", ".a" … ".z").
 */
export type ValueLabelSet = Record<string, string>;

/** Extended-missing letters in tag order: tag 1 = "a", …, tag 26 = "z" (tag 0 is system missing "."). */
export const MISSING_LETTERS = "abcdefghijklmnopqrstuvwxyz";
