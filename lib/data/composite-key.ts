/** One key column of `compositeKeyNumbers`: the column of each table, and how its values are compared. */
export interface KeyPart {
  /** The column of each table, in the order of `compositeKeyNumbers`'s tables. */
  readonly columns: readonly ArrayLike<unknown>[];
  /** "number": compared as Number(v) (12, "12" and 12.0 are one key); "string": as String(v). */
  readonly as: "number" | "string";
}

/**
 * Composite keys of the rows of several tables as single numbers (the numeric counterpart of the
 * string keys of `compositeKeys` in ./keys, across tables): rows of any of the tables get
 * the same number exactly when their key tuples are equal (each part compared as a number or as
 * a string), so that joins and group-bys can use `Map<number, …>` instead of concatenated string
 * keys (several times faster on millions of rows, no per-row string building).
 *
 * Method: each part is dictionary-encoded across all tables (codes 0 … d_j − 1 in order of first
 * appearance), and the key is the mixed-radix number Σ_j code_j · Π_{l>j} d_l; throws when
 * Π d_j exceeds 2^53 (the numbers would no longer be exact). NaN and null are ordinary key values
 * here (as in the string keys they replace); callers filter missing keys themselves.
 *
 * @example
 *   const [a, b] = compositeKeyNumbers([{ columns: [[1, 2], ["2", "1"]], as: "number" }, { columns: [["x", "y"], ["y", "x"]], as: "string" }]);
 *   a[1] === b[0]   // true: (2, "y") in both
 */
export function compositeKeyNumbers(parts: readonly KeyPart[]): Float64Array[] {
  const nTables = parts[0]?.columns.length ?? 0;
  const codes: Int32Array[][] = [];
  const sizes: number[] = [];
  for (const part of parts) {
    if (part.columns.length !== nTables) throw new Error(`compositeKeyNumbers: every part needs one column per table (${nTables})`);
    const dict = new Map<string | number, number>();
    codes.push(
      part.columns.map((col) => {
        const out = new Int32Array(col.length);
        for (let i = 0; i < col.length; i++) {
          const raw = col[i];
          const v = part.as === "number" ? Number(raw) : String(raw);
          let c = dict.get(v);
          if (c === undefined) dict.set(v, (c = dict.size));
          out[i] = c;
        }
        return out;
      }),
    );
    sizes.push(Math.max(1, dict.size));
  }
  if (sizes.reduce((a, d) => a * d, 1) > 2 ** 53)
    throw new Error(`compositeKeyNumbers: ${sizes.join(" × ")} key combinations exceed 2^53; the numeric keys would not be exact`);
  return Array.from({ length: nTables }, (_, t) => {
    const n = (codes[0]?.[t] as Int32Array | undefined)?.length ?? 0;
    const key = new Float64Array(n);
    for (let j = 0; j < parts.length; j++) {
      const cj = (codes[j] as Int32Array[])[t] as Int32Array,
        d = sizes[j] as number;
      for (let i = 0; i < n; i++) key[i] = (key[i] as number) * d + (cj[i] as number);
    }
    return key;
  });
}
