import { test } from "uvu";
import * as assert from "uvu/assert";
import * as iconv from "iconv-lite";
import { StringMemo } from "../../../lib/data/dta/string-memo";

// The memo must return exactly the decoder's string for every byte range (tolerance: none), the
// same object for the same bytes, and keep working past its growth steps and its entry limit.
const utf8 = (b: Buffer, s: number, e: number): string => b.toString("utf8", s, e);

test("same bytes → the same string object; values equal the decoder's, wherever the bytes sit", () => {
  const m = new StringMemo(utf8);
  const a = Buffer.from("北京市,上海市,北京市,,x");
  const first = m.get(a, 0, 9);
  assert.is(first, "北京市");
  assert.is(m.get(a, 20, 29), first);
  assert.is(m.get(a, 10, 19), "上海市");
  assert.is(m.get(a, 30, 30), "");
  assert.is(m.get(a, 31, 32), "x");
  // a prefix is another value
  assert.is(m.get(a, 0, 3), "北");
});

test("150,000 distinct values (growth, rehash and the entry limit) decode as the decoder does, GB18030 too", () => {
  for (const enc of ["utf-8", "gb18030"]) {
    const dec = (b: Buffer, s: number, e: number): string => iconv.decode(b.subarray(s, e), enc);
    const m = new StringMemo(dec);
    const values = Array.from({ length: 150_000 }, (_, i) => `城市${i.toString(36)}号`);
    const bufs = values.map((v) => iconv.encode(v, enc));
    for (let pass = 0; pass < 2; pass++)
      for (let i = 0; i < values.length; i += pass === 0 ? 1 : 7) {
        const b = bufs[i] as Buffer;
        assert.is(m.get(b, 0, b.length), values[i], `${enc} ${i}`);
      }
  }
});

test("near values (one byte apart, reordered, NUL bytes) never return another value's string", () => {
  // entries are compared byte by byte, not by hash alone
  const m = new StringMemo(utf8);
  const vals = ["a", "b", "ab", "ba", "aa", "bb", "a\u0000", "\u0000a"];
  for (let r = 0; r < 3; r++) for (const v of vals) { const b = Buffer.from(v); assert.is(m.get(b, 0, b.length), v); }
});

test.run();
