import { test } from "uvu";
import * as assert from "uvu/assert";
import { qualityByPhiChart, paretoFigure, averageQualityByKappaChart } from "../../lib/papers/eq/theory-figures";
import { table, fromRecords } from "../../lib/data/table";
import {
  coefPlot,
  distributionPlot,
  eventStudyPlot,
  curvePlot,
  binnedScatter,
  renderSvg,
  sampleCurve,
  type VegaLiteSpec,
} from "../../lib/report/charts";
import { placeboChart, bootstrapChart } from "../../lib/report/charts/resampling";
import { digitalShiftsChart, sigmaScatter } from "../../lib/papers/eq/measurement";
import { decompositionChart } from "../../lib/papers/eq/mechanism";
import { placeboFigure } from "../../lib/papers/eq/panel";
import { EQ_FIGURE2_PUBLISHED } from "../../lib/papers/eq/published";
import { diffTestChart } from "../../lib/papers/eq/heterogeneity";
import { heterogeneityTestChart, type HeterogeneitySplit } from "../../lib/papers/rs/sections";
import {} from "../../lib/theory/ces";
import {} from "../../lib/theory/pareto";
import type { PlaceboResult } from "../../lib/estimators/resampling/placebo";
import type { CoefDiffResult } from "../../lib/estimators/resampling/coef-diff";

// Every chart builder's spec must render to SVG (vega-lite compile + vega headless view) and
// read well: year axes print "2004" (never "2,004"), axes carry at most 12 distinct labels,
// no legend lists more than 8 entries, published values are named in the legend.

interface Axis {
  readonly title: string;
  readonly labels: string[];
}

/** The labelled axes of a rendered chart: title (from the axis' aria-label) and tick labels. */
function axes(svg: string): Axis[] {
  return svg
    .split('<g class="mark-group role-axis" role="graphics-symbol"')
    .slice(1)
    .map((part) => {
      const title = /aria-label="[XY]-axis titled '([^']*)'/.exec(part)?.[1] ?? "";
      const g = /<g class="mark-text role-axis-label"[^>]*>([\s\S]*?)<\/g>/.exec(part);
      return { title, labels: g ? [...(g[1] as string).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string) : [] };
    });
}

/** Entries of each legend of a rendered chart. */
function legends(svg: string): string[][] {
  return svg
    .split('class="mark-group role-legend"')
    .slice(1)
    .map((part) =>
      [...part.matchAll(/class="mark-text role-legend-label"[^>]*>\s*<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] as string),
    );
}

const rnd = (() => {
  let s = 7;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
})();
const normal = () => Math.sqrt(-2 * Math.log(rnd())) * Math.cos(2 * Math.PI * rnd());
const draws = (n: number, sd: number) => Float64Array.from({ length: n }, () => normal() * sd);

const years = Array.from({ length: 12 }, (_, i) => 2004 + i);
const shifts = fromRecords(
  Array.from({ length: 17 }, (_, k) =>
    years.map((y) => ({
      ind: `D${10 + k}`,
      name: `Industry ${k} with a rather long OECD sector name`,
      year: y,
      shift: (k + 1) * 0.05 * (1 + (y - 2004) / 10),
    })),
  ).flat(),
);
const placeboLike = {
  coefs: draws(1000, 0.01),
  tstats: draws(1000, 1),
  actual: { coef: 0.3187, t: 13.2 },
  permute: "vagg",
  reps: 1000,
  coefMean: 0.0001,
  tMean: 0.0144,
} as unknown as PlaceboResult;
const diffLike = { diff: 0.2, draws: draws(500, 0.05) } as unknown as CoefDiffResult;

