import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseNumericCsv, tenPowers } from "../../lib/data/csv-fast";
import { readTable } from "../../lib/data/io";
import { rng, type Rng } from "../../lib/util/rng";

// Property test of the number conversion in lib/data/csv-fast.ts: every token must give exactly
// (bit for bit) the double Number(token) gives — the correctly rounded value — whichever route it
// takes (Clinger's fast path, the double-double path, or the Number() fallback for near-ties),
// except that "-0" is read as 0 (as before). About 1.3 million tokens from a fixed seed: 15–20
// significant digits in every notation, shortest round-trip strings, toPrecision(15..17),
// toExponential(14..16), decimal midpoints between adjacent doubles (exact, and just below and
// above), tiny, huge and subnormal magnitudes, zeros. VAGG_TEST_VERBOSE=1 prints the token and
// fallback counts of each family.

const R = rng(17).fork("csv-fast-precision");
const verbose = process.env["VAGG_TEST_VERBOSE"] === "1";

const f64 = new DataView(new ArrayBuffer(8));
/** A finite double from 64 random bits (every exponent equally likely). */
function randomBits(r: Rng): number {
  for (;;) {
    f64.setUint32(0, r.nextUint32());
    f64.setUint32(4, r.nextUint32());
    const x = f64.getFloat64(0);
    if (Number.isFinite(x)) return x;
  }
}
/** A value as a data file holds it: normal, times 10^k for k uniform in −lo..hi. */
function realistic(r: Rng, lo = 8, hi = 8): number {
  return r.normal() * 10 ** (r.int(lo + hi + 1) - lo);
}
/** |x| = m·2^e exactly (m an integer). */
function parts(x: number): [bigint, number] {
  f64.setFloat64(0, Math.abs(x));
  const hw = f64.getUint32(0);
  const m = (BigInt(hw & 0xfffff) << 32n) | BigInt(f64.getUint32(4));
  const ex = (hw >>> 20) & 0x7ff;
  return ex === 0 ? [m, -1074] : [m | (1n << 52n), ex - 1075];
}
/** The exact decimal of m·2^e: value = D·10^p, D without leading or trailing zeros. */
function decimal(m: bigint, e: number): { D: string; p: number } {
  let D = e >= 0 ? (m << BigInt(e)).toString() : (m * 5n ** BigInt(-e)).toString();
  let p = e >= 0 ? 0 : e;
  let z = D.length;
  while (z > 1 && D[z - 1] === "0") z--;
  p += D.length - z;
  D = D.slice(0, z);
  return { D, p };
}
/** D·10^p written in a random notation: positional, or a mantissa with the point anywhere and an exponent in a random style. */
function write(r: Rng, D: string, p: number, neg: boolean): string {
  const s = neg ? "-" : "";
  const n = D.length;
  const style = r.int(3);
  if (style === 0 && p <= 25 && n + p >= -25) {
    if (p >= 0) return s + D + "0".repeat(p);
    const intLen = n + p;
    return intLen > 0 ? s + D.slice(0, intLen) + "." + D.slice(intLen) : s + "0." + "0".repeat(-intLen) + D;
  }
  // point after j digits of D (j ≤ 0: "0.00D"), exponent p + n − j
  const j = style === 1 ? 1 : r.int(n + 3) - 2;
  const mant = j <= 0 ? "0." + "0".repeat(-j) + D : j >= n ? D : D.slice(0, j) + "." + D.slice(j);
  const x = p + n - j;
  const es = r.int(4);
  const exp = es === 0 ? `e${x}` : es === 1 ? `E${x}` : x >= 0 ? `e+${x}` : `e-${String(-x).padStart(2, "0")}`;
  return s + mant + exp;
}
/** n random digits, the first not 0. */
function digits(r: Rng, n: number): string {
  let s = String(1 + r.int(9));
  for (let k = 1; k < n; k++) s += String(r.int(10));
  return s;
}
/** Number(tok), with −0 read as 0 (the parser's rule). */
const expected = (tok: string): number => {
  const v = Number(tok);
  return v === 0 ? 0 : v;
};

