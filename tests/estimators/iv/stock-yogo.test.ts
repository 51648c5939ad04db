import { test } from "uvu";
import * as assert from "uvu/assert";
import { stockYogo, parseTable } from "../../../lib/estimators/iv/stock-yogo";

// Stock & Yogo (2005), "Testing for weak instruments in linear IV regression", Tables 5.1
// (maximal IV relative bias) and 5.2 (maximal IV size), as ivreg2 prints them. Exact equality:
// the table stores the published two-decimal numbers.
const published: [K1: number, L1: number, kind: "ivBias" | "ivSize", level: string, value: number][] = [
  // Table 5.2, size, K1 = 1
  [1, 1, "ivSize", "10", 16.38],
  [1, 1, "ivSize", "15", 8.96],
  [1, 1, "ivSize", "20", 6.66],
  [1, 1, "ivSize", "25", 5.53],
  [1, 2, "ivSize", "10", 19.93],
  [1, 2, "ivSize", "15", 11.59],
  [1, 2, "ivSize", "20", 8.75],
  [1, 2, "ivSize", "25", 7.25],
  [1, 3, "ivSize", "10", 22.3],
  [1, 3, "ivSize", "15", 12.83],
  [1, 3, "ivSize", "20", 9.54],
  [1, 3, "ivSize", "25", 7.8],
  // Table 5.2, size, K1 = 2
  [2, 2, "ivSize", "10", 7.03],
  [2, 2, "ivSize", "15", 4.58],
  [2, 2, "ivSize", "20", 3.95],
  [2, 2, "ivSize", "25", 3.63],
  [2, 4, "ivSize", "10", 16.87],
  [2, 4, "ivSize", "15", 9.93],
  [2, 4, "ivSize", "20", 7.54],
  [2, 4, "ivSize", "25", 6.28],
  // Table 5.1, relative bias
  [1, 3, "ivBias", "5", 13.91],
  [1, 3, "ivBias", "10", 9.08],
  [1, 3, "ivBias", "20", 6.46],
  [1, 3, "ivBias", "30", 5.39],
  [2, 4, "ivBias", "5", 11.04],
  [2, 4, "ivBias", "10", 7.56],
  [2, 4, "ivBias", "20", 5.57],
  [2, 4, "ivBias", "30", 4.73],
  [3, 5, "ivBias", "5", 9.53],
  [3, 5, "ivBias", "10", 6.61],
  [3, 5, "ivBias", "20", 4.99],
  [3, 5, "ivBias", "30", 4.3],
];

test("published Stock–Yogo critical values", () => {
  for (const [K1, L1, kind, level, v] of published) {
    const got = (stockYogo(K1, L1)[kind] as Record<string, number | null>)[level];
    assert.is(got, v, `K1=${K1} L1=${L1} ${kind} ${level}%`);
  }
});

test("undefined cells are null: bias needs L1 ≥ K1 + 2 and K1 ≤ 3; size needs K1 ≤ 2; L1 ≤ 100; non-integers", () => {
  assert.is(stockYogo(1, 2).ivBias["10"], null);
  assert.is(stockYogo(2, 3).ivBias["5"], null);
  assert.is(stockYogo(4, 10).ivBias["5"], null);
  assert.is(stockYogo(3, 10).ivSize["10"], null);
  assert.is(stockYogo(1, 101).ivSize["10"], null);
  assert.is(stockYogo(1.5, 3).ivSize["10"], null);
  assert.is(stockYogo(1, 0).ivSize["10"], null);
  assert.match(stockYogo(1, 1).source, /Stock/);
});

test("parseTable: rows by ';', cells by ',', '.' → null; memoised", () => {
  const t = parseTable("1,.;2.5,3");
  assert.equal(t, [
    [1, null],
    [2.5, 3],
  ]);
  assert.is(parseTable("1,.;2.5,3"), t);
});

test.run();