const charts: Record<string, () => VegaLiteSpec | Record<string, unknown>> = {
  coefPlot: () =>
    coefPlot([
      { term: "vagg", estimate: 0.3, lo: 0.25, hi: 0.35, model: "(1)", published: 0.31 },
      { term: "vagg", estimate: 0.2, lo: 0.1, hi: 0.3, model: "(2)" },
    ]),
  coefPlotSingle: () =>
    coefPlot([
      { term: "within", estimate: 0.1, lo: 0, hi: 0.2, published: 0.11 },
      { term: "total", estimate: 0.6, lo: 0.4, hi: 0.8, published: 0.67 },
    ]),
  distributionPlot: () =>
    distributionPlot(draws(1000, 0.02), {
      marked: { value: 0.05, label: "observed" },
      mean: "recomputed mean",
      published: { value: -0.0005, label: "published mean" },
    }),
  eventStudyPlot: () =>
    eventStudyPlot(
      [-4, -3, -2, 0, 1, 2, 3, 4].map((p) => ({ period: p, estimate: p / 1000, lo: p / 1000 - 0.002, hi: p / 1000 + 0.002 })),
      { xTitle: "Years since pilot", published: [{ period: 1, estimate: 0.002 }] },
    ),
  curvePlotYears: () =>
    curvePlot(
      Array.from({ length: 12 }, (_, k) => ({ name: `series ${k}`, x: years, y: years.map((y) => k + (y - 2004) / 10) })),
      { xTitle: "year" },
    ),
  curvePlotPanels: () =>
    curvePlot(
      [2, 3].flatMap((k) => [
        { name: `κ = ${k}`, panel: "CDF", ...sampleCurve((x) => 1 - x ** -k, 1, 4, 30) },
        { name: `κ = ${k}`, panel: "PDF", ...sampleCurve((x) => k * x ** (-k - 1), 1, 4, 30) },
      ]),
    ),
  binnedScatter: () =>
    binnedScatter(
      Array.from({ length: 200 }, (_, i) => i / 20),
      Array.from({ length: 200 }, (_, i) => i / 10 + normal()),
    ),
  placeboChart: () => placeboChart(placeboLike, { published: { coefMean: -0.0005, tMean: 0.2417, coef: 0.3087 } }),
  placeboFigure: () => placeboFigure(placeboLike, { published: EQ_FIGURE2_PUBLISHED }),
  bootstrapChart: () => bootstrapChart(draws(500, 0.02), 0.31, { ci: [0.27, 0.35], name: "vagg", published: 0.3087 }),
  digitalShiftsChart: () => digitalShiftsChart(shifts, { years: [2004, 2015] }),
  digitalShiftsByWeight: () =>
    digitalShiftsChart(shifts, {
      rankBy: new Map([
        ["D12", 0.5],
        ["D20", -0.7],
      ]),
    }),
  decompositionChart: () =>
    decompositionChart(
      fromRecords(
        years
          .slice(2)
          .flatMap((y) =>
            ["within", "between", "entry", "exit", "total"].map((c, j) => ({ year: y, component: c, value: (j - 2) * 0.003, cells: 100 })),
          ),
      ),
    ),
  sigmaScatter: () =>
    sigmaScatter(table({ hs3: ["010", "020", "030"], sigma_table: [2, 3, 5], sigma_hat: [2.2, 2.8, 5.5], se: [0.2, 0.3, 0.4] })),
  diffTestChart: () => diffTestChart({ label: "ordinary − processing", test: diffLike, published: 0.2295 }),
  heterogeneityTestChart: () =>
    heterogeneityTestChart({
      label: "Old industrial base",
      inLabel: "Old industrial",
      outLabel: "Other",
      test: diffLike,
      published: { in: { coef: 0.01, se: 0.003 }, out: { coef: 0.004, se: 0.002 } },
    } as unknown as HeterogeneitySplit),
  qualityByPhiChart: () => qualityByPhiChart(),
  paretoFigure: () => paretoFigure(),
  averageQualityByKappaChart: () => averageQualityByKappaChart(),
};