/** Parse the tokens as a CSV of 8 columns (one thread, and two threads on a shared buffer); every value must equal `expected`. */
async function check(label: string, tokens: string[]): Promise<{ tokens: number; fallbacks: number }> {
  const K = 8;
  const rows = ["c0,c1,c2,c3,c4,c5,c6,c7"];
  for (let i = 0; i < tokens.length; i += K) {
    const row = tokens.slice(i, i + K);
    while (row.length < K) row.push("1");
    rows.push(row.join(","));
  }
  const text = rows.join("\n") + "\n";
  const stats = { fallbacks: -1 };
  const t = await parseNumericCsv(Buffer.from(text), label, { stats });
  assert.ok(t, `${label}: the fast parser declined`);
  if (!t) return { tokens: 0, fallbacks: 0 };
  const cols = t.names.map((nm) => t.columns[nm] as Float64Array);
  let bad = 0;
  const shown: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const got = cols[i % K]![Math.floor(i / K)] as number, want = expected(tokens[i]!);
    if (!Object.is(got, want)) {
      bad++;
      if (shown.length < 5) shown.push(`${tokens[i]}: got ${got}, Number() ${want}`);
    }
  }
  assert.is(bad, 0, `${label}: ${bad} of ${tokens.length} tokens differ from Number(): ${shown.join("; ")}`);
  // the two-thread route (a worker parses the second half from the functions' source text) gives the same bits
  const sab = new Uint8Array(new SharedArrayBuffer(Buffer.byteLength(text)));
  sab.set(Buffer.from(text));
  const two = await parseNumericCsv(sab, label, { parallelBytes: 1000 });
  assert.ok(two, `${label}: two threads declined`);
  if (two) {
    const a = new BigUint64Array(cols.length * t.nrows), b = new BigUint64Array(cols.length * t.nrows);
    cols.forEach((c, k) => new Float64Array(a.buffer).set(c, k * t.nrows));
    two.names.forEach((nm, k) => new Float64Array(b.buffer).set(two.columns[nm] as Float64Array, k * t.nrows));
    assert.ok(a.every((x, i) => x === b[i]), `${label}: two threads differ from one`);
  }
  if (verbose) console.log(`${label}: ${tokens.length} tokens, ${stats.fallbacks} to Number()`);
  return { tokens: tokens.length, fallbacks: stats.fallbacks };
}

let total = 0;

test("the power-of-ten table: th = RN(10^q), |10^q − th − tl| ≤ 2^-105·th, q = −250..250 (exact rational arithmetic)", () => {
  const pw = tenPowers();
  for (let q = -250; q <= 250; q++) {
    const th = pw[4 * (q + 250)]!, tl = pw[4 * (q + 250) + 1]!, bh = pw[4 * (q + 250) + 2]!, bl = pw[4 * (q + 250) + 3]!;
    assert.is(th, Number(`1e${q}`), `th(${q})`);
    assert.is(bh + bl, th, `split(${q})`);
    // |10^q − th − tl| · 2^105 ≤ th, all as integers scaled by 2^S·10^max(−q, 0)
    const [mh, eh] = parts(th), [ml, el] = parts(tl);
    const S = 1100n;
    const scale = (m: bigint, e: number) => (m << (S + BigInt(e))) * 10n ** BigInt(Math.max(-q, 0));
    const exact = (1n << S) * 10n ** BigInt(Math.max(q, 0));
    const err = exact - scale(mh, eh) - (tl < 0 ? -1n : 1n) * scale(ml, el);
    assert.ok((err < 0n ? -err : err) << 105n <= scale(mh, eh), `10^${q}: error too large`);
  }
});

test("15–20 significant digits in every notation, magnitudes 1e-45..1e45 and 1e-330..1e330", async () => {
  for (let n = 15; n <= 20; n++) {
    const toks: string[] = [];
    for (let i = 0; i < 60_000; i++) {
      const D = digits(R, n);
      const p = i % 10 === 0 ? R.int(661) - 330 - n : R.int(91) - 45 - Math.floor(n / 2);
      toks.push(write(R, D, p, R.uniform() < 0.5));
    }
    const { tokens, fallbacks } = await check(`${n} digits`, toks);
    total += tokens;
    // > 19 digits always take Number(); up to 19 only near-ties and powers beyond ±250 (the 10% drawn up to 10^±330)
    if (n <= 19) assert.ok(fallbacks < 0.05 * tokens, `${n} digits: ${fallbacks} fallbacks`);
  }
});

