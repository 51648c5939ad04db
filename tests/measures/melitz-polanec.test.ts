import { test } from "uvu";
import * as assert from "uvu/assert";
import { fromRecords, numeric, table, column } from "../../lib/data/table";
import { DataError } from "../../lib/util/errors";
import { rng } from "../../lib/util/rng";
import { melitzPolanec } from "../../lib/measures/melitz-polanec";

// Tolerances
// HAND_TOL: hand example, a handful of products of short decimals (rounding ≤ 1e-16 each).
const HAND_TOL = 1e-12;
// IDENTITY_REL: within + between + entry + exit vs Φ2 − Φ1 computed directly, relative to
//   max(|Φ1|, |Φ2|) (components are differences of means of up to 40 terms): the brief's 1e-12.
const IDENTITY_REL = 1e-12;

const opts = { group: "city", item: "hs6", time: "year", value: "v", quality: "q" } as const;

const hand = fromRecords([
  { city: "A", hs6: "a", year: 1, v: 2, q: 0.5 },
  { city: "A", hs6: "b", year: 1, v: 1, q: 0.8 },
  { city: "A", hs6: "c", year: 1, v: 1, q: 0.2 },
  { city: "A", hs6: "a", year: 2, v: 3, q: 0.6 },
  { city: "A", hs6: "b", year: 2, v: 1, q: 0.9 },
  { city: "A", hs6: "d", year: 2, v: 2, q: 0.9 },
]);

test("MP: hand-computed decomposition", () => {
  const r = melitzPolanec(hand, opts).table;
  assert.is(r.nrows, 1);
  const g = (k: string) => numeric(r, k)[0] as number;
  // Φ1 = .5·.5 + .25·.8 + .25·.2 = .5;  Φ2 = .5·.6 + (1/6)·.9 + (1/3)·.9 = .75;  total = .25
  // survivors a,b: q̄_S1 = .65, q̄_S2 = .75 → within = .1
  // s̃_1 = (2/3, 1/3): cov_S1 = (1/6)(−.15) + (−1/6)(.15) = −.05;  s̃_2 = (.75,.25): cov_S2 = .25(−.15)+(−.25)(.15) = −.075
  //   → between = −.025
  // Φ_S2 = .675, s_E2 = 1/3, Φ_E2 = .9 → entry = (1/3)(.225) = .075
  // Φ_S1 = .6, s_X1 = .25, Φ_X1 = .2 → exit = .25·.4 = .1
  const exp: Record<string, number> = {
    total: 0.25,
    within: 0.1,
    between: -0.025,
    entry: 0.075,
    exit: 0.1,
    gap: 0.15,
    phi0: 0.5,
    phi1: 0.75,
    s_e2: 1 / 3,
    s_x1: 0.25,
    n_s: 2,
    n_e: 1,
    n_x: 1,
    t0: 1,
    t1: 2,
  };
  for (const [k, e] of Object.entries(exp)) assert.ok(Math.abs(g(k) - e) <= HAND_TOL, `${k}: ${g(k)} vs ${e}`);
  assert.equal(column(r, "city"), ["A"]);
});

test("MP: identity holds exactly over many random groups and periods", () => {
  const R = rng(20240601);
  const city: string[] = [];
  const hs6: string[] = [];
  const year: number[] = [];
  const v: number[] = [];
  const q: number[] = [];
  for (let c = 0; c < 200; c++)
    for (let y = 2000; y < 2005; y++)
      for (let i = 0; i < 40; i++) {
        if (R.uniform() < 0.3) continue; // item absent this year → entry/exit
        city.push(`c${c}`);
        hs6.push(`p${i}`);
        year.push(y);
        v.push(Math.exp(3 * R.uniform()));
        q.push(R.uniform());
      }
  const t = table({ city, hs6, year: Float64Array.from(year), v: Float64Array.from(v), q: Float64Array.from(q) });
  const { table: r, report } = melitzPolanec(t, opts);
  assert.is(report.pairs, 200 * 4);
  const [tot, w, b, e, x, gap, p0, p1] = ["total", "within", "between", "entry", "exit", "gap", "phi0", "phi1"].map((k) => numeric(r, k));
  let maxRel = 0;
  for (let i = 0; i < r.nrows; i++) {
    const sum = (w?.[i] as number) + (b?.[i] as number) + (e?.[i] as number) + (x?.[i] as number);
    const scale = Math.max(Math.abs(p0?.[i] as number), Math.abs(p1?.[i] as number));
    maxRel = Math.max(maxRel, Math.abs(sum - (tot?.[i] as number)) / scale);
    assert.ok(Math.abs((gap?.[i] as number) - ((b?.[i] as number) + (e?.[i] as number) + (x?.[i] as number))) <= IDENTITY_REL * scale);
  }
  assert.ok(maxRel <= IDENTITY_REL, `max relative identity error ${maxRel}`);
  // and the decomposition is not trivially zero
  assert.ok(Array.from(e as Float64Array).some((z) => Math.abs(z) > 1e-3));
});