for (const [name, build] of Object.entries(charts)) {
  test(`${name}: renders to SVG, readable axes and legends`, async () => {
    const svg = await renderSvg(JSON.parse(JSON.stringify(build())) as VegaLiteSpec);
    assert.ok(svg.startsWith("<svg"), svg.slice(0, 40));
    const ax = axes(svg);
    assert.ok(ax.length >= 2, `${ax.length} labelled axes`);
    for (const a of ax) {
      assert.ok(a.labels.length <= 12, `axis "${a.title}": ${a.labels.length} ticks ${JSON.stringify(a.labels)}`);
      assert.is(new Set(a.labels).size, a.labels.length, `axis "${a.title}": duplicate tick labels ${JSON.stringify(a.labels)}`);
      if (/year/i.test(a.title)) for (const l of a.labels) assert.not.match(l, /,/, `year axis "${a.title}" label ${l}`);
    }
    for (const l of legends(svg)) assert.ok(l.length <= 8, `legend with ${l.length} entries: ${JSON.stringify(l)}`);
  });
}

test("year axes print four-digit years: curvePlot, digitalShiftsChart, decompositionChart", async () => {
  for (const name of ["curvePlotYears", "digitalShiftsChart", "decompositionChart"]) {
    const ax = axes(await renderSvg((charts[name] as () => VegaLiteSpec)()));
    const yearAxis = ax.find((a) => /year/i.test(a.title));
    assert.ok(yearAxis, `${name}: year axis in ${JSON.stringify(ax.map((a) => a.title))}`);
    assert.ok(yearAxis!.labels.length >= 3, `${name}: ${JSON.stringify(yearAxis!.labels)}`);
    for (const l of yearAxis!.labels) assert.match(l, /^(19|20)\d\d$/, `${name}: ${l}`);
  }
});

test("highlighting: more than 8 series → the top ones named, the rest one grey 'other' entry", async () => {
  const lg = legends(await renderSvg(charts.digitalShiftsChart!() as VegaLiteSpec));
  assert.is(lg.length, 1);
  assert.is(lg[0]!.length, 7);
  assert.is(lg[0]![6], "other (11)");
  assert.match(lg[0]![0]!, /^Industry 16 /, "largest mean shift first");
  const byWeight = legends(await renderSvg(charts.digitalShiftsByWeight!() as VegaLiteSpec))[0]!;
  assert.equal(
    byWeight.map((s) => s.replace(/ with.*/, "")),
    ["Industry 10", "Industry 2", "other (15)"],
    "ranked by |weight|, unranked industries grey",
  );
  const few = curvePlot([
    { name: "a", x: [1, 2], y: [1, 2] },
    { name: "b", x: [1, 2], y: [2, 1] },
  ]);
  assert.ok(!("layer" in few), "no greying with few series");
});

test("published values are named in the legend beside ours", async () => {
  for (const [name, want] of [
    ["coefPlot", "published"],
    ["coefPlotSingle", "published"],
    ["eventStudyPlot", "published"],
    ["distributionPlot", "published mean"],
    ["bootstrapChart", "published 0.3087"],
    ["diffTestChart", "published d 0.2295"],
    ["heterogeneityTestChart", "published d 0.0060"],
  ] as const) {
    const entries = legends(await renderSvg(charts[name]!() as VegaLiteSpec)).flat();
    assert.ok(entries.includes(want), `${name}: ${JSON.stringify(entries)}`);
  }
  const fig2 = legends(await renderSvg(charts.placeboFigure!() as VegaLiteSpec));
  assert.equal(fig2[0], ["actual estimate 0.3187", "placebo mean 0.0001", "published placebo mean −0.0005", "published estimate 0.3087"]);
  assert.equal(fig2[1], ["actual t 13.2000", "placebo mean 0.0144", "published placebo mean 0.2417"]);
  const d = legends(await renderSvg(charts.distributionPlot!() as VegaLiteSpec))[0]!;
  assert.match(d[1]!, /^recomputed mean −?0\.\d+$/);
});

test.run();