test("shortest round-trip strings, toPrecision(15..17) and toExponential(14..16) of random doubles", async () => {
  const fams: [string, (x: number) => string][] = [
    ["String(x)", (x) => String(x)],
    ["toPrecision(15)", (x) => x.toPrecision(15)],
    ["toPrecision(16)", (x) => x.toPrecision(16)],
    ["toPrecision(17)", (x) => x.toPrecision(17)],
    ["toExponential(14)", (x) => x.toExponential(14)],
    ["toExponential(15)", (x) => x.toExponential(15)],
    ["toExponential(16)", (x) => x.toExponential(16)],
  ];
  for (const [name, f] of fams) {
    // data-like values: no fallback expected at all
    const data = Array.from({ length: 70_000 }, () => f(realistic(R)));
    const a = await check(`${name}, data-like`, data);
    assert.ok(a.fallbacks <= 2, `${name}: ${a.fallbacks} fallbacks on data-like values`);
    const any = Array.from({ length: 30_000 }, () => f(randomBits(R)));
    const b = await check(`${name}, any double`, any);
    total += a.tokens + b.tokens;
  }
});

test("decimal midpoints between adjacent doubles: exact, and cut to 17–19 digits just below and just above", async () => {
  const toks: string[] = [];
  for (let i = 0; i < 45_000; i++) {
    const x = i % 3 === 0 ? randomBits(R) : realistic(R, 20, 20);
    if (x === 0 || Math.abs(x) === Number.MAX_VALUE) continue;
    const [m, e] = parts(x);
    const { D, p } = decimal(2n * m + 1n, e - 1); // x + ulp/2, exactly
    const neg = x < 0;
    if (i % 5 === 0) toks.push(write(R, D, p, neg)); // the exact halfway string (long: Number())
    for (const n of [17, 18, 19]) {
      if (D.length <= n) continue;
      const cut = D.slice(0, n);
      toks.push(write(R, cut, p + D.length - n, neg)); // just below the midpoint
      toks.push(write(R, (BigInt(cut) + 1n).toString(), p + D.length - n, neg)); // just above
    }
  }
  const r = await check("midpoints", toks);
  total += r.tokens;
});

test("exact halfway strings of 16–19 digits always take Number() (≤ 15: Clinger's exact operation rounds them); 19-digit strings one unit away do not", async () => {
  const exact: string[] = [], clinger: string[] = [], near: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    let D: string, p: number;
    if (i % 2 === 0) {
      // x in [2^51, 2^63): its midpoints have at most 2 binary places, and ≤ 19 decimal digits
      const [m, e] = parts((1 + R.uniform()) * 2 ** (51 + R.int(12)));
      ({ D, p } = decimal(2n * m + 1n, e - 1));
    } else {
      // midpoints odd·2^(e−1) (odd = 2m+1 in (2^53, 2^54)) with odd = 5^t·r: = 10^t·r·2^(e−1−t) = w·10^t
      const t = 1 + R.int(12), f = 5n ** BigInt(t);
      const lo = 2n ** 53n / f + 1n, hi = (2n ** 54n - 1n) / f;
      let r = lo + (BigInt(Math.floor(R.uniform() * 2 ** 40)) * (hi - lo)) / 2n ** 40n;
      if (r % 2n === 0n) r += 1n;
      if (r > hi) r -= 2n;
      const w = r << BigInt(R.int(Math.max(1, 63 - r.toString(2).length)));
      ({ D, p } = decimal(w, 0));
      p += t;
    }
    if (D.length > 19) continue;
    const neg = R.uniform() < 0.5;
    (D.length >= 16 ? exact : clinger).push(write(R, D, p, neg));
    const pad = 19 - D.length;
    const w19 = BigInt(D) * 10n ** BigInt(pad);
    near.push(write(R, (w19 - 1n).toString(), p - pad, neg), write(R, (w19 + 1n).toString(), p - pad, neg));
  }
  const a = await check("exact midpoints, 16-19 digits", exact);
  assert.is(a.fallbacks, exact.length, "every exact tie is detected and sent to Number()");
  const c = await check("exact midpoints, <= 15 digits", clinger);
  const b = await check("19 digits next to midpoints", near);
  assert.is(b.fallbacks, 0, "one unit in the 19th digit away from a tie is decided by the fast path");
  total += a.tokens + b.tokens + c.tokens;
});

