import { test } from "uvu";
import * as assert from "uvu/assert";
import { table, toRecords } from "../../lib/data/table";
import { DataError, ArgumentError } from "../../lib/util/errors";
import { couplingCoordination } from "../../lib/measures/coupling";
import { geoAgglomeration, locationQuotientTable } from "../../lib/measures/agglomeration";
import { cleanPanel, interpolateColumn, winsorizeColumn } from "../../lib/measures/hygiene";

// Tolerances
// HAND: 1e-14 relative — a square root or a ratio of a few numbers; float rounding only.
const HAND = 1e-14;
const close = (a: number, b: number, what = "") => assert.ok(Math.abs(a - b) <= HAND * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test("coupling coordination C, T, D by hand", () => {
  // U1 = .3, U2 = .5: C = 2 sqrt(.15)/.8 = 2*0.3872983346207417/0.8 = 0.9682458365518543
  // T = .5*.3 + .5*.5 = .4 ; D = sqrt(0.9682458365518543*0.4) = 0.6223329772884784
  const r = couplingCoordination(Float64Array.of(0.3, 0.2, 0), Float64Array.of(0.5, 0.2, 0));
  close(r.C[0] as number, 0.9682458365518543, "C");
  close(r.T[0] as number, 0.4, "T");
  close(r.D[0] as number, 0.6223329772884784, "D");
  close(r.C[1] as number, 1, "equal systems are fully coupled");
  assert.ok(Number.isNaN(r.C[2] as number) && Number.isNaN(r.D[2] as number), "0/0");
  // a = .3, b = .7: T = .09 + .35 = .44 ; D = sqrt(0.9682458365518543*.44) = 0.65270833308823
  const w = couplingCoordination(Float64Array.of(0.3), Float64Array.of(0.5), { a: 0.3 });
  close(w.D[0] as number, 0.65270833308823, "D weighted");
  // legacy (misused) form: sqrt(.15/.64) = 0.4841229182759271
  close(couplingCoordination(Float64Array.of(0.3), Float64Array.of(0.5), { legacy: true }).C[0] as number, 0.4841229182759271, "legacy C");
});

test("coupling bad input", () => {
  assert.throws(
    () => couplingCoordination(Float64Array.of(-0.1), Float64Array.of(0.5), { names: ["digital", "resi"] }),
    (e: unknown) => e instanceof DataError && /column "digital", row 1/.test((e as Error).message),
  );
  assert.throws(
    () => couplingCoordination(Float64Array.of(0.1), Float64Array.of(0.5), { a: 0.3, b: 0.3 }),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test("geographic agglomeration: firms per km²", () => {
  const t = table({ firms: [500, 30, NaN, 10], area: [2000, 0, 10, NaN] });
  const r = geoAgglomeration(t, "firms", "area");
  close(r.value[0] as number, 0.25, "500/2000");
  assert.ok(Number.isNaN(r.value[1] as number) && Number.isNaN(r.value[3] as number));
  assert.is(r.undefinedRows, 2);
  assert.throws(
    () => geoAgglomeration(t, "firm", "area"),
    (e: unknown) => e instanceof DataError && /did you mean "firms"/.test((e as Error).message),
  );
});

test("location quotient by hand", () => {
  // A: x 10, y 30 (40) ; B: x 20, y 40 (60) ; E = 100, E_x = 30, E_y = 70
  // LQ_Ax = (10/40)/(30/100) = 0.8333.. ; LQ_Ay = (30/40)/(70/100) = 1.0714285714285714
  // LQ_Bx = (20/60)/0.3 = 1.1111.. ; LQ_By = (40/60)/0.7 = 0.9523809523809523
  const t = table({ city: ["A", "A", "B", "B"], ind: ["x", "y", "x", "y"], e: [10, 30, 20, 40] });
  const r = locationQuotientTable(t, { value: "e", region: "city", industry: "ind" });
  [0.25 / 0.3, 0.75 / 0.7, 1 / 3 / 0.3, 2 / 3 / 0.7].forEach((v, i) => close(r.values[i] as number, v, `LQ ${i}`));
  assert.throws(
    () => locationQuotientTable(t, { value: "e", region: "cty", industry: "ind" }),
    (e: unknown) => e instanceof DataError && /column "cty"/.test((e as Error).message),
  );
  assert.throws(
    () => locationQuotientTable(table({ city: ["A"], ind: ["x"], e: [-1] }), { value: "e", region: "city", industry: "ind" }),
    (e: unknown) => e instanceof DataError && /row 1/.test((e as Error).message),
  );
});

test("hygiene: interpolation audit (interior gap filled, trailing gap kept)", () => {
  // A: years 1..5 = 1, NA, 5, 7, NA -> year 2 = 1 + (5-1)/2 = 3 ; year 5 stays NA (no extrapolation)
  const t = table({ city: ["A", "A", "A", "A", "A"], year: [5, 1, 2, 3, 4], x: [NaN, 1, NaN, 5, 7] });
  const r = interpolateColumn(t, "x", { unit: "city", time: "year" });
  close(r.values[2] as number, 3, "filled");
  assert.ok(Number.isNaN(r.values[0] as number));
  assert.equal(r.audit, { column: "x", naBefore: 2, interpolated: 1, naAfter: 1 });
});

test("hygiene: 1% winsorisation audit on 0..100", () => {
  // 101 values 0..100: type-7 quantile at .01 = 0 + (100*.01) = 1, at .99 = 99 -> 0 -> 1, 100 -> 99: 2 changed
  const x = Float64Array.from({ length: 101 }, (_, i) => 100 - i);
  const t = table({ x });
  const r = winsorizeColumn(t, "x");
  assert.is(r.audit.winsorized, 2);
  assert.is(r.values[0], 99);
  assert.is(r.values[100], 1);
  assert.equal(r.bounds, [[1, 99]]);
});

test("hygiene: cleanPanel audit table and bad input", () => {
  const n = 101;
  const city = Array.from({ length: n }, (_, i) => (i < 50 ? "A" : "B"));
  const year = Array.from({ length: n }, (_, i) => (i < 50 ? i : i - 50));
  const x = Float64Array.from({ length: n }, (_, i) => i);
  x[10] = NaN; // interior gap of A -> 10
  const t = table({ city, year, x, allna: new Float64Array(n).fill(NaN) });
  const r = cleanPanel(t, ["x"], { unit: "city", time: "year" });
  assert.equal(toRecords(r.audit), [{ column: "x", naBefore: 1, interpolated: 1, naAfter: 0, winsorized: 2 }]);
  assert.is(r.table.columns.x?.[10], 10);
  assert.throws(
    () => cleanPanel(t, ["allna"], { unit: "city", time: "year" }),
    (e: unknown) => e instanceof DataError && /column "allna"/.test((e as Error).message) && /all values are NA/.test((e as Error).message),
  );
  assert.throws(
    () => cleanPanel(t, ["y"], { unit: "city", time: "year" }),
    (e: unknown) => e instanceof DataError && /column "y"/.test((e as Error).message),
  );
  assert.throws(
    () => cleanPanel(t, ["x"], { unit: "city", time: "year", winsorize: 0.6 }),
    (e: unknown) => e instanceof ArgumentError,
  );
});

test.run();
