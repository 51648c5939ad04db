import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  RS_ANOMALY_QUOTES,
  checkStars,
  rsAnomalies,
  rsAnomalyNotes,
  rsDimensionAdditivity,
  rsStarChecks,
  starsForP,
} from "../../../lib/papers/rs/anomalies";
import { pT2 } from "../../../lib/util/distributions";

const PAPER = path.resolve(__dirname, "../../../../shared/papers/003_6e53f8dde1dd70c5.txt");

const byId = (id: string) => {
  const a = rsAnomalies().find((x) => x.id === id);
  if (!a)
    throw new Error(
      `anomaly ${id} missing; have ${rsAnomalies()
        .map((x) => x.id)
        .join(", ")}`,
    );
  return a;
};

test("starsForP: the paper's 10/5/1 % thresholds", () => {
  assert.equal([0.2, 0.09, 0.049, 0.0099].map(starsForP), ["", "*", "**", "***"]);
});

test("checkStars: closed form on the Table 4 col. (4) cell (0.0050** (0.0018))", () => {
  const c = checkStars({ coef: "0.0050", se: "0.0018", stars: "**" }, 131);
  assert.ok(Math.abs(c.t - 0.005 / 0.0018) < 1e-12);
  assert.ok(Math.abs(c.tRange[0] - 0.00495 / 0.00185) < 1e-12 && Math.abs(c.tRange[1] - 0.00505 / 0.00175) < 1e-12);
  assert.ok(pT2(c.tRange[0], 130) < 0.01, "even the smallest t compatible with rounding has p < 0.01");
  assert.is(c.implied, "***");
  assert.is(c.verdict, "mismatch");
  // the same cell under the normal (df = ∞) is still a mismatch
  assert.is(checkStars({ coef: "0.0050", se: "0.0018", stars: "**" }, Infinity).verdict, "mismatch");
  // consistent and borderline examples
  assert.is(checkStars({ coef: "0.1155", se: "0.0227", stars: "***" }, 281).verdict, "consistent");
  assert.is(checkStars({ coef: "0.0016", se: "0.0006", stars: "**" }, 281).verdict, "rounding");
  assert.is(checkStars({ coef: "0.0016", se: "0.0006", stars: "" }, 281).verdict, "mismatch");
});

test("every printed cell is star-checked; exactly one definite mismatch, one borderline", () => {
  const s = rsStarChecks();
  assert.is(s.length, 4 + 8 + 2 * 3 * 5);
  assert.equal(
    s.filter((x) => x.verdict === "mismatch").map((x) => x.text),
    ["0.0050** (0.0018)"],
  );
  assert.equal(
    s.filter((x) => x.verdict === "rounding").map((x) => x.cell),
    ["Table 6 Panel A mp → resi"],
  );
  assert.not.ok(
    rsAnomalies().some((a) => a.id.startsWith("stars_table4_p_")),
    "0.072* and 0.091* are consistent",
  );
  const a = byId("stars_table_4_col_4");
  assert.is(a.exhibit, "table4");
  assert.match(a.evidence, /t = 2\.78 \(rounding range 2\.68–2\.89\)/);
});

test("Table 4: N of the digital-infrastructure split, duplicated label, title", () => {
  const n = byId("table4_digital_infra_n");
  assert.match(n.evidence, /^1567 \+ 1575 = 3142 ≠ 3177/);
  assert.match(n.problem, /35 city-years/);
  assert.match(n.evidence, /1053 \+ 2124 = 3177; 1092 \+ 2085 = 3177; 1281 \+ 1896 = 3177/);
  assert.match(byId("table4_label_duplicate").problem, /\(6\) is printed twice; the 7th column .* should be \(7\)/);
  assert.match(byId("table4_title").evidence, /4 splits, 8 columns/);
});

test("sub-dimension additivity: sums differ from resi everywhere; Table 5 Panel B outside the convex hull", () => {
  const r = rsDimensionAdditivity();
  assert.is(r.length, 6);
  const get = (t: string, p: string) => r.find((x) => x.table === t && x.panel === p)!;
  assert.ok(Math.abs(get("table5", "A").sum - (-0.0023 - 0.0003 - 0.012)) < 1e-12);
  assert.ok(Math.abs(get("table6", "B").sum - (0.0305 + 0.0306 + 0.0398)) < 1e-12);
  for (const x of r) assert.ok(Math.abs(x.sum - x.resi) > 0.001, `${x.table}${x.panel}`);
  assert.equal(
    r.filter((x) => !x.convexPossible).map((x) => `${x.table}${x.panel}`),
    ["table5B"],
  );
  assert.match(byId("dims_outside_range_table5_B").evidence, /0\.0053 ∉ \[0\.0026, 0\.0042\]/);
  assert.match(byId("dims_not_additive_table5").evidence, /Panel A dist: -0\.0146 vs -0\.0047/);
  assert.match(byId("dims_not_additive_table6").evidence, /Panel B lmp: 0\.1009 vs 0\.0362/);
});

test("other computed evidence", () => {
  assert.match(byId("sample_unbalanced").evidence, /281 × 12 = 3372 city-years, N = 3177: 195 missing \(5\.8 %\)/);
  assert.match(byId("table3_r2_kind").evidence, /falls from 0\.146 to 0\.009.*falls from 0\.534 to 0\.055/);
  assert.match(byId("table5_distK_positive").evidence, /t = 2\.89 and 3\.33/);
  assert.match(byId("table1_unemployment_direction").printed, /城镇登记失业率: 指标性质 正向/);
});

test("rsAnomalyNotes: per exhibit, every anomaly in exactly one exhibit", () => {
  const ex = ["table1", "table3", "table4", "table5", "table6", "sample", "robustness", "summary", "references"] as const;
  const all = ex.flatMap((e) => rsAnomalyNotes(e));
  assert.is(all.length, rsAnomalies().length);
  const t4 = rsAnomalyNotes("table4");
  assert.ok(t4.length >= 4);
  assert.ok(t4.every((s) => s.startsWith("Paper anomaly (") && s.endsWith(").")));
  assert.ok(t4.some((s) => s.includes("0.0050** (0.0018)")));
  const ids = rsAnomalies().map((a) => a.id);
  assert.is(new Set(ids).size, ids.length, "anomaly ids unique");
});

test("the quoted strings the anomalies rely on are in the paper text", () => {
  if (!fs.existsSync(PAPER)) throw new Error(`SKIPPED LOUDLY: the RS paper text ${PAPER} is missing — anomaly quotes cannot be checked.`);
  const t = fs.readFileSync(PAPER, "utf8");
  for (const [k, q] of Object.entries(RS_ANOMALY_QUOTES)) assert.ok(t.includes(q), `${k}: "${q}" not in the paper text`);
  assert.not.ok(t.includes("Goldsmith-Pinkham P"), "reference list would then be right");
  assert.not.ok(t.includes("region with a lower degree of integration") || t.includes("lower degree of integration"));
});

test.run();