test("tiny, huge and subnormal magnitudes; overflow; zeros and negative zero", async () => {
  const toks: string[] = [];
  for (let i = 0; i < 40_000; i++) {
    const n = 15 + R.int(3);
    const mag = R.uniform() < 0.5 ? -R.int(80) - 260 : 260 + R.int(60);
    toks.push(write(R, digits(R, n), mag - n, R.uniform() < 0.5));
  }
  for (let i = 0; i < 10_000; i++) toks.push(String(randomBits(R) * 2 ** -1022 * (R.uniform() < 0.5 ? 1 : 2 ** -40))); // subnormals
  toks.push(
    ...["4.9e-324", "5e-324", "2.4703282292062327e-324", "2.4703282292062328e-324", "2.2250738585072011e-308", "2.2250738585072014e-308"],
    ...["1.7976931348623157e308", "1.7976931348623158e308", "1.7976931348623159e308", "1e309", "-1e400", "1e-400", "9007199254740993"],
    ...["0", "-0", "0.0", "-0.0", "0e0", "-0e5", "0.000000000000000000000000", "-0.0000000000000000000000000e-30", ".0", "-.0e3", "0E+400"],
  );
  const r = await check("tiny, huge, subnormal, zeros", toks);
  total += r.tokens;
  assert.ok(total >= 1_000_000, `${total} tokens in all`);
  if (verbose) console.log(`${total} tokens in all`);
});

test("the grammar is unchanged: random strings over 0-9 . - + e E are numbers exactly when the module's regular expressions say so (\".\" and \".e\": Stata's missing codes)", async () => {
  const re1 = /^[-+]?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?$/,
    re2 = /^[-+]?\.\d+([eE][-+]?\d+)?$/;
  const alpha = "0123456789012345.-+eE";
  for (let i = 0; i < 20_000; i++) {
    let tok = "";
    for (let j = 1 + R.int(8); j > 0; j--) tok += alpha[R.int(alpha.length)];
    const eol = R.uniform() < 0.5 ? "\n" : "\r\n", last = R.uniform() < 0.5 ? eol : ""; // with and without a final line end
    const t = await parseNumericCsv(Buffer.from(`a,b${eol}${tok},1${eol}2,${tok}${last}`));
    // Stata's missing codes "." and ".e" are read as NaN (as readTable's DuckDB path reads them)
    const missing = /^\.[a-z]?$/.test(tok);
    // a leading "+" declines: DuckDB reads "+2" as text
    const ok = ((re1.test(tok) || re2.test(tok)) && !tok.startsWith("+")) || missing;
    assert.is(t !== null, ok, JSON.stringify(tok));
    if (t) {
      const want = missing ? NaN : expected(tok);
      assert.ok(Object.is((t.columns["a"] as Float64Array)[0], want), tok);
      assert.ok(Object.is((t.columns["b"] as Float64Array)[1], want), tok);
    }
  }
});

test("16–19 digits, exponents and near-ties read the same as DuckDB", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-csvprec-"));
  try {
    const rows = ["a,b,c,d,e"];
    for (let i = 0; i < 6000; i++) {
      const x = realistic(R, 12, 12);
      const [m, e] = parts(x);
      const { D, p } = decimal(2n * m + 1n, e - 1);
      const cut = D.slice(0, 17 + R.int(3));
      rows.push(
        [String(x), x.toPrecision(16 + R.int(4)), x.toExponential(14 + R.int(3)), write(R, cut, p + D.length - cut.length, x < 0), write(R, digits(R, 19), R.int(61) - 40, R.uniform() < 0.5)].join(","),
      );
    }
    const f = path.join(dir, "p.csv");
    fs.writeFileSync(f, rows.join("\n") + "\n");
    const prev = process.env["VAGG_CSV_FAST"];
    process.env["VAGG_CSV_FAST"] = "0";
    const duck = await readTable(f);
    if (prev === undefined) delete process.env["VAGG_CSV_FAST"];
    else process.env["VAGG_CSV_FAST"] = prev;
    const fast = await parseNumericCsv(fs.readFileSync(f), f);
    assert.ok(fast, "fast path taken");
    if (!fast) return;
    for (const n of duck.names) {
      const x = fast.columns[n] as Float64Array, y = duck.columns[n] as Float64Array;
      assert.ok(y instanceof Float64Array, `${n}: DuckDB read doubles`);
      for (let i = 0; i < y.length; i++) assert.ok(Object.is(x[i], y[i]), `${n}[${i}] ${rows[i + 1]}: fast ${x[i]} vs DuckDB ${y[i]}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
