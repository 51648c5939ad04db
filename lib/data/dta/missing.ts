import { MISSING_LETTERS } from "./types";

/**
 * Stata missing-value codes (`help dta`, section "Numbers", and `help missing`).
 *
 * Each numeric type reserves its top 27 values: system missing `.` and the extended missing
 * values `.a` … `.z`, in that order. Any value above the type's largest valid value is missing;
 * the reader turns all of them into NaN and remembers the "tag" (0 = `.`, 1 = `.a`, …, 26 = `.z`).
 *
 * | type   | largest valid    | `.`                | `.a`               | step          |
 * |--------|------------------|--------------------|--------------------|---------------|
 * | byte   | 100              | 101                | 102                | 1             |
 * | int    | 32,740           | 32,741             | 32,742             | 1             |
 * | long   | 2,147,483,620    | 2,147,483,621      | 2,147,483,622      | 1             |
 * | float  | 2^127 (excl.)    | bits 0x7f000000    | 0x7f000800         | 0x800         |
 * | double | 2^1023 (excl.)   | bits 0x7fe0000000000000 | 0x7fe0010000000000 | 2^40     |
 *
 * @example
 *   missingTagOfInt(102, "byte");     // 1 (".a")
 *   missingCode(1);                   // ".a"
 *   doubleMissingBitsHigh(26);        // 0x7fe01a00 (".z", high 32 bits)
 */
export const BYTE_MAX = 100;
export const INT_MAX = 32740;
export const LONG_MAX = 2147483620;
export const BYTE_MISS = 101;
export const INT_MISS = 32741;
export const LONG_MISS = 2147483621;
/** Values ≥ 2^127 (as float) are missing. */
export const FLOAT_MISS_MIN = 1.7014118346046923e38;
/** Values ≥ 2^1023 (as double) are missing. */
export const DOUBLE_MISS_MIN = 8.98846567431158e307;

/** Tag (0 = ".", 1..26 = ".a".."z") of an integer-type missing value `v`; -1 if `v` is not missing. */
export function missingTagOfInt(v: number, type: "byte" | "int" | "long"): number {
  const base = type === "byte" ? BYTE_MISS : type === "int" ? INT_MISS : LONG_MISS;
  if (v < base) return -1;
  const t = v - base;
  return t <= 26 ? t : 0;
}

/** Tag of a float missing value from its 32 raw bits (unsigned); -1 if not missing. */
export function missingTagOfFloatBits(bits: number): number {
  if (bits < 0x7f000000 || bits > 0x7fffffff) return -1;
  const t = (bits - 0x7f000000) >>> 11;
  return t <= 26 && (bits & 0x7ff) === 0 ? t : 0;
}

/** Tag of a double missing value from its high 32 bits (unsigned); -1 if not missing. */
export function missingTagOfDoubleHigh(hi: number): number {
  if (hi < 0x7fe00000 || hi > 0x7fffffff) return -1;
  const t = (hi - 0x7fe00000) >>> 8;
  return t <= 26 && (hi & 0xff) === 0 ? t : 0;
}

/** High 32 bits of the double that stores missing tag `t` (low 32 bits are 0). */
export function doubleMissingBitsHigh(t: number): number {
  return 0x7fe00000 + (t << 8);
}

/** Raw 32 bits of the float that stores missing tag `t`. */
export function floatMissingBits(t: number): number {
  return 0x7f000000 + (t << 11);
}

/** "." for tag 0, ".a" … ".z" for 1 … 26. */
export function missingCode(tag: number): string {
  return tag === 0 ? "." : "." + MISSING_LETTERS[tag - 1];
}

/** Inverse of `missingCode`: ".", ".a" … ".z" → 0 … 26; -1 for anything else. */
export function missingTagOfCode(code: string): number {
  if (code === ".") return 0;
  if (code.length === 2 && code[0] === ".") {
    const i = MISSING_LETTERS.indexOf(code[1] as string);
    return i >= 0 ? i + 1 : -1;
  }
  return -1;
}
