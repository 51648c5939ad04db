import { test } from "uvu";
import * as assert from "uvu/assert";
import { feols } from "../../lib/estimators/feols";
import { table } from "../../lib/data/table";
import { qT } from "../../lib/util/distributions";
import {
  coefPoints,
  coefPlot,
  distributionPlot,
  eventStudyPlot,
  curvePlot,
  sampleCurve,
  binMeans,
  binnedScatter,
  renderSvg,
  isVegaLiteSpec,
  VEGA_LITE_SCHEMA,
} from "../../lib/report/charts";

const d = table({ y: [1, 3, 2, 5, 4, 6, 8, 7], x: [1, 2, 3, 4, 5, 6, 7, 8], z: [0, 1, 0, 1, 1, 0, 1, 0] });
const m1 = feols(d, "y ~ x", { vcov: "iid" });
const m2 = feols(d, "y ~ x + z", { vcov: "iid" });

/** Text content of the SVG's <text> elements. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string);
}

test("coefPoints: CI = b ± t(0.975, n−k)·se; published values carried", () => {
  const pts = coefPoints([m1, m2], { keep: ["x"], published: [{ x: 0.9 }, undefined], labels: { x: "vagg" } });
  assert.is(pts.length, 2);
  const q = qT(0.975, 6);
  const p0 = pts[0]!;
  assert.is(p0.term, "vagg");
  assert.is(p0.model, "(1)");
  assert.ok(Math.abs(p0.hi - ((m1.coef.x as number) + q * (m1.se.x as number))) < 1e-12);
  assert.ok(Math.abs(p0.lo - ((m1.coef.x as number) - q * (m1.se.x as number))) < 1e-12);
  assert.is(p0.published, 0.9);
  assert.is(pts[1]!.published, undefined);
  // agrees with feols' own confidence interval at the same level
  const row = m1.table.find((r) => r.name === "x")!;
  assert.ok(Math.abs(p0.lo - row.ciLow) < 1e-10 && Math.abs(p0.hi - row.ciHigh) < 1e-10);
  // no dof → normal quantile
  const noDof = coefPoints([{ coef: { b: 1 }, se: { b: 1 }, pvalue: { b: 0 }, nobs: 5 }], { level: 0.9 });
  assert.ok(Math.abs(noDof[0]!.hi - 2.6448536269514722) < 1e-9);
});

test("coefPlot renders to SVG with axis title and published marker layer", async () => {
  const spec = coefPlot(coefPoints([m1, m2], { keep: ["x", "z"], published: [{ x: 0.9 }] }), {
    title: "Baseline",
    xTitle: "Coefficient (95% CI)",
  });
  assert.ok(isVegaLiteSpec(spec));
  assert.is(spec.$schema, VEGA_LITE_SCHEMA);
  assert.is((spec.layer as unknown[]).length, 4);
  const svg = await renderSvg(spec);
  assert.ok(svg.startsWith("<svg"), svg.slice(0, 40));
  const tx = svgTexts(svg);
  for (const s of ["Coefficient (95% CI)", "Baseline", "x", "z", "Model"]) assert.ok(tx.includes(s), `${s} in ${JSON.stringify(tx)}`);
});

test("distributionPlot: finite values only, marked rule with label, renders", async () => {
  const vals = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 0.05);
  const spec = distributionPlot([...vals, NaN, Infinity], {
    marked: { value: 0.2013, label: "true estimate" },
    xTitle: "Placebo coefficient",
  });
  const layer = spec.layer as { data: { values: unknown[] } }[];
  assert.is(layer[0]!.data.values.length, 200);
  assert.equal(layer[1]!.data.values, [{ value: 0.2013, label: "true estimate" }]);
  const tx = svgTexts(await renderSvg(spec));
  for (const s of ["Placebo coefficient", "Count", "true estimate"]) assert.ok(tx.includes(s), s);
  assert.equal((distributionPlot([1, 2], { marked: 1.5 }).layer as { data: { values: unknown[] } }[])[1]!.data.values, [
    { value: 1.5, label: "1.5" },
  ]);
});

test("eventStudyPlot: adds the omitted reference period at 0, sorted, renders", async () => {
  const pts = [-3, -2, 0, 1, 2].map((p) => ({ period: p, estimate: p > 0 ? 0.1 * p : 0.01, lo: -0.05, hi: 0.3 }));
  const spec = eventStudyPlot(pts, { xTitle: "Years since treatment", yTitle: "Effect on quality" });
  const rows = (spec.data as { values: { period: number; estimate: number; ref: boolean }[] }).values;
  assert.equal(
    rows.map((r) => r.period),
    [-3, -2, -1, 0, 1, 2],
  );
  assert.equal(rows[2], { period: -1, estimate: 0, lo: 0, hi: 0, ref: true });
  const tx = svgTexts(await renderSvg(spec));
  for (const s of ["Years since treatment", "Effect on quality"]) assert.ok(tx.includes(s), s);
  const noRef = eventStudyPlot(pts, { reference: null, onset: null });
  assert.is((noRef.data as { values: unknown[] }).values.length, 5);
  assert.is((noRef.layer as unknown[]).length, 4);
});

test("sampleCurve and curvePlot (Figure 1 style: CDF and PDF panels for several κ)", async () => {
  const s = sampleCurve((x) => x * x, 0, 1, 3);
  assert.equal([...s.x], [0, 0.5, 1]);
  assert.equal([...s.y], [0, 0.25, 1]);
  const series = [1.5, 3].flatMap((k) => [
    { name: `κ = ${k}`, panel: "CDF", ...sampleCurve((x) => 1 - x ** -k, 1, 5, 50) },
    { name: `κ = ${k}`, panel: "PDF", ...sampleCurve((x) => k * x ** (-k - 1), 1, 5, 50) },
  ]);
  const spec = curvePlot(series, { xTitle: "Productivity φ", yTitle: "F(φ), f(φ)", legendTitle: "κ" });
  assert.ok("facet" in spec && !("width" in spec));
  assert.is((spec.data as { values: unknown[] }).values.length, 200);
  const tx = svgTexts(await renderSvg(spec));
  for (const s of ["Productivity φ", "CDF", "PDF", "κ = 1.5", "κ = 3"])
    assert.ok(tx.includes(s), `${s} in ${JSON.stringify(tx.slice(0, 40))}`);
  const single = curvePlot([{ name: "a", x: [1, 2, NaN], y: [1, 2, 3] }]);
  assert.ok(!("facet" in single));
  assert.is((single.data as { values: unknown[] }).values.length, 2);
});

test("binMeans: equal-count bins, hand values, OLS line; binnedScatter renders", async () => {
  const b = binMeans([4, 1, 3, 2, NaN, 5], [8, 2, 6, 4, 1, NaN], 2);
  assert.equal([...b.x], [1.5, 3.5]);
  assert.equal([...b.y], [3, 7]);
  assert.equal([...b.n], [2, 2]);
  assert.ok(Math.abs(b.slope - 2) < 1e-12 && Math.abs(b.intercept) < 1e-12);
  const c = binMeans([1, 2, 3, 4, 5], [1, 1, 1, 1, 6], 2);
  assert.equal([...c.n], [2, 3]);
  assert.equal([...c.y], [1, 8 / 3]);
  assert.throws(() => binMeans([1], [1, 2]), /x has 1 values but y has 2/);
  const xs = Array.from({ length: 100 }, (_, i) => i / 10);
  const spec = binnedScatter(
    xs,
    xs.map((v) => 2 * v + Math.cos(v)),
    { bins: 10, xTitle: "Virtual agglomeration", yTitle: "Export quality" },
  );
  assert.is((spec.layer as { data: { values: unknown[] } }[])[0]!.data.values.length, 10);
  const tx = svgTexts(await renderSvg(spec));
  for (const s of ["Virtual agglomeration", "Export quality"]) assert.ok(tx.includes(s), s);
});

test.run();
