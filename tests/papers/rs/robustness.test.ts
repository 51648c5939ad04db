/**
 * RS §4.2 robustness exhibits (lib/papers/rs/robustness.ts) on a freshly generated small synthetic
 * data set: the IV exhibit obeys indirect least squares (β̂_2SLS = ρ̂/π̂ exactly, just identified,
 * same sample), its Anderson–Rubin set contains β̂; the PSM balance passes balanceTable's numbers
 * through; the readings print the fitted numbers; the robustness table takes its true values from
 * rsTruth (realised.rs of truth.json) and shows none where the DGP has none.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { generate } from "../../../lib/synth";
import { feols } from "../../../lib/estimators/feols";
import { iv2sls } from "../../../lib/estimators/iv2sls";
import { did } from "../../../lib/estimators/did";
import { psmDid, balanceTable } from "../../../lib/estimators/psm";
import { takeRows, toRecords } from "../../../lib/data/table";
import type { ReportTable } from "../../../lib/report/model";
import { buildResiliencePanel, martinSample, subsetPanel, RS_CONTROLS, type ResiliencePanel } from "../../../lib/papers/rs/panel";
import { rsFormula, RS_MARTIN } from "../../../lib/papers/rs/sections";
import {
  rsIvTable,
  rsIvSummary,
  rsIvReading,
  rsPsmBalance,
  rsPsmReading,
  rsMartinTable,
  rsMartinReading,
  rsRobustness,
  RS_MARTIN_RECOVERY,
} from "../../../lib/papers/rs/robustness";

// Tolerances
// ILS = 1e-9 relative — indirect least squares is an identity of the just-identified 2SLS on the same sample;
//   only the FE demeaning (iterated to fixest's tolerance) and floating-point order differ.
const ILS = 1e-9;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vagg-rs-robustness-"));
const REALISED = { table3: 0.00733, table4: {}, mechanisms: {}, extension: {}, did: 0.00052 };
let rs: ResiliencePanel;
const cl = { vcov: { cluster: ["city"] } } as const;
const row = (t: ReportTable, label: string): string[] => {
  const r = t.body.find((x) => x.cells[0]!.text === label);
  if (!r) throw new Error(`no row ${label} in ${t.body.map((x) => x.cells[0]!.text).join(" | ")}`);
  return r.cells.map((c) => c.text);
};

test.before(async () => {
  await generate({ scale: "small", seed: 11, outDir: dir });
  const tj = JSON.parse(fs.readFileSync(path.join(dir, "truth.json"), "utf8"));
  tj.realised = { ...(tj.realised ?? {}), rs: REALISED };
  fs.writeFileSync(path.join(dir, "truth.json"), JSON.stringify(tj));
  rs = await buildResiliencePanel(dir);
});

test("IV exhibit: β̂_2SLS = reduced form / first stage (ILS), AR set contains β̂, true β in the 2SLS column", () => {
  const fs1 = feols(rs.panel, rsFormula("vagg", "iv", "city + year"), cl);
  const rf = feols(rs.panel, rsFormula("resi", "iv", "city + year"), cl);
  const iv = iv2sls(rs.panel, rsFormula("resi", "", "city + year", "vagg ~ iv"), cl);
  const s = rsIvSummary(fs1, rf, iv);
  const ils = s.reducedForm.b / s.firstStage.b;
  assert.ok(Math.abs(s.tsls.b - ils) <= ILS * Math.abs(ils), `2SLS ${s.tsls.b} vs ILS ${ils}`);
  assert.is(fs1.nobs, iv.nobs);
  assert.ok(s.arSet && s.arSet.intervals.some(([a, b]) => a <= s.tsls.b && s.tsls.b <= b), "AR set contains the 2SLS estimate");
  assert.ok(Number.isFinite(s.kpF) && s.kpF > 0);
  assert.is(s.stockYogo10, 16.38);
  const t = rsIvTable(fs1, rf, iv, dir);
  assert.equal(row(t, "True β (DGP, realised)").slice(1), ["", "", "0.0073"]);
  assert.is(row(t, "KP rk Wald F (Stock–Yogo 10%)")[1], `${s.kpF.toFixed(2)} (16.38)`);
  assert.not.ok(rsIvTable(fs1, rf, iv, false).body.some((r) => r.cells[0]!.text.startsWith("True")));
  const txt = rsIvReading(fs1, rf, iv);
  assert.ok(txt.includes(s.firstStage.b.toFixed(4)) && txt.includes(s.tsls.b.toFixed(4)));
  assert.ok(txt.includes(s.effectiveF > s.mopCritical ? "**strong**" : "**weak**"));
});

test("PSM: balance table passes balanceTable through; caliper (0.2 SD of the logit) matches fewer rows; readings name unbalanced covariates", () => {
  const spec = { treat: "smart_city", year: "year", covariates: RS_CONTROLS };
  const nn = psmDid(rs.panel, spec);
  const cal = psmDid(rs.panel, { ...spec, distance: "logit", nearest: { caliper: 0.2, caliperScale: "sd" } });
  assert.ok(cal.rows.length <= nn.rows.length);
  const t = rsPsmBalance(rs.panel, [
    { label: "Nearest neighbour", match: nn },
    { label: "Caliper 0.2 SD logit", match: cal },
  ]);
  const ref = toRecords(balanceTable(rs.panel, "smart_city", RS_CONTROLS, cal.weights));
  const pop = row(t, "pop");
  assert.is(pop[1], Number(ref[0]!["bias_before"]).toFixed(3));
  assert.is(pop[5], Number(ref[0]!["bias_after"]).toFixed(3));
  const dspec = { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: RS_CONTROLS };
  const dNn = did(takeRows(rs.panel, nn.rows), dspec),
    dCal = did(takeRows(rs.panel, cal.rows), dspec);
  const txt = rsPsmReading(rs.panel, [
    { label: "NN", match: nn, did: dNn },
    { label: "Caliper", match: cal, did: dCal },
  ]);
  const bad = toRecords(balanceTable(rs.panel, "smart_city", RS_CONTROLS, nn.weights)).filter(
    (r) => Math.abs(Number(r["bias_after"])) >= 10 || Number(r["p_after"]) < 0.05,
  );
  for (const r of bad) assert.ok(txt.includes(`${r["variable"]} (`), `${r["variable"]} named`);
  if (bad.length === 0) assert.ok(txt.includes("*NN*: every covariate balances"));
  assert.ok(txt.includes((dCal.coef["did_treat"] as number).toFixed(4)));
  assert.throws(() => rsPsmBalance(rs.panel, []), /at least one/);
});

test("Martin: resistance and recovery regressed; reading follows the sign convention", () => {
  assert.is(RS_MARTIN_RECOVERY, "recovery ~ vagg_post + pop_post + open_post + fre_post + road_post + wage_post + edu_post");
  const ms = martinSample(rs.panel);
  const res = feols(ms, RS_MARTIN, { vcov: "hetero" });
  const rec = feols(ms, RS_MARTIN_RECOVERY, { vcov: "hetero" });
  const t = rsMartinTable(res, rec);
  assert.is(row(t, "mean vagg 2012–19")[2]!.replace(/\*/g, ""), (rec.coef["vagg_post"] as number).toFixed(4));
  const txt = rsMartinReading(res, rec);
  const b = res.coef["vagg_pre"] as number,
    p = res.pvalue["vagg_pre"] as number;
  assert.ok(txt.includes(`resistance: ${b.toFixed(4)}`));
  if (p < 0.05) assert.ok(txt.includes(b > 0 ? "more resistance" : "less resistance"));
  else assert.ok(txt.includes("not significant at 5 %"));
});

