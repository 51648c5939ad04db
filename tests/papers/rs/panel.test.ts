import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { buildWorld, ti } from "../../../lib/synth/world";
import { buildMembers } from "../../../lib/synth/rs";
import { Rng } from "../../../lib/util/rng";
import { column, numeric, toRecords } from "../../../lib/data/table";
import { buildResiliencePanel, dimensionWeights, RS_RESILIENCE_INDICATORS, martinSample } from "../../../lib/papers/rs/panel";
import { comparisonRow } from "../../../lib/papers/compare";

// Tolerances
// EXACT: 1e-8 — same arithmetic as the generator, but the yearbook file stores pop with 10 significant digits (relative error ≤ 5e-10 per value).
const EXACT = 1e-8;

const SEED = 20220707;
let dir = "";
const built = (async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rs-panel-"));
  await generate({ scale: "small", seed: SEED, outDir: dir });
  return {
    wins: await buildResiliencePanel(dir),
    raw: await buildResiliencePanel(dir, { winsorize: false }),
  };
})();

test("vagg = RS_VAGG_SCALE · Σ LQ × digital coefficient reproduces the generator's vagg_RS exactly", async () => {
  const { raw } = await built;
  const w = await buildWorld("small", SEED);
  const mem = buildMembers(w, new Rng(SEED).fork("members"));
  const v = numeric(raw.panel, "vagg"),
    c = column(raw.panel, "city") as Int32Array,
    y = column(raw.panel, "year") as Int32Array;
  const codes = w.cities.map((x) => x.code);
  assert.is(raw.panel.nrows, codes.length * 12);
  for (let i = 0; i < raw.panel.nrows; i++) {
    const g = (mem.vaggRs[codes.indexOf(c[i] as number)] as Float64Array)[ti(y[i] as number)] as number;
    assert.ok(Math.abs((v[i] as number) - g) <= EXACT * Math.max(1, g), `row ${i}: ${v[i]} vs ${g}`);
  }
});

test("Table 1: 14 indicators, weights sum to one, sub-indices add up to the index, unemployment flagged", async () => {
  const { raw } = await built;
  const rec = toRecords(raw.weights);
  assert.is(rec.length, 14);
  const sw = rec.reduce((a, r) => a + (r.w as number), 0);
  assert.ok(Math.abs(sw - 1) < 1e-12);
  assert.equal(
    rec.map((r) => r.direction),
    RS_RESILIENCE_INDICATORS.map((d) => d.direction),
  );
  assert.ok(String(rec.find((r) => r.indicator === "unemp")?.flag).includes("printed as +"));
  assert.is(dimensionWeights(raw.weights).nrows, 3);
  const r = numeric(raw.panel, "resi"),
    a = numeric(raw.panel, "resist"),
    b = numeric(raw.panel, "adapt"),
    t = numeric(raw.panel, "transform");
  for (let i = 0; i < r.length; i++) assert.ok(Math.abs((r[i] as number) - (a[i] as number) - (b[i] as number) - (t[i] as number)) < 1e-12);
});

test("audit: interpolated counts equal the gaps in the yearbook; winsorised values stay within the 1 % bounds", async () => {
  const { wins, raw } = await built;
  // the generator writes no quoted fields, so an empty field is exactly ",," / a leading or trailing comma
  const lines = fs.readFileSync(path.join(dir, "city_yearbook.csv"), "utf8").trim().split("\n");
  const head = (lines[0] as string).split(",");
  const gaps: Record<string, number> = {};
  for (const l of lines.slice(1))
    l.split(",").forEach((v, j) => {
      if (v === "") gaps[head[j] as string] = (gaps[head[j] as string] ?? 0) + 1;
    });
  const ia = toRecords(wins.audit).filter((r) => r.step === "interpolate");
  for (const r of ia) assert.is(r.changed, gaps[r.column as string], String(r.column));
  assert.is(
    ia.reduce((s, r) => s + (r.changed as number), 0),
    Object.values(gaps).reduce((s, v) => s + v, 0),
  );
  const wr = toRecords(wins.audit).find((r) => r.column === "resi" && String(r.step).startsWith("winsorize"));
  assert.ok(wr && (wr.changed as number) > 0);
  const x = numeric(wins.panel, "resi"),
    x0 = Float64Array.from(numeric(raw.panel, "resi")).sort();
  assert.ok(Math.min(...x) >= (x0[0] as number) && Math.max(...x) <= (x0[x0.length - 1] as number));
  let changed = 0;
  const xr = numeric(raw.panel, "resi");
  for (let i = 0; i < x.length; i++) if (x[i] !== xr[i]) changed++;
  assert.is(changed, wr!.changed);
});

test("other variables: controls finite, groups binary, Martin sample one row per city, comparisonRow checks the term", async () => {
  const { wins } = await built;
  for (const n of ["pop", "open", "fre", "road", "wage", "edu", "iv", "vagg_bartik", "dist", "mp", "lmp", "hmp", "agg", "infra"])
    assert.ok(numeric(wins.panel, n).every(Number.isFinite), n);
  for (const n of ["old_industrial", "digital_infra_high", "urban_agglomeration", "yangtze_belt", "capital", "municipality"])
    assert.ok(
      numeric(wins.panel, n).every((v) => v === 0 || v === 1),
      n,
    );
  const hi = numeric(wins.panel, "digital_infra_high");
  assert.ok(hi.some((v) => v === 1) && hi.some((v) => v === 0));
  const ms = martinSample(wins.panel);
  assert.is(ms.nrows, new Set(column(wins.panel, "city") as Int32Array).size);
  assert.throws(() => comparisonRow("x", { coef: { a: 1 }, se: { a: 1 }, nobs: 1 }, "b"));
});

test.after(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});
test.run();