test("MP: numeric item codes give the same decomposition, bit for bit, as the same items as text; a repeated numeric item is named", () => {
  const R = rng(20240602);
  const city: string[] = [],
    item: number[] = [],
    year: number[] = [],
    v: number[] = [],
    q: number[] = [];
  for (let c = 0; c < 50; c++)
    for (let y = 2000; y < 2004; y++)
      for (let i = 0; i < 30; i++) {
        if (R.uniform() < 0.3) continue;
        city.push(`c${c}`);
        item.push(i === 0 ? -0 : i * 1000003 + 0.5); // −0 and 0 are one item, as their text "0"
        year.push(y);
        v.push(R.uniform() < 0.05 ? 0 : Math.exp(3 * R.uniform()));
        q.push(R.uniform());
      }
  const base = { city, year: Float64Array.from(year), v: Float64Array.from(v), q: Float64Array.from(q) };
  const o = { group: "city", item: "item", time: "year", value: "v", quality: "q" } as const;
  const asNumber = melitzPolanec(table({ ...base, item: Float64Array.from(item) }), o);
  const asText = melitzPolanec(table({ ...base, item: item.map((x) => String(x)) }), o);
  assert.equal(asNumber.report, asText.report);
  for (const k of ["total", "within", "between", "entry", "exit", "gap", "phi0", "phi1", "n_s", "n_e", "n_x"]) {
    const a = numeric(asNumber.table, k),
      b = numeric(asText.table, k);
    for (let i = 0; i < a.length; i++) assert.ok(Object.is(a[i], b[i]), `${k}[${i}]: ${a[i]} vs ${b[i]}`);
  }
  const dup = table({
    city: ["A", "A"],
    item: Float64Array.of(7.5, 7.5),
    year: Float64Array.of(1, 1),
    v: Float64Array.of(1, 2),
    q: Float64Array.of(0.1, 0.2),
  });
  assert.throws(() => melitzPolanec(dup, o), /row 2: duplicate \(group, item, time\) for item "7\.5", time 1/);
});

test("MP: no entrants / no exiters → 0; no survivors → NaN components, counted", () => {
  const t = fromRecords([
    { city: "A", hs6: "a", year: 1, v: 1, q: 0.4 },
    { city: "A", hs6: "b", year: 1, v: 1, q: 0.6 },
    { city: "A", hs6: "a", year: 2, v: 1, q: 0.5 }, // b exits, nobody enters
    { city: "B", hs6: "a", year: 1, v: 1, q: 0.4 },
    { city: "B", hs6: "z", year: 2, v: 1, q: 0.9 }, // complete turnover
  ]);
  const { table: r, report } = melitzPolanec(t, opts);
  assert.is(r.nrows, 2);
  const entry = numeric(r, "entry");
  const exit = numeric(r, "exit");
  assert.is(entry[0], 0);
  // A: Φ1 = .5, Φ_S1 = .4, Φ_X1 = .6, s_X1 = .5 → exit = .5·(.4 − .6) = −.1; within = .5 − .4 = .1; total = 0
  assert.ok(Math.abs((exit[0] as number) + 0.1) < HAND_TOL);
  assert.ok(Math.abs((numeric(r, "total")[0] as number) - 0) < HAND_TOL);
  assert.ok(Number.isNaN(numeric(r, "within")[1] as number) && Number.isNaN(entry[1] as number));
  assert.ok(Math.abs((numeric(r, "total")[1] as number) - 0.5) < HAND_TOL);
  assert.is(report.noSurvivorPairs, 1);
});

test("MP: NA quality / zero value rows are absent and counted; duplicates are errors; groups by several keys", () => {
  const t = fromRecords([
    { city: "A", hs4: "01", hs6: "a", year: 1, v: 1, q: 0.4 },
    { city: "A", hs4: "01", hs6: "b", year: 1, v: 0, q: 0.6 }, // value 0 → absent
    { city: "A", hs4: "01", hs6: "a", year: 2, v: 1, q: 0.5 },
    { city: "A", hs4: "01", hs6: "b", year: 2, v: 1, q: null }, // NA quality → absent
    { city: "A", hs4: "02", hs6: "c", year: 1, v: 1, q: 0.1 },
    { city: "A", hs4: "02", hs6: "c", year: 2, v: 1, q: 0.3 },
  ]);
  const { table: r, report } = melitzPolanec(t, { ...opts, group: ["city", "hs4"] });
  assert.is(report.absentRows, 2);
  assert.is(r.nrows, 2);
  assert.equal(column(r, "hs4"), ["01", "02"]);
  assert.ok(Math.abs((numeric(r, "within")[0] as number) - 0.1) < HAND_TOL);
  assert.ok(Math.abs((numeric(r, "within")[1] as number) - 0.2) < HAND_TOL);
  const dup = fromRecords(
    [
      { city: "A", hs6: "a", year: 1, v: 1, q: 0.4 },
      { city: "A", hs6: "a", year: 1, v: 2, q: 0.4 },
    ],
    "q.csv",
  );
  assert.throws(
    () => melitzPolanec(dup, opts),
    (e: unknown) => e instanceof DataError && /q\.csv: row 2: duplicate/.test((e as Error).message),
  );
});