test("rsRobustness: realised truths from rsTruth (table3 for vagg rows, did for the DID rows), none for Bartik/Martin; none on real data", () => {
  const m4 = feols(rs.panel, rsFormula("resi", "vagg", "city + year"), cl);
  const iv = iv2sls(rs.panel, rsFormula("resi", "", "city + year", "vagg ~ iv"), cl);
  const dspec = { y: "resi", unit: "city", time: "year", adoption: "smart_year", controls: RS_CONTROLS };
  const mDid = did(rs.panel, dspec);
  const ms = martinSample(rs.panel);
  const fits = {
    baseline: m4,
    iv,
    did: mDid,
    psm: mDid,
    bartik: feols(rs.panel, rsFormula("resi", "vagg_bartik", "city + year"), cl),
    martinResistance: feols(ms, RS_MARTIN, { vcov: "hetero" }),
    martinRecovery: feols(ms, RS_MARTIN_RECOVERY, { vcov: "hetero" }),
    noCapitals: feols(subsetPanel(rs.panel, "capital", 0), rsFormula("resi", "vagg", "city + year"), cl),
    provinceFe: feols(rs.panel, rsFormula("resi", "vagg", "province + year"), cl),
    provinceYearFe: feols(rs.panel, rsFormula("resi", "vagg", "city + province^year"), cl),
    provinceCluster: feols(rs.panel, rsFormula("resi", "vagg", "city + year"), { vcov: { cluster: ["province"] } }),
  };
  const t = rsRobustness(fits, dir);
  const col = t.header[t.header.length - 1]!.map((c) => c.text).indexOf("true (DGP)");
  assert.ok(col > 0);
  assert.is(row(t, "Baseline (Table 3 col. 4)")[col], "0.0073");
  assert.is(row(t, "City FE + province × year FE")[col], "0.0073");
  assert.is(row(t, "DID smart city (did_treat)")[col], "0.0005");
  assert.is(row(t, "Bartik vagg")[col], "–");
  assert.is(row(t, "Martin recovery on mean vagg 2012–19")[col], "–");
  assert.is(row(t, "City FE + province × year FE")[3], (fits.provinceYearFe.coef["vagg"] as number).toFixed(4));
  assert.ok(t.notes.some((n) => n.includes("flagged")));
  const real = rsRobustness(fits, false);
  assert.not.ok(real.header.flat().some((c) => c.text === "true (DGP)"));
});

test.after(() => fs.rmSync(dir, { recursive: true, force: true }));
test.run();
