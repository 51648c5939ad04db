import { test } from "uvu";
import * as assert from "uvu/assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runPlacebo } from "../../../lib/cli/commands/placebo";
import { placebo } from "../../../lib/estimators/resampling/placebo";
import { panel } from "./helpers";

// The CLI prints what placebo() computes (same seed → identical numbers, compared exactly).

test("vagg placebo --json prints the placebo summary of placebo()", async () => {
  const d = panel(6);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "vagg-placebo-")), "d.csv");
  const cols = d.names;
  fs.writeFileSync(
    file,
    [cols.join(","), ...Array.from({ length: d.nrows }, (_, i) => cols.map((c) => (d.columns[c] as Float64Array)[i]).join(","))].join(
      "\n",
    ) + "\n",
  );
  let out = "";
  const orig = process.stdout.write.bind(process.stdout);
  (process.stdout as { write: unknown }).write = (s: string) => {
    out += s;
    return true;
  };
  let code: number;
  try {
    code = await runPlacebo([
      "--data",
      file,
      "--formula",
      "y ~ x1 + x2 | city + year",
      "--permute",
      "x1",
      "--reps",
      "40",
      "--seed",
      "3",
      "--vcov",
      "cluster:city",
      "--json",
    ]);
  } finally {
    (process.stdout as { write: unknown }).write = orig;
  }
  assert.is(code, 0);
  const js = JSON.parse(out);
  for (const k of ["reps", "coef_mean", "coef_sd", "t_mean", "actual", "p_value"]) assert.ok(k in js, k);
  const p = await placebo(d, "y ~ x1 + x2 | city + year", { permute: "x1", reps: 40, seed: 3, vcov: "cluster:city" });
  assert.is(js.reps, 40);
  assert.ok(Math.abs(js.coef_mean - p.coefMean) <= 1e-12 * Math.abs(p.coefMean) + 1e-15);
  assert.ok(Math.abs(js.actual.coef - p.actual.coef) < 1e-10);
  assert.is(js.p_value, p.pValue);
  let msg = "";
  try {
    await runPlacebo(["--data", file, "--formula", "y ~ x1", "--permute", "x9"]);
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /not a regressor/);
  msg = "";
  try {
    await runPlacebo(["--data", file, "--formula", "y ~ x1", "--permute", "x1", "--reps", "0"]);
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /--reps/);
  msg = "";
  try {
    await runPlacebo(["--data", file, "--formula", "y ~ x1", "--permute", "x1", "--threads", "3"]);
  } catch (e) {
    msg = (e as Error).message;
  }
  assert.match(msg, /--threads must be 1 or 2/);
});

test.run();