test("MP: an item of two columns (firm × HS6) gives bit for bit the decomposition of the same items as one joined text column, lags 1 and 2; a repeat is named by both parts", () => {
  const r = rng(11);
  const rows: Record<string, string | number>[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const rec = {
      city: Math.floor(r.uniform() * 4),
      firm: Math.floor(r.uniform() * 6),
      hs6: `h${Math.floor(r.uniform() * 5)}`,
      year: 2000 + Math.floor(r.uniform() * 5),
      v: r.uniform() < 0.1 ? 0 : r.uniform() * 10,
      q: r.normal(0, 1),
    };
    const key = `${rec.city}|${rec.firm}|${rec.hs6}|${rec.year}`;
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push({ ...rec, variety: `${rec.firm}|${rec.hs6}` });
  }
  const t = fromRecords(rows);
  for (const lag of [1, 2]) {
    const o = { group: "city", time: "year", value: "v", quality: "q", lag };
    const a = melitzPolanec(t, { ...o, item: ["firm", "hs6"] });
    const b = melitzPolanec(t, { ...o, item: "variety" });
    assert.equal(a.report, b.report);
    assert.ok(a.table.nrows > 10);
    for (const k of ["total", "within", "between", "entry", "exit", "n_s", "n_e", "n_x"]) {
      const x = numeric(a.table, k),
        y = numeric(b.table, k);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], y[i]), `lag ${lag} ${k} row ${i}: ${x[i]} vs ${y[i]}`);
    }
  }
  const dup = fromRecords([...rows.slice(0, 3), { ...(rows[1] as Record<string, string | number>) }]);
  assert.throws(
    () => melitzPolanec(dup, { group: "city", item: ["firm", "hs6"], time: "year", value: "v", quality: "q" }),
    (e: unknown) =>
      e instanceof DataError && /row 4/.test(String(e)) && String(e).includes(`"${(rows[1] as { variety: string }).variety}"`),
  );
});

test("MP edge cases: errors in the order a scan of each group's rows meets them; t − lag rounding to t pairs the period with itself; −0 is the time 0; an empty item list is refused", () => {
  const o = { group: "g", item: "i", time: "t", value: "v", quality: "q" } as const;
  const msg = (rows: Record<string, string | number | null>[]): string => {
    try {
      melitzPolanec(fromRecords(rows), o);
      return "no error";
    } catch (e) {
      return String((e as Error).message);
    }
  };
  // a duplicate (row 2) before an NA time (row 3, another group): the duplicate is reported
  assert.match(
    msg([
      { g: "A", i: "a", t: 1, v: 1, q: 1 },
      { g: "A", i: "a", t: 1, v: 1, q: 1 },
      { g: "B", i: "b", t: null, v: 1, q: 1 },
    ]),
    /row 2: duplicate .* item "a", time 1/,
  );
  // an NA time (row 2) before a duplicate (row 3) in the same group: the NA time
  assert.match(
    msg([
      { g: "A", i: "a", t: 1, v: 1, q: 1 },
      { g: "A", i: "b", t: null, v: 1, q: 1 },
      { g: "A", i: "a", t: 1, v: 1, q: 1 },
    ]),
    /row 2: NA time/,
  );
  // t − lag == t in floating point (t = 1e17): the period is its own predecessor (all survivors, total 0)
  const big = melitzPolanec(
    fromRecords([
      { g: "A", i: "a", t: 1e17, v: 1, q: 0.5 },
      { g: "A", i: "b", t: 1e17, v: 2, q: 0.7 },
    ]),
    o,
  ).table;
  assert.is(big.nrows, 1);
  assert.is(numeric(big, "t0")[0], 1e17);
  assert.is(numeric(big, "total")[0], 0);
  assert.is(numeric(big, "n_s")[0], 2);
  // −0 and +0 are one time, reported as +0
  const z = melitzPolanec(
    table({
      g: ["A", "A", "A"],
      i: ["a", "b", "a"],
      t: Float64Array.from([-0, 0, 1]),
      v: Float64Array.from([1, 1, 1]),
      q: Float64Array.from([0.1, 0.2, 0.3]),
    }),
    o,
  ).table;
  assert.is(z.nrows, 1);
  assert.ok(Object.is(numeric(z, "t0")[0], 0), "t0 is +0");
  assert.is(numeric(z, "n_s")[0], 1);
  assert.throws(
    () => melitzPolanec(fromRecords([{ g: "A", i: "a", t: 1, v: 1, q: 1 }]), { ...o, item: [] }),
    /item: name at least one column/,
  );
});

test.run();
